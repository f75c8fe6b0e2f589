/**
 * Read-through caching of view results with table-tag invalidation and
 * single-flight: concurrent identical misses share one computation. The cache may
 * fail without failing a read: store errors count as misses and are logged once
 * per outage; errors of the computation are never cached. A write is acknowledged
 * only once every instance is sure to see it (`write`).
 */
import { GraphQLError } from 'graphql';
import { log } from '../logger.js';
import type { Config } from '../config.js';
import { createCacheBackend, type CacheBackend } from './backend.js';
import { TableVersions, anyPending, sameVersions, type Versions } from './table-versions.js';

interface Entry<T> {
  value: T;
  versions: Versions;
  storedAt: number;
}

export interface CacheOutcome<T> {
  value: T;
  hit: boolean;
  /** Age of the served entry in ms (0 when just computed). */
  ageMs: number;
  /**
   * The table versions the value was computed under; empty when the store was away or
   * the value may not be kept under them (read on a replica that may lack them).
   */
  versions: Versions;
}

/** How long a write's pending mark lasts unless renewed; it is renewed while the write runs. */
const PENDING_MARK_TTL_MS = 30_000;

/** A write could not be announced to the shared cache, so it was not made. */
export function cacheUnavailableError(): GraphQLError {
  return new GraphQLError(
    'The shared cache cannot be reached, so other gateway instances could not be told about ' +
      'this write; nothing was written. Try again when the cache is back.',
    { extensions: { code: 'CACHE_UNAVAILABLE' } },
  );
}

export interface ViewCacheOptions {
  /** Called after a write, before its tables get their new token: a seam for fault tests. */
  afterWrite?: (tables: readonly string[]) => Promise<void>;
}

export class ViewCache {
  hits = 0;
  misses = 0;
  readonly invalidations = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<CacheOutcome<unknown>>>();
  private readonly versions: TableVersions;
  private storeDown = false;

  /** `namespace` keeps apart the caches of different databases sharing one store. */
  constructor(
    readonly backend: CacheBackend,
    private readonly namespace: string,
    private readonly options: ViewCacheOptions = {},
  ) {
    this.versions = new TableVersions(backend.versions, namespace);
  }

  /** The cache the configuration asks for: in-process LRU, or Redis with CACHE_URL. */
  static create(
    config: Pick<Config, 'cacheUrl' | 'cacheMaxEntries' | 'cacheMaxBytes'>,
    namespace: string,
    options: ViewCacheOptions = {},
  ): ViewCache {
    const health = { failed: (_error: unknown) => {}, recovered: () => {} };
    const cache = new ViewCache(createCacheBackend(config, health), namespace, options);
    health.failed = (error) => cache.storeFailed(error);
    health.recovered = () => cache.storeRecovered();
    return cache;
  }

