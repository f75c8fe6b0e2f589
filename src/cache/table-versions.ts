/**
 * Versioned table tags. Every cached entry remembers the version token of each table
 * it read; a write replaces the tokens of the tables it touches, so older entries stop
 * matching everywhere at once (the tokens live in the shared store).
 *
 * A write first marks its tables *pending* (a token that expires by itself), then
 * writes, then gives them a fresh token. While a table is pending nothing read from it
 * is stored or served, so a token can never be paired with rows older than the last
 * write: if the final token does not reach the store (store away, process killed),
 * the mark still holds until it expires, and then a fresh token is made. A missing
 * token is created only where none exists (set-if-absent), so a reader can never
 * overwrite a writer's mark; a lost or evicted token only ever causes misses.
 */
import { randomUUID } from 'node:crypto';

export type Versions = Record<string, string>;

const PENDING = 'pending:';

/** Where the tokens live: a Map in process, or Redis shared by every instance. */
export interface VersionStore {
  /** The tokens of `keys`, undefined where there is none. */
  get(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** Stores `token` under `key` unless a token is there; returns the token the key holds. */
  setIfAbsent(key: string, token: string): Promise<string>;
  /** Stores `token` under every key, expiring after `ttlMs` when given. */
  set(keys: readonly string[], token: string, ttlMs?: number): Promise<void>;
}

/** True for the token of a table whose write has not finished. */
export function isPending(token: string): boolean {
  return token.startsWith(PENDING);
}

export class TableVersions {
  constructor(
    private readonly store: VersionStore,
    private readonly namespace: string,
  ) {}

  private keyOf(table: string) {
    return `${this.namespace}:table-version:${table}`;
  }

  /** The current token of each table (pending ones included). */
  async current(tables: readonly string[]): Promise<Versions> {
    const tokens = await this.store.get(tables.map((table) => this.keyOf(table)));
    const versions: Versions = {};
    await Promise.all(
      tables.map(async (table, index) => {
        versions[table] =
          tokens[index] ?? (await this.store.setIfAbsent(this.keyOf(table), randomUUID()));
      }),
    );
    return versions;
  }

  /** Marks the tables as being written for `ttlMs`; throws when the store did not take it. */
  async markPending(tables: readonly string[], ttlMs: number): Promise<void> {
    await this.store.set(
      tables.map((table) => this.keyOf(table)),
      `${PENDING}${randomUUID()}`,
      ttlMs,
    );
  }

  /** Gives each table a new token; false when the store did not take it. */
  async bump(tables: readonly string[]): Promise<boolean> {
    try {
      await this.store.set(
        tables.map((table) => this.keyOf(table)),
        randomUUID(),
      );
      return true;
    } catch {
      return false;
    }
  }
}

/** True when an entry was stored under the tables' current versions (never pending ones). */
export function sameVersions(stored: Versions, current: Versions): boolean {
  return Object.keys(current).every(
    (table) => !isPending(current[table]!) && stored[table] === current[table],
  );
}

/** True when any of the versions belongs to a write still in progress. */
export function anyPending(versions: Versions): boolean {
  return Object.values(versions).some(isPending);
}

/**
 * The versions a response built from several views was read under, or undefined when
 * its views disagree about a table (or one was pending): such a response mixes data
 * from before and after a write and must not be stored.
 */
export function commonVersions(all: readonly Versions[]): Versions | undefined {
  const merged: Versions = {};
  for (const versions of all) {
    for (const [table, token] of Object.entries(versions)) {
      if (isPending(token)) return undefined;
      if (merged[table] !== undefined && merged[table] !== token) return undefined;
      merged[table] = token;
    }
  }
  return merged;
}

/** Tokens in process, with expiry: nothing else can write them, so they never fail. */
export function memoryVersionStore(): VersionStore {
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  const read = (key: string) => {
    const entry = tokens.get(key);
    if (entry && entry.expiresAt <= Date.now()) tokens.delete(key);
    return tokens.get(key)?.token;
  };
  return {
    get: (keys) => Promise.resolve(keys.map(read)),
    setIfAbsent: (key, token) => {
      const existing = read(key);
      if (existing !== undefined) return Promise.resolve(existing);
      tokens.set(key, { token, expiresAt: Infinity });
      return Promise.resolve(token);
    },
    set: (keys, token, ttlMs) => {
      const expiresAt = ttlMs === undefined ? Infinity : Date.now() + ttlMs;
      for (const key of keys) tokens.set(key, { token, expiresAt });
      return Promise.resolve();
    },
  };
}

interface RedisSetOptions {
  condition?: 'NX';
  expiration?: { type: 'PX'; value: number };
}

/** The subset of a node-redis client the tokens need. */
export interface RedisCommands {
  mGet(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options?: RedisSetOptions): Promise<unknown>;
  get(key: string): Promise<string | null>;
  multi(): {
    set(key: string, value: string, options?: RedisSetOptions): unknown;
    exec(): Promise<unknown>;
  };
}

/** Tokens in Redis: SET NX creates, one MULTI sets all of a write's tables at once. */
export function redisVersionStore(client: () => Promise<RedisCommands>): VersionStore {
  return {
    async get(keys) {
      const tokens = await (await client()).mGet([...keys]);
      return tokens.map((token) => token ?? undefined);
    },
    async setIfAbsent(key, token) {
      const redis = await client();
      if ((await redis.set(key, token, { condition: 'NX' })) === 'OK') return token;
      // Someone set it meanwhile (a writer's mark, or another reader's token): use theirs.
      return (await redis.get(key)) ?? token;
    },
    async set(keys, token, ttlMs) {
      const transaction = (await client()).multi();
      const options: RedisSetOptions =
        ttlMs === undefined ? {} : { expiration: { type: 'PX', value: ttlMs } };
      for (const key of keys) transaction.set(key, token, options);
      await transaction.exec();
    },
  };
}
