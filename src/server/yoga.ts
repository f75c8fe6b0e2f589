/** The yoga server: schema, per-request context, GraphiQL, error masking, plugins. */
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type GraphiQLOptions } from 'graphql-yoga';
import type { RollupApplier } from '../rollups/applier.js';
import type { Config } from '../config.js';
import type { Database } from '../db/pool.js';
import { AlertWatch } from '../alerts/alert-watch.js';
import { WritePositions } from '../db/replication/read-route.js';
import type { ReplicaSet } from '../db/replication/replica-set.js';
import { log } from '../logger.js';
import { schema } from '../schema/index.js';
import { cacheNamespace, type ViewCache } from '../cache/view-cache.js';
import { GatewayMetrics } from '../metrics/registry.js';
import { badInputPlugin } from './bad-input-plugin.js';
import { bodyLimitPlugin } from './body-limit-plugin.js';
import { corsPolicy, corsVaryPlugin } from './cors.js';
import { dashboardPlugin } from './dashboard-plugin.js';
import { isMaskedOriginal, maskedErrorLogPlugin, maskError } from './error-masking.js';
import { healthPlugin } from './health-plugin.js';
import { hideSuggestionsPlugin } from './hide-suggestions-plugin.js';
import { httpCachingPlugin } from './http-caching-plugin.js';
import { metricsPlugin } from './metrics-plugin.js';
import {
  DASHBOARD_DOCUMENTS,
  loadPersistedDocuments,
  persistedDocumentsPlugin,
} from './persisted-documents.js';
import { persistedQueriesPlugin } from './persisted-queries.js';
import { queryLimitsPlugin } from './query-limits-plugin.js';
import { rateLimitPlugin } from './rate-limit-plugin.js';
import { readGatePlugin } from './read-gate-plugin.js';
import { requestIdPlugin } from './request-id-plugin.js';
import { requestTimeoutPlugin } from './request-timeout-plugin.js';
import { responseCachePlugin } from './response-cache-plugin.js';
import { resultBudgetPlugin } from './result-budget-plugin.js';
import { createContext } from './context.js';

// Short enough to be seen whole: GraphiQL's editor shows about 50 × 22 characters on a
// 1280 × 800 screen.
const FIRST_QUERY = `# The busiest reports of the last 90 days.
# Press the run button (or Ctrl-Enter).
query BusiestReports {
  reportsSummary(first: 10) {
    totalCount
    edges {
      node {
        report {
          id name provider category
          owner { displayName }
        }
        executions
        successRate
        avgDurationMs
        totalOutputBytes
        lastExecutedAt
      }
    }
  }
}
`;

/**
 * GraphiQL as one self-contained page: its script, styles and editor workers are inlined
 * from @graphql-yoga/render-graphiql, where yoga's own page loads them from a public CDN
 * that closed networks cannot reach (the page would stay blank). The bundle is about 9 MB,
 * so it is loaded on the first page request (never in production, where GraphiQL is off)
 * and each page is built once per set of options.
 */
function selfContainedGraphiQL() {
  let last: { key: string; page: string } | undefined;
  return async (options: GraphiQLOptions) => {
    const key = JSON.stringify(options);
    if (last?.key !== key) {
      const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
      last = { key, page: renderGraphiQL(options) };
    }
    return last.page;
  };
}

/** Log-friendly text of whatever yoga passes its logger (errors keep their stack). */
function describe(value: unknown): string {
  return value instanceof Error ? (value.stack ?? value.message) : String(value);
}

export interface GatewayOptions {
  db: Database;
  databaseUrl: string;
  config: Config;
  cache: ViewCache;
  /** This instance's rollup applier, when it runs one (its state goes to /metrics). */
  applier?: RollupApplier;
  /** The read replicas (READ_DATABASE_URLS), polled by their owner. */
  replicas?: ReplicaSet;
  /** Live alerts; its owner closes it on shutdown (a gateway without an owner makes its own). */
  alerts?: AlertWatch;
}

