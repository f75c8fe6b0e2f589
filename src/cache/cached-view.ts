/**
 * How a view resolver goes through the cache: the key comes from the field, its
 * arguments, the selection and the caller's role; the outcome is reported in the
 * response's `extensions.cache`. A request with `Cache-Control: no-cache` bypasses it.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../server/context.js';
import { selectionOf } from '../views/selection.js';
import { cacheKey } from './cache-key.js';
import type { Versions } from './table-versions.js';

export interface CacheReportEntry {
  field: string;
  hit: boolean;
  ageMs: number;
  tables: readonly string[];
  /** How long this view may be cached. */
  ttlMs: number;
  /** Versions the value was computed under; none when the cache was bypassed. */
  versions?: Versions;
}

/** A view's answer and the clock its relative windows were resolved at. */
export interface Clocked<T> {
  value: T;
  clock: Date;
}

/**
 * Resolves a view through the cache; `tables` are those its SQL may read. `compute`
 * resolves relative windows (`last: P7D`, the defaults) at the clock it is given:
 * `clock`, the request's by default. The clock is kept with a cached answer, so the
 * rows' identities name the window their numbers were computed for.
 */
export async function cachedView<T>(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  args: unknown,
  tables: readonly string[],
  compute: (clock: Date) => Promise<T>,
  clock: Date = context.now,
): Promise<Clocked<T>> {
  const field = info.path.key.toString();
  const { cacheTtlMs, cacheViewTtlMs } = context.config;
  const ttlMs = cacheViewTtlMs[info.fieldName] ?? cacheTtlMs;
  if (context.bypassCache) {
    context.cacheReport.push({ field, hit: false, ageMs: 0, tables, ttlMs: 0 });
    return { value: await compute(clock), clock };
  }
  const key = cacheKey(info.fieldName, args, selectionOf(info), context.role);
  const outcome = await context.cache.readThrough(
    key,
    tables,
    ttlMs,
    async () => ({ value: await compute(clock), clock: clock.getTime() }),
    // Read on a replica: kept only under versions the replica is known to have applied.
    (versions) => context.route?.covers(versions) ?? Promise.resolve(true),
  );
  context.cacheReport.push({
    field,
    hit: outcome.hit,
    ageMs: outcome.ageMs,
    tables,
    ttlMs,
    versions: outcome.versions,
  });
  return { value: outcome.value.value, clock: new Date(outcome.value.clock) };
}