  /** Called by the backend on a store error: logs the first of an outage only. */
  storeFailed(error: unknown) {
    if (this.storeDown) return;
    this.storeDown = true;
    log.warn('cache store unavailable; answering from the database', {
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /** Called by the backend when the store is reachable again. */
  storeRecovered() {
    if (!this.storeDown) return;
    this.storeDown = false;
    log.info('cache store reachable again');
  }

  /** The current versions of `tables`, or undefined when the store cannot vouch for them. */
  private async currentVersions(tables: readonly string[]): Promise<Versions | undefined> {
    try {
      const versions = await this.versions.current(tables);
      // A write is under way: its rows may or may not be visible yet, so nothing is kept.
      return anyPending(versions) ? undefined : versions;
    } catch (error) {
      this.storeFailed(error);
      return undefined;
    }
  }

  /**
   * The tokens of `tables` as they are now, a write's pending mark included, or
   * undefined when the store is away: where reads must go to see every write
   * acknowledged so far (replication/read-route.ts).
   */
  async tokens(tables: readonly string[]): Promise<Versions | undefined> {
    try {
      return await this.versions.current(tables);
    } catch (error) {
      this.storeFailed(error);
      return undefined;
    }
  }

  /**
   * The cached value for `key` if its tables are unchanged, else `compute()` stored under
   * `ttlMs` when `storable(versions)` allows (a read on a replica that may not have
   * applied those versions does not): a result that may not be stored is not shared either.
   */
  async readThrough<T>(
    key: string,
    tables: readonly string[],
    ttlMs: number,
    compute: () => Promise<T>,
    storable: (versions: Versions) => Promise<boolean> = () => Promise.resolve(true),
  ): Promise<CacheOutcome<T>> {
    const fullKey = `${this.namespace}:${key}`;
    // Versions are read before the computation: a write that commits meanwhile replaces
    // them after its commit, so the entry can only be stored as already outdated. Only
    // computations begun under the same versions are shared, so one started before a
    // write never answers a request made after it.
    const versions = await this.currentVersions(tables);
    if (!versions) return this.lookup(fullKey, undefined, ttlMs, compute, storable);
    const flight = `${fullKey}#${JSON.stringify(versions)}`;
    const pending = this.inflight.get(flight) as Promise<CacheOutcome<T>> | undefined;
    if (pending) {
      const shared = await pending;
      if (Object.keys(shared.versions).length > 0 || Object.keys(versions).length === 0) {
        return shared;
      }
      return this.lookup(fullKey, versions, ttlMs, compute, storable);
    }
    const run = this.lookup(fullKey, versions, ttlMs, compute, storable);
    this.inflight.set(flight, run);
    try {
      return await run;
    } finally {
      this.inflight.delete(flight);
    }
  }

  private async lookup<T>(
    key: string,
    versions: Versions | undefined,
    ttlMs: number,
    compute: () => Promise<T>,
    storable: (versions: Versions) => Promise<boolean>,
  ): Promise<CacheOutcome<T>> {
    if (versions) {
      try {
        const entry = await this.backend.entries.get<Entry<T>>(key);
        if (entry && sameVersions(entry.versions, versions)) {
          this.hits += 1;
          return { value: entry.value, hit: true, ageMs: Date.now() - entry.storedAt, versions };
        }
      } catch (error) {
        this.storeFailed(error);
      }
    }
    this.misses += 1;
    const value = await compute();
    if (!versions || !(await storable(versions))) {
      return { value, hit: false, ageMs: 0, versions: {} };
    }
    if (ttlMs > 0) {
      const entry: Entry<T> = { value, versions, storedAt: Date.now() };
      await this.backend.entries
        .set(key, entry, ttlMs)
        .catch((error: unknown) => this.storeFailed(error));
    }
    return { value, hit: false, ageMs: 0, versions };
  }

  /** The stored entry for `key` if every table it read is unchanged (counted as a hit). */
  async fresh<T>(key: string): Promise<{ value: T; ageMs: number } | undefined> {
    try {
      const entry = await this.backend.entries.get<Entry<T>>(`${this.namespace}:${key}`);
      if (!entry) return undefined;
      const current = await this.versions.current(Object.keys(entry.versions));
      if (!sameVersions(entry.versions, current)) return undefined;
      this.hits += 1;
      return { value: entry.value, ageMs: Date.now() - entry.storedAt };
    } catch (error) {
      this.storeFailed(error);
      return undefined;
    }
  }

  /** Stores `value` under the versions it was computed with. */
  async store<T>(key: string, value: T, versions: Versions, ttlMs: number): Promise<void> {
    const entry: Entry<T> = { value, versions, storedAt: Date.now() };
    await this.backend.entries
      .set(`${this.namespace}:${key}`, entry, ttlMs)
      .catch((error: unknown) => this.storeFailed(error));
  }

  /**
   * Runs a write to `tables` so that no instance serves an answer older than it once it
   * returns: the tables are marked pending first (refused with CACHE_UNAVAILABLE, nothing
   * written, when the store does not take the mark), the mark is renewed while the write
   * runs, and afterwards the tables get a new token. If that last step fails the mark
   * still holds (nothing is cached for those tables until it expires), unless the mark
   * itself may have lapsed: then the write is reported as not fully announced.
   */
  async write<T>(tables: readonly string[], run: () => Promise<T>): Promise<T> {
    this.countInvalidations(tables);
    try {
      await this.versions.markPending(tables, PENDING_MARK_TTL_MS);
    } catch (error) {
      this.storeFailed(error);
      throw cacheUnavailableError();
    }
    let markedAt = Date.now();
    const renewal = setInterval(() => {
      const renewedAt = Date.now();
      this.versions.markPending(tables, PENDING_MARK_TTL_MS).then(
        () => (markedAt = renewedAt),
        (error: unknown) => this.storeFailed(error),
      );
    }, PENDING_MARK_TTL_MS / 3);
    let result: T;
    try {
      result = await run();
    } catch (error) {
      // Part of it may have been committed (maintenance commits in chunks): outdate anyway.
      await this.versions.bump(tables);
      throw error;
    } finally {
      clearInterval(renewal);
    }
    await this.options.afterWrite?.(tables);
    const bumped = await this.versions.bump(tables);
    // Every instance hears of it (the live alerts look again at once); best effort.
    this.backend.broadcast
      .publish(this.writesChannel, JSON.stringify(tables))
      .catch((error: unknown) => this.storeFailed(error));
    if (bumped) return result;
    if (Date.now() - markedAt >= PENDING_MARK_TTL_MS) throw cacheUnavailableAfterWrite();
    log.warn('cache tokens not replaced after a write; its pending mark holds until it expires', {
      tables,
    });
    return result;
  }

  private get writesChannel() {
    return `${this.namespace}:writes`;
  }

  /** Calls `listener` after each write through any instance on this store, until unsubscribed. */
  onWrites(listener: (tables: string[]) => void): Promise<() => Promise<void>> {
    return this.backend.broadcast.subscribe(this.writesChannel, (message) => {
      listener(JSON.parse(message) as string[]);
    });
  }

  /** Outdates every entry that read any of `tables` (refused when the store is away). */
  async invalidate(tables: readonly string[]): Promise<void> {
    await this.write(tables, () => Promise.resolve());
  }

  private countInvalidations(tables: readonly string[]) {
    for (const table of tables)
      this.invalidations.set(table, (this.invalidations.get(table) ?? 0) + 1);
  }
}

/** The write was made, but the cache could not be told in time (a very long store outage). */
function cacheUnavailableAfterWrite(): GraphQLError {
  return new GraphQLError(
    'The write was made, but the shared cache could not be told about it: other gateway ' +
      'instances may answer from older results until their entries expire.',
    { extensions: { code: 'CACHE_UNAVAILABLE' } },
  );
}

/** The namespace of a database: its host, port and name (never the credentials). */
export function cacheNamespace(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || '3306'}${url.pathname}`;
}