const GRAPHQL_ENDPOINT = '/graphql';

/** Builds the yoga instance; it is a request handler for node:http and has `fetch` for tests. */
export function createGateway({
  db,
  databaseUrl,
  config,
  cache,
  applier,
  replicas,
  alerts = new AlertWatch(db, cache, config.alertPollMs),
}: GatewayOptions) {
  const reads = replicas && { replicas, positions: new WritePositions(replicas) };
  const persisted = {
    documents: loadPersistedDocuments(DASHBOARD_DOCUMENTS),
    only: config.persistedDocumentsOnly,
    apiKeys: config.apiKeys,
  };
  return createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    context: (initial) =>
      createContext({
        db,
        alerts,
        replicas: reads,
        databaseUrl,
        config,
        cache,
        request: initial.request,
        serverContext: initial,
      }),
    graphiql:
      config.nodeEnv === 'production'
        ? false
        : { title: 'Analytics gateway', defaultQuery: FIRST_QUERY },
    renderGraphiQL: selfContainedGraphiQL(),
    landingPage: false,
    // A JSON array of operations (Apollo's BatchHttpLink); each counts against every limit.
    batching: config.maxBatchOperations > 1 ? { limit: config.maxBatchOperations } : false,
    // Closed to other origins unless CORS_ORIGINS lists them (yoga's default allows any).
    cors: corsPolicy(config.corsOrigins),
    // Unexpected errors reach the client as "Unexpected error." with the request id; the
    // detail stays in the log under that id (error-masking.ts).
    maskedErrors: { isDev: false, maskError },
    logging: {
      debug: () => undefined,
      info: (...args: unknown[]) =>
        log.info(String(args[0]), { detail: args.slice(1).map(describe) }),
      warn: (...args: unknown[]) =>
        log.warn(String(args[0]), { detail: args.slice(1).map(describe) }),
      error: (...args: unknown[]) => {
        // maskedErrorLogPlugin logs these with their request id.
        if (args.length === 1 && isMaskedOriginal(args[0])) return;
        log.error(String(args[0]), { detail: args.slice(1).map(describe) });
      },
    },
    // yoga's built-in check answers /health, empty, before any plugin: moved aside for healthPlugin.
    healthCheckEndpoint: '/health/yoga',
    plugins: [
      // First: probes skip everything else, and the clock starts before a cache hit.
      healthPlugin(db, replicas),
      dashboardPlugin(),
      metricsPlugin(new GatewayMetrics(db, cache, { applier, replicas, alerts })),
      corsVaryPlugin(config.corsOrigins),
      // Before the body is read: a client over its limit costs no parsing.
      rateLimitPlugin(config, cache, cacheNamespace(databaseUrl)),
      bodyLimitPlugin(config.maxBodyBytes),
      responseCachePlugin(cache, config, persisted),
      httpCachingPlugin(),
      readGatePlugin(),
      requestTimeoutPlugin(config.requestTimeoutMs),
      badInputPlugin(),
      // Every response carries X-Request-Id; masked errors carry it and are logged with it.
      requestIdPlugin(),
      maskedErrorLogPlugin(),
      // Before the limits: an id or a hash alone becomes its text, checked like any other.
      // Allow-listed documents first, so that the allow-list also covers APQ registrations.
      persistedDocumentsPlugin(persisted),
      persistedQueriesPlugin(cache),
      // Refused before execution (so before any SQL, and never stored by the response cache).
      queryLimitsPlugin(config.queryLimits),
      // Once variables are known, before any resolver: rows (MAX_RESULT_ROWS) and list costs.
      resultBudgetPlugin(),
      hideSuggestionsPlugin(),
      // GraphiQL is off in production, and so is the schema's introspection.
      ...(config.nodeEnv === 'production' ? [useDisableIntrospection()] : []),
    ],
  });
}
