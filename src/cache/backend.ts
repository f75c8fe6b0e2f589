/**
 * Where cached view results live: an in-process LRU bounded by entries and bytes
 * (the default), or Redis through @keyv/redis when CACHE_URL is set, shared by every
 * gateway instance. Table versions live beside the entries: in Redis when shared,
 * in a Map (never evicted) in process.
 */
import { EventEmitter } from 'node:events';
import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { memoryVersionStore, redisVersionStore, type VersionStore } from './table-versions.js';

/** Messages to every gateway instance: Redis pub/sub, or an event emitter in process. */
export interface Broadcast {
  publish(channel: string, message: string): Promise<void>;
  /** Calls `listener` with each message of `channel` until the returned function is called. */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
}

export interface CacheBackend {
  kind: 'memory' | 'redis';
  broadcast: Broadcast;
  /** Cached results. */
  entries: Keyv;
  /** Table versions (see table-versions.ts). */
  versions: VersionStore;
  /** Entries held in process (null for Redis, which keeps its own count). */
  size(): number | null;
  evictions(): number;
  close(): Promise<void>;
}

export interface StoreHealth {
  /** A store error: it must never fail a request. */
  failed(error: unknown): void;
  /** The store is reachable (again). */
  recovered(): void;
}

/** Creates the backend; `health` hears store errors and recoveries. */
export function createCacheBackend(
  config: Pick<Config, 'cacheUrl' | 'cacheMaxEntries' | 'cacheMaxBytes'>,
  health: StoreHealth,
): CacheBackend {
  const onError = (error: unknown) => health.failed(error);
  if (config.cacheUrl) {
    const client = createClient({
      url: config.cacheUrl,
      // Fail fast while Redis is away (a miss, not a hung request); reconnect in the background.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2_000,
        reconnectStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
      },
    });
    // Errors must reach the cache (not just an event): a write whose invalidation did
    // not land has to be known, or older entries would be served once Redis is back.
    const store = new KeyvRedis(client, { throwOnConnectError: false, throwOnErrors: true });
    const keyv = new Keyv({
      store,
      namespace: 'analytics-gateway',
      useKeyPrefix: false,
      throwOnErrors: true,
    });
    keyv.on('error', onError);
    client.on('error', onError);
    client.on('ready', () => health.recovered());
    return {
      kind: 'redis',
      broadcast: redisBroadcast(
        async () => (await store.getClient()) as unknown as PubSubClient,
        onError,
      ),
      entries: keyv,
      versions: redisVersionStore(() => store.getClient()),
      size: () => null,
      evictions: () => 0,
      close: async () => {
        await keyv.disconnect().catch(() => undefined);
      },
    };
  }
  let evictions = 0;
  // Entries are kept as UTF-8 bytes: their size is then what they really take, where a
  // serialized string is a tree of the pieces it was joined from, several times the
  // length that bounds the cache (under a mixed load the heap passed 800 MB that way).
  const lru = new LRUCache<string, Buffer>({
    max: config.cacheMaxEntries,
    maxSize: config.cacheMaxBytes,
    sizeCalculation: (value, key) => value.length + key.length,
    dispose: (_value, _key, reason) => {
      if (reason === 'evict') evictions += 1;
    },
  });
  // Keyv passes its TTL where LRUCache expects options, so it sees a plain Map-like
  // store; Keyv keeps the expiry inside the (serialized, hence sizable) value itself.
  const store = {
    get: (key: string) => lru.get(key)?.toString('utf8'),
    set: (key: string, value: string) => Boolean(lru.set(key, Buffer.from(value, 'utf8'))),
    delete: (key: string) => lru.delete(key),
    clear: () => lru.clear(),
    has: (key: string) => lru.has(key),
  };
  const entries = new Keyv({ store });
  entries.on('error', onError);
  return {
    kind: 'memory',
    broadcast: memoryBroadcast(),
    entries,
    versions: memoryVersionStore(),
    size: () => lru.size,
    evictions: () => evictions,
    close: () => Promise.resolve(),
  };
}

/** Messages within this process (one gateway instance, or tests). */
export function memoryBroadcast(): Broadcast {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (channel, message) => {
      emitter.emit(channel, message);
      return Promise.resolve();
    },
    subscribe: (channel, listener) => {
      emitter.on(channel, listener);
      return Promise.resolve(() => {
        emitter.off(channel, listener);
        return Promise.resolve();
      });
    },
  };
}

/** The subset of a node-redis client pub/sub needs. */
interface PubSubClient {
  isOpen: boolean;
  connect(): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  quit(): Promise<unknown>;
  duplicate(): PubSubClient;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/**
 * Pub/sub over Redis: messages go out on the cache's client; a subscribing connection
 * (Redis gives a subscriber a connection of its own) is opened on the first subscribe
 * and closed with the last unsubscribe.
 */
function redisBroadcast(
  client: () => Promise<PubSubClient>,
  onError: (error: unknown) => void,
): Broadcast {
  let subscriber: Promise<PubSubClient> | undefined;
  let subscriptions = 0;
  return {
    async publish(channel, message) {
      await (await client()).publish(channel, message);
    },
    async subscribe(channel, listener) {
      subscriber ??= (async () => {
        const duplicate = (await client()).duplicate();
        duplicate.on('error', onError);
        await duplicate.connect();
        return duplicate;
      })();
      const redis = await subscriber;
      await redis.subscribe(channel, listener);
      subscriptions += 1;
      return async () => {
        await redis.unsubscribe(channel, listener).catch(() => undefined);
        subscriptions -= 1;
        if (subscriptions === 0 && subscriber) {
          subscriber = undefined;
          await redis.quit().catch(() => undefined);
        }
      };
    },
  };
}
