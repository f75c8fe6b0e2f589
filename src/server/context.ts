/** What every resolver receives: the pool, this request's loaders, the cache, the configuration. */
import type { CacheReportEntry } from '../cache/cached-view.js';
import { authenticate, mayBypassCache, type Caller, type CallerRole } from './auth.js';
import type { ViewCache } from '../cache/view-cache.js';
import type { Config } from '../config.js';
import type { Database } from '../db/pool.js';
import { createLoaders, type Loaders } from '../loaders/entity-loaders.js';
import { RequestDbBudget, withDbBudget } from '../db/request-budget.js';
import type { RowScopes } from '../schema/aggregate-identity.js';

export interface GatewayContext {
  /** The pool, carrying this request's database budget (REQUEST_DB_BUDGET_MS). */
  db: Database;
  /** The database's URL: backups open their own connections with it. */
  databaseUrl: string;
  loaders: Loaders;
  config: Config;
  cache: ViewCache;
  /** Who is calling; cached results are kept apart per role. */
  caller: Caller;
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

export interface ContextOptions {
  db: Database;
  databaseUrl: string;
  config: Config;
  cache: ViewCache;
  request?: Request;
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
  databaseUrl,
  config,
  cache,
  request,
}: ContextOptions): GatewayContext {
  const caller = authenticate(request, config.apiKeys);
  // Every read made for this request counts against its database budget.
  const requestDb =
    config.requestDbBudgetMs > 0
      ? withDbBudget(db, new RequestDbBudget(config.requestDbBudgetMs))
      : db;
  return {
    db: requestDb,
    databaseUrl,
    config,
    cache,
    caller,
    role: caller.role,
    bypassCache: bypassesCache(request, caller, config),
    cacheReport: [],
    loaders: createLoaders(requestDb),
    now: new Date(),
    rowScopes: new WeakMap(),
    refetchSpent: { runs: 0, rows: 0 },
  };
}
