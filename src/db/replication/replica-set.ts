/**
 * The read replicas (READ_DATABASE_URLS) and what this instance knows of each: a poller
 * asks the primary for its position and each replica for the position it has applied
 * and whether its threads run, every REPLICA_MAX_LAG_MS ÷ 5 (at most every second).
 *
 * A replica's lag is measured without writing anything: the poller keeps the primary's
 * positions with the time it saw them, and a replica lags by the age of the oldest one
 * it has not applied yet (0 when it has applied the newest), or by its own estimate when
 * that says more. A replica that does not answer (or cannot read the gateway's tables)
 * is `down`; one whose threads are stopped (or that is no replica) is `not_replicating`;
 * one lagging past REPLICA_MAX_LAG_MS is `lagging`; each is taken out until a later poll
 * finds it `healthy`. Reads choose among healthy replicas round robin,
 * one that has applied what the read must see (read-route.ts), else the primary.
 */
import { sql } from '@databases/mysql';
import { GraphQLError } from 'graphql';
import type { Config } from '../../config.js';
import { log } from '../../logger.js';
import { isConnectionError } from '../database-errors.js';
import { openPool, type Database } from '../pool.js';
import { detectDialect } from '../statement-timeout.js';
import {
  isReplicating,
  replicationDialect,
  reportedLagMs,
  type ReplicationDialect,
} from './gtid.js';

export type ReplicaState = 'starting' | 'healthy' | 'lagging' | 'not_replicating' | 'down';

export interface Replica {
  /** `replica-N`, N its place in READ_DATABASE_URLS: URLs name hosts and users, so they are not shown. */
  readonly name: string;
  /** The pool the reads use. */
  readonly db: Database;
  /** Two connections of the poller's and the waits', so that busy reads never starve them. */
  readonly monitor: Database;
  state: ReplicaState;
  /** How far behind the primary it was at the last poll; undefined when unknown. */
  lagMs: number | undefined;
  /** The last position it was seen to have applied. */
  position: string | undefined;
  /** Statements of reads it answered. */
  readsServed: number;
  /** Why it is not healthy, for the log and /ready (an error code, never a message). */
  problem: string | undefined;
}

/** Where a read runs: a replica, or the primary (`replica` undefined). */
export interface ReadServer {
  db: Database;
  replica?: Replica;
}

interface Sample {
  at: number;
  position: string;
}

export interface ReplicaSetOptions {
  maxLagMs: number;
  /** How long a read may wait for a replica to apply what it must see; 0 = never wait. */
  waitMs: number;
  pollMs?: number;
  pool?: Parameters<typeof openPool>[1];
}

const READABLE = sql`SELECT 1 FROM report_executions LIMIT 0`;
// The poller's own connections: a few, and never waited for long.
const MONITOR_POOL = { poolSize: 2, queueTimeoutMs: 2_000 };
const ACCESS_DENIED_ERRNOS = new Set([1227, 1142, 1044, 1045]);

function codeOf(error: unknown): string {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' ? code : 'ERROR';
}

/** A lost connection, as the driver reports it or as the read path turned it into an answer. */
function lostConnection(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  return error instanceof GraphQLError && error.extensions.code === 'DATABASE_UNAVAILABLE';
}

const delay = (ms: number) => new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));

export class ReplicaSet {
  readonly replicas: Replica[];
  /** Statements of reads the primary answered (no replica could). */
  primaryReads = 0;
  private readonly samples: Sample[] = [];
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private next = 0;
  private readonly waits = new Map<string, Promise<boolean>>();
  private readonly refreshing = new Set<Replica>();
  /** Replicas whose status this account may not read: their threads are judged by their lag. */
  private readonly statusHidden = new Set<Replica>();

  /** The primary's pool for the positions (poller and routing), apart from the reads'. */
  private readonly primaryMonitor: Database;

  constructor(
    /** Reads go here when no replica can answer them. */
    readonly primary: Database,
    primaryUrl: string,
    urls: readonly string[],
    private readonly options: ReplicaSetOptions,
  ) {
    this.primaryMonitor = openPool(primaryUrl, MONITOR_POOL);
    this.replicas = urls.map((url, index) => ({
      name: `replica-${index + 1}`,
      db: openPool(url, options.pool),
      monitor: openPool(url, MONITOR_POOL),
      state: 'starting',
      lagMs: undefined,
      position: undefined,
      readsServed: 0,
      problem: undefined,
    }));
    this.pollMs = options.pollMs ?? Math.min(1_000, Math.max(50, options.maxLagMs / 5));
  }

