/**
 * The Prometheus metrics of one gateway instance, in a registry of its own rather
 * than prom-client's global one, so that several gateways in one process (the
 * tests) keep their numbers apart. Numbers the gateway already keeps (cache hits
 * and misses, pool connections) are read when Prometheus scrapes, through
 * collect() callbacks, so the hot paths gain no extra bookkeeping.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlertWatch } from '../alerts/alert-watch.js';
import type { ViewCache } from '../cache/view-cache.js';
import { poolStats } from '../db/pool-stats.js';
import type { Database } from '../db/pool.js';
import { journalBacklog, type RollupApplier } from '../rollups/applier.js';
import type { ReplicaSet, ReplicaState } from '../db/replication/replica-set.js';

// From a response-cache hit (about a millisecond) to a slow uncached view.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A counter that mirrors a running total kept elsewhere, read at scrape time. */
function mirroredCounter(registry: Registry, name: string, help: string, total: () => number) {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(total());
    },
  });
}

export class GatewayMetrics {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to its response, by operation (responses served from the cache included).',
    labelNames: ['operation_name', 'operation_type'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by extensions.code (INTERNAL_SERVER_ERROR for masked ones).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly rowsWritten = new Counter({
    name: 'gateway_rows_written_total',
    help: 'Rows inserted, updated or deleted by the write mutations, counted after commit.',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  constructor(
    db: Database,
    cache: ViewCache,
    {
      applier,
      replicas,
      alerts,
    }: { applier?: RollupApplier; replicas?: ReplicaSet; alerts?: AlertWatch } = {},
  ) {
    // The two journal gauges are collected together on a scrape: one query serves both.
    // A database that is down leaves them out rather than failing the scrape.
    let backlogRead: ReturnType<typeof journalBacklog> | undefined;
    const backlog = () =>
      (backlogRead ??= journalBacklog(db).finally(() => {
        backlogRead = undefined;
      })).catch(() => undefined);
    mirroredCounter(
      this.registry,
      'gateway_cache_hits_total',
      'View results and whole responses served from the cache.',
      () => cache.hits,
    );
    mirroredCounter(
      this.registry,
      'gateway_cache_misses_total',
      'View results computed because the cache had no current entry.',
      () => cache.misses,
    );
    new Gauge({
      name: 'gateway_db_pool_connections',
      help: 'Open database connections, by state (in_use, idle).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const stats = poolStats(db);
        if (!stats) return;
        this.set({ state: 'in_use' }, stats.inUse);
        this.set({ state: 'idle' }, stats.idle);
      },
    });
    new Gauge({
      name: 'gateway_db_pool_waiting_requests',
      help: 'Queries and transactions waiting for a free database connection.',
      registers: [this.registry],
      collect() {
        const stats = poolStats(db);
        if (stats) this.set(stats.waiting);
      },
    });
    new Gauge({
      name: 'gateway_rollup_journal_rows',
      help: 'Rows of the rollup journal not yet folded into the rollups (by any instance).',
      registers: [this.registry],
      async collect() {
        const now = await backlog();
        if (now) this.set(now.rows);
      },
    });
    new Gauge({
      name: 'gateway_rollup_journal_lag_seconds',
      help: 'Age of the oldest rollup journal row not yet folded; 0 when the journal is empty.',
      registers: [this.registry],
      async collect() {
        const now = await backlog();
        if (now) this.set(now.lagMs / 1000);
      },
    });
    new Gauge({
      name: 'gateway_rollup_applier_active',
      help: '1 while this instance holds the applier lock and folds the journal.',
      registers: [this.registry],
      collect() {
        this.set(applier?.status.active ? 1 : 0);
      },
    });
    mirroredCounter(
      this.registry,
      'gateway_rollup_folded_rows_total',
      'Journal rows this instance folded into the rollups.',
      () => applier?.status.foldedRows ?? 0,
    );
    if (replicas) replicaMetrics(this.registry, replicas);
    new Gauge({
      name: 'gateway_alert_subscriptions',
      help: 'alertRaised subscriptions open on this instance.',
      registers: [this.registry],
      collect() {
        this.set(alerts?.subscribers ?? 0);
      },
    });
    // process_cpu_seconds_total, process_resident_memory_bytes, nodejs_eventloop_lag_seconds, …
    collectDefaultMetrics({ register: this.registry });
  }
}

const REPLICA_STATES: readonly ReplicaState[] = [
  'starting',
  'healthy',
  'lagging',
  'not_replicating',
  'down',
];

/** Each read replica's state, lag and reads, and the reads the primary answered instead. */
function replicaMetrics(registry: Registry, replicas: ReplicaSet) {
  new Gauge({
    name: 'gateway_replica_state',
    help: "1 for each read replica's current state (healthy, lagging, not_replicating, down, starting).",
    labelNames: ['replica', 'state'] as const,
    registers: [registry],
    collect() {
      for (const replica of replicas.replicas) {
        for (const state of REPLICA_STATES) {
          this.set({ replica: replica.name, state }, replica.state === state ? 1 : 0);
        }
      }
    },
  });
  new Gauge({
    name: 'gateway_replica_lag_seconds',
    help: 'How far each read replica was behind the primary at the last poll (absent when unknown).',
    labelNames: ['replica'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const replica of replicas.replicas) {
        if (replica.lagMs !== undefined) this.set({ replica: replica.name }, replica.lagMs / 1000);
      }
    },
  });
  new Counter({
    name: 'gateway_read_statements_total',
    help: 'Read statements of views, loaders and explain, by the server that answered them (primary or replica-N).',
    labelNames: ['server'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ server: 'primary' }, replicas.primaryReads);
      for (const replica of replicas.replicas) {
        this.inc({ server: replica.name }, replica.readsServed);
      }
    },
  });
}

/**
 * Counts rows a write mutation committed. The context carries `metrics` when the
 * request came through a gateway (the metrics plugin puts it there).
 */
export function countRowsWritten(context: object, table: string, rows: number): void {
  if (rows > 0 && 'metrics' in context && context.metrics instanceof GatewayMetrics) {
    context.metrics.rowsWritten.inc({ table }, rows);
  }
}
