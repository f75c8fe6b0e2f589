/**
 * Automatic persisted queries (Apollo's protocol): a client sends a query's SHA-256
 * alone and sends its text only when told PERSISTED_QUERY_NOT_FOUND. The texts live
 * in the cache backend, so with Redis (CACHE_URL) a query registered through one
 * instance is known to all of them.
 */
import { useAPQ, type APQStore } from '@graphql-yoga/plugin-apq';
import type { Plugin } from 'graphql-yoga';
import type { ViewCache } from '../cache/view-cache.js';

/** How long a registered text is kept after its registration. */
const KEPT_MS = 24 * 3_600_000;
/** Longer texts are answered but not kept: no client gets to fill the store. */
const MAX_KEPT_CHARS = 64 * 1024;

export function persistedQueriesPlugin(cache: ViewCache): Plugin {
  const { entries } = cache.backend;
  const key = (hash: string) => `persisted-query:${hash}`;
  const store: APQStore = {
    // A store that is away is a miss: the client sends the text again.
    get: (hash) => entries.get<string>(key(hash)).catch(() => undefined),
    set: async (hash, query) => {
      if (query.length > MAX_KEPT_CHARS) return;
      await entries.set(key(hash), query, KEPT_MS).catch(() => undefined);
    },
  };
  return useAPQ({ store });
}