  /** The replicas READ_DATABASE_URLS names, or undefined when it names none. */
  static fromConfig(
    primary: Database,
    primaryUrl: string,
    config: Pick<
      Config,
      | 'readDatabaseUrls'
      | 'replicaMaxLagMs'
      | 'replicaWaitMs'
      | 'statementTimeoutMs'
      | 'dbQueueTimeoutMs'
    >,
  ): ReplicaSet | undefined {
    if (config.readDatabaseUrls.length === 0) return undefined;
    return new ReplicaSet(primary, primaryUrl, config.readDatabaseUrls, {
      maxLagMs: config.replicaMaxLagMs,
      waitMs: config.replicaWaitMs,
      pool: {
        statementTimeoutMs: config.statementTimeoutMs,
        queueTimeoutMs: config.dbQueueTimeoutMs,
      },
    });
  }

  /**
   * Checks that the primary's transactions carry GTIDs (without them no read can tell
   * whether a replica has a write), then polls now and every pollMs until close().
   */
  async start(): Promise<void> {
    const dialect = await this.dialect();
    const [row] = (await this.primaryMonitor.query(dialect.gtidsOn)) as { gtids: unknown }[];
    if (Number(row?.gtids) !== 1) {
      throw new Error(
        'READ_DATABASE_URLS: the primary gives its transactions no GTIDs (MariaDB: log_bin is ' +
          'off; MySQL: gtid_mode is not ON), so a read cannot tell whether a replica has a ' +
          'write. Turn them on, or unset READ_DATABASE_URLS.',
      );
    }
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    await this.primaryMonitor.dispose();
    await Promise.all(
      this.replicas.flatMap((replica) => [replica.db.dispose(), replica.monitor.dispose()]),
    );
  }

  private dialect(): Promise<ReplicationDialect> {
    return detectDialect(this.primaryMonitor).then(replicationDialect);
  }

