/** `cacheStats`: how the cache of this gateway instance is doing. */
import type { ViewCache } from '../cache/view-cache.js';
import { builder } from './builder.js';

const TableInvalidations = builder
  .objectRef<{ table: string; count: number }>('TableInvalidations')
  .implement({
    fields: (t) => ({ table: t.exposeString('table'), count: t.exposeInt('count') }),
  });

const CacheStats = builder.objectRef<ViewCache>('CacheStats').implement({
  description: 'Counters since this gateway instance started.',
  fields: (t) => ({
    backend: t.string({
      description: 'memory (in-process LRU) or redis (shared).',
      resolve: (cache) => cache.backend.kind,
    }),
    hits: t.int({ resolve: (cache) => cache.hits }),
    misses: t.int({ resolve: (cache) => cache.misses }),
    hitRatio: t.float({
      nullable: true,
      description: 'hits ÷ (hits + misses); null before any look-up.',
      resolve: (cache) =>
        cache.hits + cache.misses === 0 ? null : cache.hits / (cache.hits + cache.misses),
    }),
    entries: t.int({
      nullable: true,
      description: 'Entries held in process; null for Redis.',
      resolve: (cache) => cache.backend.size(),
    }),
    evictions: t.int({
      description: 'Entries the LRU dropped to stay within its bounds.',
      resolve: (cache) => cache.backend.evictions(),
    }),
    invalidations: t.field({
      type: [TableInvalidations],
      description: 'Invalidations per table.',
      resolve: (cache) => [...cache.invalidations].map(([table, count]) => ({ table, count })),
    }),
  }),
});

builder.queryField('cacheStats', (t) =>
  t.field({ type: CacheStats, resolve: (_root, _args, context) => context.cache }),
);
