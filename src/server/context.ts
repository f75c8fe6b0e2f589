/** What every resolver receives: the pools, this request's loaders, the cache, the configuration. */
import type { AlertWatch } from '../alerts/alert-watch.js';
import type { CacheReportEntry } from '../cache/cached-view.js';
import { authenticate, mayBypassCache, type Caller, type CallerRole } from './auth.js';
import { clientName, clientOf } from './client-address.js';
import type { ViewCache } from '../cache/view-cache.js';
import type { Config } from '../config.js';
import type { Database } from '../db/pool.js';
import { createLoaders, type Loaders } from '../loaders/entity-loaders.js';
import { RequestDbBudget, withDbBudget } from '../db/request-budget.js';
import { RequestRoute, routedDatabase, type WritePositions } from '../db/replication/read-route.js';
import type { ReplicaSet } from '../db/replication/replica-set.js';
import { SOURCE_TABLES } from '../db/source-tables.js';
import type { RowScopes } from '../schema/aggregate-identity.js';

export interface GatewayContext {
  /**
   * Where the views, loaders and explain read, carrying this request's database budget
   * (REQUEST_DB_BUDGET_MS): the primary, or with read replicas the server the request's
   * route chose.
   */
  db: Database;
  /** The primary (with the same budget): writes, maintenance, databaseHealth. */
  primary: Database;
  /** Where this request's reads go, when there are read replicas. */
  route?: RequestRoute;
  replicas?: ReplicaSet;
  /** Live alerts (subscription alertRaised). */
  alerts: AlertWatch;
  /** The database's URL: backups open their own connections with it. */
  databaseUrl: string;
  loaders: Loaders;
  config: Config;
  cache: ViewCache;
  /** Who is calling; cached results are kept apart per role. */
  caller: Caller;
  /** The client for per-client caps (clientName); undefined for an in-process call. */
  client: string | undefined;
  role: CallerRole;
  /** The caller asked for live numbers (Cache-Control: no-cache) and may have them. */
  bypassCache: boolean;
  /** What the cache did for each view of this request. */
  cacheReport: CacheReportEntry[];
  /** The request's clock: default windows end here. */
  now: Date;
  /** The arguments each aggregate row of this request was computed under (its nodeId). */
  rowScopes: RowScopes;
  /** The view runs and rows node()/nodes() refetches of this request will cost. */
  refetchSpent: { runs: number; rows: number };
}

/** The read replicas and this instance's memory of where writes ended (read-route.ts). */
export interface ReadReplicas {
  replicas: ReplicaSet;
  positions: WritePositions;
}

export interface ContextOptions {
  /** The primary. */
  db: Database;
  alerts: AlertWatch;
  replicas?: ReadReplicas;
  databaseUrl: string;
  config: Config;
  cache: ViewCache;
  request?: Request;
  /** What the HTTP server adds to yoga's context (node:http's `req`, for the socket). */
  serverContext?: unknown;
}

/**
 * True when the request asks for live numbers (`Cache-Control: no-cache` or no-store)
 * and its caller may have them (auth.ts mayBypassCache).
 */
export function bypassesCache(
  request: Request | undefined,
  caller: Caller,
  config: Pick<Config, 'readsNeedKey'>,
): boolean {
  return (
    /\bno-(cache|store)\b/i.test(request?.headers.get('cache-control') ?? '') &&
    mayBypassCache(caller, config.readsNeedKey)
  );
}

/** Builds the context of one request. */
export function createContext({
  db,
  alerts,
  replicas,
  databaseUrl,
  config,
  cache,
  request,
  serverContext,
}: ContextOptions): GatewayContext {
  const caller = authenticate(request, config.apiKeys);
  const client = request && clientOf(request, serverContext, caller, config.trustProxyHops);
  const bypassCache = bypassesCache(request, caller, config);
  const route =
    replicas &&
    new RequestRoute(
      replicas.replicas,
      replicas.positions,
      () => cache.tokens(SOURCE_TABLES),
      bypassCache,
    );
  // Every read made for this request counts against its database budget.
  const budget =
    config.requestDbBudgetMs > 0 ? new RequestDbBudget(config.requestDbBudgetMs) : undefined;
  const budgeted = (pool: Database) => (budget ? withDbBudget(pool, budget) : pool);
  const requestDb = budgeted(route ? routedDatabase(db, route) : db);
  return {
    db: requestDb,
    primary: route ? budgeted(db) : requestDb,
    route,
    replicas: replicas?.replicas,
    alerts,
    databaseUrl,
    config,
    cache,
    caller,
    client: client && clientName(client),
    role: caller.role,
    bypassCache,
    cacheReport: [],
    loaders: createLoaders(requestDb),
    now: new Date(),
    rowScopes: new WeakMap(),
    refetchSpent: { runs: 0, rows: 0 },
  };
}
