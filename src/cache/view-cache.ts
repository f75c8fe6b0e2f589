/**
 * Read-through caching of view results with table-tag invalidation and
 * single-flight: concurrent identical misses share one computation. The cache may
 * fail without failing a request: store errors count as misses and are logged once
 * per outage; errors of the computation are never cached.
 */
import { log } from '../logger.js';
import type { Config } from '../config.js';
import { createCacheBackend, type CacheBackend } from './backend.js';
import { TableVersions, sameVersions, type Versions } from './table-versions.js';

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
  /** The table versions the value was computed under (empty when the store was away). */
  versions: Versions;
}

export class ViewCache {
  hits = 0;
  misses = 0;
  readonly invalidations = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<CacheOutcome<unknown>>>();
  private readonly versions: TableVersions;
  private storeDown = false;
  /** Tables whose invalidation the store has not taken yet. */
  private readonly unflushed = new Set<string>();

  /** `namespace` keeps apart the caches of different databases sharing one store. */
  constructor(
    readonly backend: CacheBackend,
    private readonly namespace: string,
  ) {
    this.versions = new TableVersions(backend.versions, namespace);
  }

  /** The cache the configuration asks for: in-process LRU, or Redis with CACHE_URL. */
  static create(
    config: Pick<Config, 'cacheUrl' | 'cacheMaxEntries' | 'cacheMaxBytes'>,
    namespace: string,
  ): ViewCache {
    const health = { failed: (_error: unknown) => {}, recovered: () => {} };
    const cache = new ViewCache(createCacheBackend(config, health), namespace);
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

  /**
   * Re-sends invalidations the store did not take; until they land nothing is served
   * from the cache, since older entries could still match their versions.
   */
  private async flushed(): Promise<boolean> {
    if (this.unflushed.size === 0) return true;
    const tables = [...this.unflushed];
    if (!(await this.versions.bump(tables).catch(() => false))) return false;
    for (const table of tables) this.unflushed.delete(table);
    return true;
  }

  /** The current versions of `tables`, or undefined when the store cannot vouch for them. */
  private async currentVersions(tables: readonly string[]): Promise<Versions | undefined> {
    try {
      return (await this.flushed()) ? await this.versions.current(tables) : undefined;
    } catch (error) {
      this.storeFailed(error);
      return undefined;
    }
  }

  /** The cached value for `key` if its tables are unchanged, else `compute()` stored under `ttlMs`. */
  async readThrough<T>(
    key: string,
    tables: readonly string[],
    ttlMs: number,
    compute: () => Promise<T>,
  ): Promise<CacheOutcome<T>> {
    const fullKey = `${this.namespace}:${key}`;
    // Versions are read before the computation: a write that commits meanwhile bumps them
    // after its commit, so the entry can only be stored as already outdated. Only
    // computations begun under the same versions are shared, so one started before a
    // write never answers a request made after it.
    const versions = await this.currentVersions(tables);
    if (!versions) return this.lookup(fullKey, undefined, ttlMs, compute);
    const flight = `${fullKey}#${JSON.stringify(versions)}`;
    const pending = this.inflight.get(flight) as Promise<CacheOutcome<T>> | undefined;
    if (pending) return pending;
    const run = this.lookup(fullKey, versions, ttlMs, compute);
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
    if (versions && ttlMs > 0) {
      const entry: Entry<T> = { value, versions, storedAt: Date.now() };
      await this.backend.entries
        .set(key, entry, ttlMs)
        .catch((error: unknown) => this.storeFailed(error));
    }
    return { value, hit: false, ageMs: 0, versions: versions ?? {} };
  }

  /** The stored entry for `key` if every table it read is unchanged (counted as a hit). */
  async fresh<T>(key: string): Promise<{ value: T; ageMs: number } | undefined> {
    try {
      if (!(await this.flushed())) return undefined;
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

  /** Outdates every entry that read any of `tables`. */
  async invalidate(tables: readonly string[]): Promise<void> {
    for (const table of tables)
      this.invalidations.set(table, (this.invalidations.get(table) ?? 0) + 1);
    const stored = await this.versions.bump(tables).catch(() => false);
    if (!stored) {
      // Remembered and re-sent before the cache serves anything again.
      for (const table of tables) this.unflushed.add(table);
      log.warn('cache invalidation did not reach the store; cache paused until it does', {
        tables,
      });
    }
  }
}

/** The namespace of a database: its host, port and name (never the credentials). */
export function cacheNamespace(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || '3306'}${url.pathname}`;
}