  /** One round: the primary's position, then every replica's (a round still running is shared). */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const dialect = await this.timed(this.dialect()).catch(() => undefined);
    if (!dialect) {
      // The primary does not answer: replicas can still be checked for being up, not for lag.
      await Promise.all(this.replicas.map((replica) => this.check(replica, undefined)));
      return;
    }
    try {
      const rows = await this.timed(this.primaryMonitor.query(dialect.primaryPosition));
      this.sample((rows as { position?: string }[])[0]?.position ?? '');
    } catch {
      // Lag is judged against the positions already seen.
    }
    await Promise.all(this.replicas.map((replica) => this.check(replica, dialect)));
  }

  /** `work`, or a POLL_TIMEOUT error once a server kept the poller waiting 4 rounds (≥ 2 s). */
  private timed<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('poll timed out'), { code: 'POLL_TIMEOUT' })),
        Math.max(2_000, this.pollMs * 4),
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private sample(position: string) {
    const now = Date.now();
    if (this.samples.at(-1)?.position !== position) this.samples.push({ at: now, position });
    // Older samples matter only to tell a lag past the limit: keep twice that.
    while (this.samples.length > 1 && this.samples[1]!.at < now - 2 * this.options.maxLagMs) {
      this.samples.shift();
    }
  }

  /** How far behind `position` is: the age of the oldest primary position it lacks. */
  private lagOf(dialect: ReplicationDialect, position: string): number {
    const missing = this.samples.find((sample) => !dialect.reached(position, sample.position));
    return missing ? Date.now() - missing.at : 0;
  }

  private async check(replica: Replica, dialect: ReplicationDialect | undefined) {
    const before = replica.state;
    try {
      const { position, replicating, reportedLagMs } = await this.timed(this.ask(replica, dialect));
      replica.position = position;
      // The positions seen since start-up, or the replica's own estimate when that says more
      // (a replica far behind when this instance started).
      const seen = dialect ? this.lagOf(dialect, position) : undefined;
      replica.lagMs = seen === undefined ? reportedLagMs : Math.max(seen, reportedLagMs ?? 0);
      if (!replicating) this.setState(replica, 'not_replicating', 'replication threads stopped');
      else if ((replica.lagMs ?? 0) > this.options.maxLagMs) {
        this.setState(replica, 'lagging', `${replica.lagMs} ms behind`);
      } else this.setState(replica, 'healthy', undefined);
    } catch (error) {
      replica.lagMs = undefined;
      this.setState(replica, 'down', codeOf(error));
    }
    if (before !== replica.state) {
      log[replica.state === 'healthy' ? 'info' : 'warn']('read replica state', {
        replica: replica.name,
        state: replica.state,
        problem: replica.problem,
      });
    }
  }

  /** The position `replica` has applied, and whether it replicates. */
  private async ask(replica: Replica, dialect: ReplicationDialect | undefined) {
    const own = dialect ?? replicationDialect(await detectDialect(replica.monitor));
    const [row] = (await replica.monitor.query(own.replicaPosition)) as { position?: string }[];
    // The gateway's tables are there and this account may read them.
    await replica.monitor.query(READABLE);
    return { position: row?.position ?? '', ...(await this.status(replica, own)) };
  }

  /**
   * Whether both replication threads run (true when this account may not see the status),
   * and the replica's own estimate of its lag.
   */
  private async status(
    replica: Replica,
    dialect: ReplicationDialect,
  ): Promise<{ replicating: boolean; reportedLagMs?: number }> {
    if (this.statusHidden.has(replica)) return { replicating: true };
    try {
      const [row] = (await replica.monitor.query(dialect.status)) as Record<string, unknown>[];
      return { replicating: isReplicating(row), reportedLagMs: reportedLagMs(row) };
    } catch (error) {
      const { errno } = error as { errno?: unknown };
      if (typeof errno !== 'number' || !ACCESS_DENIED_ERRNOS.has(errno)) throw error;
      log.warn('the replica account may not read the replication status; judged by lag alone', {
        replica: replica.name,
      });
      this.statusHidden.add(replica);
      return { replicating: true };
    }
  }

  private setState(replica: Replica, state: ReplicaState, problem: string | undefined) {
    replica.state = state;
    replica.problem = problem;
  }

  /** A read on `replica` lost its connection: it is out until a poll finds it back. */
  failed(replica: Replica, error: unknown) {
    if (!lostConnection(error) || replica.state === 'down') return;
    this.setState(replica, 'down', codeOf(error));
    log.warn('read replica state', {
      replica: replica.name,
      state: 'down',
      problem: replica.problem,
    });
  }

  /**
   * The server for reads that must see `needed` (a primary position): the next healthy
   * replica that has applied it, else one that applies it within REPLICA_WAIT_MS, else
   * the primary.
   */
  async serverFor(needed: string): Promise<ReadServer> {
    const healthy = this.replicas.filter((replica) => replica.state === 'healthy');
    if (healthy.length === 0) return { db: this.primary };
    const start = this.next++ % healthy.length;
    const inTurn = [...healthy.slice(start), ...healthy.slice(0, start)];
    const dialect = await this.dialect();
    const known = (replica: Replica) =>
      replica.position !== undefined && dialect.reached(replica.position, needed);
    // A replica not known to have it may well have it by now: ask, without waiting for
    // the answer, so that the next reads have it in turn again.
    for (const replica of inTurn) if (!known(replica)) this.refresh(replica, dialect);
    const ready = inTurn.find(known);
    if (ready) return { db: ready.db, replica: ready };
    if (this.options.waitMs > 0 && (await this.waitFor(inTurn[0]!, needed, dialect))) {
      return { db: inTurn[0]!.db, replica: inTurn[0] };
    }
    return { db: this.primary };
  }

  /** Reads the position `replica` has applied (one read at a time per replica). */
  private refresh(replica: Replica, dialect: ReplicationDialect) {
    if (this.refreshing.has(replica)) return;
    this.refreshing.add(replica);
    replica.monitor
      .query(dialect.replicaPosition)
      .then(
        (rows) => {
          const position = (rows as { position?: string }[])[0]?.position;
          if (position !== undefined) replica.position = position;
        },
        (error: unknown) => this.failed(replica, error),
      )
      .finally(() => this.refreshing.delete(replica));
  }

  /**
   * Waits up to REPLICA_WAIT_MS for `replica` to apply `needed` (one wait per position,
   * shared), on its monitor connections: the caller never waits longer, even for one.
   */
  private waitFor(replica: Replica, needed: string, dialect: ReplicationDialect): Promise<boolean> {
    const key = `${replica.name}|${needed}`;
    let wait = this.waits.get(key);
    if (!wait) {
      wait = (async () => {
        try {
          const [row] = (await replica.monitor.query(
            dialect.waitFor(needed, this.options.waitMs),
          )) as { reached: unknown }[];
          const reached = Number(row?.reached) === 1;
          if (reached) {
            replica.position = dialect.merge(replica.position ?? '', needed);
          }
          return reached;
        } catch (error) {
          this.failed(replica, error);
          return false;
        } finally {
          this.waits.delete(key);
        }
      })();
      this.waits.set(key, wait);
    }
    return Promise.race([wait, delay(this.options.waitMs)]);
  }

  /** A position of the primary read after this call began. */
  async primaryPosition(): Promise<string> {
    const dialect = await this.dialect();
    const [row] = (await this.primaryMonitor.query(dialect.primaryPosition)) as {
      position: string;
    }[];
    return row?.position ?? '';
  }

  /** The smallest position including both (in the primary's dialect). */
  async merge(a: string, b: string): Promise<string> {
    return (await this.dialect()).merge(a, b);
  }

  /** Each replica's state as /ready, databaseHealth and /metrics show it. */
  report(): ReplicaReport[] {
    return this.replicas.map(({ name, state, lagMs, readsServed, problem }) => ({
      name,
      state,
      lagMs: lagMs ?? null,
      readsServed,
      ...(problem ? { problem } : {}),
    }));
  }
}

export interface ReplicaReport {
  name: string;
  state: ReplicaState;
  lagMs: number | null;
  readsServed: number;
  problem?: string;
}
