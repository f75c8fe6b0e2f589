/**
 * The view cache: read-through with no statement on a hit, bounded LRU, table-tag
 * invalidation, single-flight, Redis shared between gateways, Redis outages.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { memoryBroadcast } from '../src/cache/backend.js';
import { cacheKey } from '../src/cache/cache-key.js';
import {
  commonVersions,
  memoryVersionStore,
  type VersionStore,
} from '../src/cache/table-versions.js';
import { ViewCache, type ViewCacheOptions } from '../src/cache/view-cache.js';
import { loadConfig } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import type { Selection } from '../src/views/selection.js';
import { createGateway } from '../src/server/yoga.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';
import { eventually } from './helpers/eventually.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/redis-server.js';

let gateway: TestGateway;
let report: string;
const window = '{ from: "2026-05-01T00:00:00Z", to: "2026-05-02T00:00:00Z" }';
const SUMMARY = `{ reportsSummary(window: ${window}) { totalCount edges { node { report { name } executions } } } }`;
const PROVIDERS = `{ providerPerformance(window: ${window}) { provider executions } }`;
const CATEGORIES = `{ categoryPerformance(window: ${window}) { category executions } }`;

type Report = { field: string; hit: boolean; ageMs: number; tables: string[] }[];

beforeAll(async () => {
  gateway = await createTestGateway({}, { useCache: true });
  report = await insertReport(gateway.db, { name: 'Cached' });
  await insertExecution(gateway.db, report, '2026-05-01T10:00:00Z');
});
afterAll(() => gateway.drop());

async function run(query: string, headers: Record<string, string> = {}) {
  gateway.statements.length = 0;
  const response = await gateway.post({ query }, headers);
  const body = (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: unknown;
    extensions?: { cache?: Report };
  };
  return { body, statements: [...gateway.statements], cache: body.extensions?.cache ?? [] };
}

const ANALYST = 'analyst-key-for-cache-tests';

type Answer = {
  data: Record<string, unknown> | null;
  errors?: { extensions?: { code?: string } }[];
  extensions: { cache: Report };
};

/** A gateway instance over the test database with its cache in the Redis at `url`. */
function redisInstance(url: string, namespace: string, options: ViewCacheOptions = {}) {
  const config = loadConfig({ NODE_ENV: 'test', CACHE_URL: url, API_KEYS: `analyst:${ANALYST}` });
  // Reads stay open here; the key is for the writes.
  config.readsNeedKey = false;
  const cache = ViewCache.create(config, `${namespace}:${gateway.name}`, options);
  const yoga = createGateway({ db: gateway.db, databaseUrl: gateway.url, config, cache });
  const ask = async (query: string, variables?: unknown) => {
    const response = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ANALYST}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
  // A single-node client, as backend.ts creates it.
  const ready = () =>
    Boolean(
      ((cache.backend.entries.store as KeyvRedis<unknown>).client as { isReady?: boolean }).isReady,
    );
  return { cache, ask, ready };
}

describe('read-through view cache', () => {
  it('answers a repeated request without touching MySQL', async () => {
    const first = await run(SUMMARY);
    expect(first.statements.length).toBeGreaterThan(0);
    expect(first.cache).toEqual([
      {
        field: 'reportsSummary',
        hit: false,
        ageMs: 0,
        tables: ['reports', 'report_executions'],
      },
    ]);
    // The identical request again: answered whole from the response entry.
    const second = await run(SUMMARY);
    expect(second.statements).toEqual([]);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.cache).toEqual([
      { field: '(response)', hit: true, ageMs: expect.any(Number) as number },
    ]);
    // Another document asking the same view: the view entry answers it.
    const aliased = await run(SUMMARY.replace('reportsSummary', 'top: reportsSummary'));
    expect(aliased.statements).toEqual([]);
    expect(aliased.cache).toEqual([
      {
        field: 'top',
        hit: true,
        ageMs: expect.any(Number) as number,
        tables: ['reports', 'report_executions'],
      },
    ]);
    expect(aliased.body.data).toEqual({ top: first.body.data!.reportsSummary });
  });

  it('answers from a response entry only what yoga would answer with that JSON body', async () => {
    const query = SUMMARY.replace('reportsSummary', 'asked: reportsSummary');
    expect((await run(query)).body.errors).toBeUndefined();
    expect((await run(query)).cache).toEqual([expect.objectContaining({ field: '(response)' })]);
    const send = (headers: Record<string, string>) =>
      gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query }),
      });
    const plain = await send({ 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    const streamed = await send({
      'content-type': 'application/json',
      accept: 'text/event-stream',
    });
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await streamed.text()).toMatch(/^event: next\ndata: .*"asked"/m);
  });

  it.each([
    ['as plain fields', '{ %REPORT% %PROVIDERS% }'],
    ['inside a fragment at the root', '{ ...F } fragment F on Query { %REPORT% %PROVIDERS% }'],
    [
      'beside a view skipped by a variable',
      'query ($no: Boolean = true) { %REPORT% providers: %PROVIDERS% skipped: reportsSummary @skip(if: $no) { totalCount } }',
    ],
  ])('does not cache whole responses that read outside the views (%s)', async (_how, shape) => {
    const query = shape
      .replace('%REPORT%', `report(id: "${report}") { name }`)
      .replace('%PROVIDERS%', `providerPerformance(window: ${window}) { provider }`);
    await run(query);
    const again = await run(query);
    expect(again.body.errors).toBeUndefined();
    expect(again.statements.length).toBeGreaterThan(0); // the report look-up runs again
    expect(again.cache).toEqual([expect.objectContaining({ hit: true })]);
  });

  it('keys by arguments, selection and role', () => {
    const leaf = (): Selection => new Map();
    const selection: Selection = new Map([['executions', leaf()]]);
    const base = cacheKey('reportsSummary', { first: 5 }, selection, 'viewer');
    expect(cacheKey('reportsSummary', { first: 5 }, selection, 'viewer')).toBe(base);
    expect(cacheKey('reportsSummary', { first: 6 }, selection, 'viewer')).not.toBe(base);
    expect(cacheKey('reportsSummary', { first: 5 }, selection, 'admin')).not.toBe(base);
    expect(
      cacheKey('reportsSummary', { first: 5 }, new Map([['failures', leaf()]]), 'viewer'),
    ).not.toBe(base);
    // Argument order does not matter.
    expect(cacheKey('v', { a: 1, b: 2 }, selection, 'r')).toBe(
      cacheKey('v', { b: 2, a: 1 }, selection, 'r'),
    );
  });

  it('bypasses the cache for Cache-Control: no-cache', async () => {
    await run(SUMMARY);
    const live = await run(SUMMARY, { 'cache-control': 'no-cache' });
    expect(live.statements.length).toBeGreaterThan(0);
    expect(live.cache[0]).toMatchObject({ hit: false });
  });

  it('invalidates exactly the entries of the tables written, so list queries gain new rows', async () => {
    const withOwners = SUMMARY.replace('report { name }', 'report { name owner { displayName } }');
    await run(SUMMARY);
    await run(PROVIDERS);
    expect((await run(withOwners)).cache[0]).toMatchObject({
      tables: ['reports', 'report_executions', 'users'],
    });
    // A write that touches users only outdates just the entry that joined users.
    await gateway.cache.invalidate(['users']);
    expect((await run(PROVIDERS)).cache[0]).toMatchObject({ hit: true });
    expect((await run(SUMMARY)).cache[0]).toMatchObject({ hit: true });
    expect((await run(withOwners)).cache[0]).toMatchObject({ hit: false });
    // A new execution, then the invalidation a write through the gateway performs.
    await insertExecution(gateway.db, report, '2026-05-01T11:00:00Z');
    await gateway.cache.invalidate(['report_executions']);
    const fresh = await run(SUMMARY);
    expect(fresh.cache[0]).toMatchObject({ hit: false });
    expect(fresh.body.data).toMatchObject({
      reportsSummary: { edges: [{ node: { report: { name: 'Cached' }, executions: 2 } }] },
    });
    expect(gateway.cache.invalidations.get('report_executions')).toBeGreaterThanOrEqual(1);
  });

  it('runs concurrent identical misses once (single flight)', async () => {
    const query = `{ executionTrends(window: ${window}) { peak { slot } } }`;
    gateway.statements.length = 0;
    const results = await Promise.all(Array.from({ length: 10 }, () => gateway.post({ query })));
    const bodies = await Promise.all(results.map((r) => r.json()));
    expect(new Set(bodies.map((b) => JSON.stringify((b as { data: unknown }).data))).size).toBe(1);
    expect(gateway.statements.filter((s) => /HOUR\(h\.bucket_hour\)/.test(s))).toHaveLength(1);
  });

  it('applies a per-view TTL (0: never cached)', async () => {
    const live = await createTestGateway(
      { cacheViewTtlMs: { providerPerformance: 0 } },
      { useCache: true },
    );
    try {
      const ask = async () => {
        const response = await live.post({ query: PROVIDERS });
        return ((await response.json()) as { extensions: { cache: Report } }).extensions.cache;
      };
      await ask();
      expect((await ask())[0]).toMatchObject({ field: 'providerPerformance', hit: false });
    } finally {
      await live.drop();
    }
  });

  it('never caches an error', async () => {
    const cache = ViewCache.create(loadConfig({}), 'errors');
    const failing = vi.fn(() => Promise.reject(new Error('database down')));
    await expect(cache.readThrough('k', ['reports'], 60_000, failing)).rejects.toThrow(
      'database down',
    );
    const ok = await cache.readThrough('k', ['reports'], 60_000, () => Promise.resolve(42));
    expect(ok).toMatchObject({ value: 42, hit: false, ageMs: 0 });
    expect(failing).toHaveBeenCalledTimes(1);
  });
});

describe('Cache-Control: no-cache with API_KEYS set', () => {
  const VIEWER = 'viewer-key-for-no-cache-tests';
  const ANALYST = 'analyst-key-for-no-cache-tests';

  it('is honoured for analyst and admin keys only: a viewer gets the cached answer', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      API_KEYS: `viewer:${VIEWER},analyst:${ANALYST}`,
    });
    const cache = ViewCache.create(config, `no-cache:${gateway.name}`);
    const yoga = createGateway({ db: gateway.db, databaseUrl: gateway.url, config, cache });
    const ask = async (key: string) => {
      gateway.statements.length = 0;
      const response = await yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${key}`,
          'cache-control': 'no-cache',
        },
        body: JSON.stringify({ query: PROVIDERS }),
      });
      const body = (await response.json()) as { extensions: { cache: Report } };
      return { hit: body.extensions.cache[0]!.hit, statements: gateway.statements.length };
    };
    expect(await ask(VIEWER)).toMatchObject({ hit: false });
    // The viewer's no-cache is not honoured: answered whole from the cache, no SQL.
    expect(await ask(VIEWER)).toEqual({ hit: true, statements: 0 });
    // An analyst's is: computed again, twice.
    for (let i = 0; i < 2; i += 1) {
      const analyst = await ask(ANALYST);
      expect(analyst.hit).toBe(false);
      expect(analyst.statements).toBeGreaterThan(0);
    }
  });
});

describe('bounded in-process LRU', () => {
  it('keeps at most CACHE_MAX_ENTRIES entries under a stream of distinct queries', async () => {
    const cache = ViewCache.create(loadConfig({ CACHE_MAX_ENTRIES: '50' }), 'lru');
    for (let i = 0; i < 500; i += 1) {
      await cache.readThrough(`query-${i}`, ['reports'], 60_000, () => Promise.resolve({ i }));
    }
    expect(cache.backend.size()).toBe(50);
    expect(cache.backend.evictions()).toBe(450);
    expect(
      (await cache.readThrough('query-499', ['reports'], 60_000, () => Promise.resolve(0))).hit,
    ).toBe(true);
    expect(
      (await cache.readThrough('query-0', ['reports'], 60_000, () => Promise.resolve(0))).hit,
    ).toBe(false);
  });

  it('keeps within CACHE_MAX_BYTES', async () => {
    const cache = ViewCache.create(loadConfig({ CACHE_MAX_BYTES: '20000' }), 'bytes');
    const big = 'x'.repeat(1_000);
    for (let i = 0; i < 200; i += 1) {
      await cache.readThrough(`big-${i}`, ['reports'], 60_000, () => Promise.resolve(big));
    }
    expect(cache.backend.size()).toBeLessThanOrEqual(20);
    expect(cache.backend.evictions()).toBeGreaterThanOrEqual(180);
  });

  it('expires entries after their TTL', async () => {
    const cache = ViewCache.create(loadConfig({}), 'ttl');
    await cache.readThrough('t', ['reports'], 30, () => Promise.resolve(1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await cache.readThrough('t', ['reports'], 30, () => Promise.resolve(2))).value).toBe(2);
  });
});

describe('Redis shared by gateway instances', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(() => redis.stop());

  it('serves one instance from what another cached, and a write through one is seen by the other at once', async () => {
    const a = redisInstance(redis.url, 'shared');
    const b = redisInstance(redis.url, 'shared');
    const query = `{ recentExecutions(window: ${window}) { totalCount } }`;
    expect((await a.ask(query)).extensions.cache[0]!.hit).toBe(false);
    expect((await b.ask(query)).extensions.cache[0]!.hit).toBe(true);

    const written = await a.ask(
      'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }',
      { rows: [{ reportId: report, status: 'SUCCESS', startedAt: '2026-05-01T12:00:00Z' }] },
    );
    expect(written.data).toEqual({ insertExecutions: { affected: 1 } });
    const after = await b.ask(query);
    expect(after.extensions.cache[0]!.hit).toBe(false);
    const count = await queryOne<{ n: string }>(
      gateway.db,
      sql`SELECT COUNT(*) AS n FROM report_executions WHERE started_at >= '2026-05-01' AND started_at < '2026-05-02'`,
    );
    expect(after.data?.recentExecutions).toEqual({ totalCount: Number(count?.n) });
    await Promise.all([a.cache.backend.close(), b.cache.backend.close()]);
  });

  it('answers from MySQL while Redis is down, logging once, and caches again when it returns', async () => {
    const gatewayInstance = redisInstance(redis.url, 'shared');
    const query = `{ categoryPerformance(window: ${window}) { category executions } }`;
    await gatewayInstance.ask(query);
    const warn = vi.spyOn(process.stderr, 'write');
    await redis.stop();
    for (let i = 0; i < 5; i += 1) {
      const answer = await gatewayInstance.ask(query);
      expect(answer.data?.categoryPerformance).toEqual([
        { category: 'INFRASTRUCTURE', executions: expect.any(Number) as number },
      ]);
      expect(answer.extensions.cache[0]!.hit).toBe(false);
    }
    const outageLines = warn.mock.calls.filter(([line]) =>
      String(line).includes('cache store unavailable'),
    );
    expect(outageLines).toHaveLength(1);
    warn.mockRestore();

    await redis.start();
    let hit = false;
    for (let i = 0; i < 50 && !hit; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await gatewayInstance.ask(query);
      hit = (await gatewayInstance.ask(query)).extensions.cache[0]!.hit;
    }
    expect(hit).toBe(true);
    await gatewayInstance.cache.backend.close();
  });
});

describe('a write acknowledged while the shared store goes away', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis({ persist: true });
  });
  afterAll(() => redis.stop());

  const INSERT =
    'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }';
  const oneRow = () => ({
    rows: [{ reportId: report, status: 'SUCCESS', startedAt: '2026-05-01T13:00:00Z' }],
  });
  const COUNT = `{ recentExecutions(window: ${window}) { totalCount } }`;

  async function executionsOnTheDay() {
    const row = await queryOne<{ n: string }>(
      gateway.db,
      sql`SELECT COUNT(*) AS n FROM report_executions WHERE started_at >= '2026-05-01' AND started_at < '2026-05-02'`,
    );
    return Number(row?.n);
  }

  it('is answered by no instance from before it, also once the store is back', async () => {
    // Instance a loses Redis between the write's commit and its new version tokens.
    const a = redisInstance(redis.url, 'acknowledged', { afterWrite: () => redis.stop() });
    const b = redisInstance(redis.url, 'acknowledged');
    const before = await executionsOnTheDay();
    expect((await a.ask(COUNT)).data?.recentExecutions).toEqual({ totalCount: before });
    expect((await b.ask(COUNT)).extensions.cache[0]!.hit).toBe(true);

    const written = await a.ask(INSERT, oneRow());
    expect(written.data).toEqual({ insertExecutions: { affected: 1 } });
    expect(await executionsOnTheDay()).toBe(before + 1);

    for (const gatewayInstance of [a, b]) {
      expect((await gatewayInstance.ask(COUNT)).data?.recentExecutions).toEqual({
        totalCount: before + 1,
      });
    }
    // Redis comes back with all it held, the entries from before the write included.
    await redis.start();
    await eventually(() => a.ready() && b.ready());
    for (const gatewayInstance of [b, a, b]) {
      const answer = await gatewayInstance.ask(COUNT);
      expect(answer.data?.recentExecutions).toEqual({ totalCount: before + 1 });
    }
    await Promise.all([a.cache.backend.close(), b.cache.backend.close()]);
  });

  it('is refused, with nothing written, when the store cannot be told', async () => {
    const a = redisInstance(redis.url, 'acknowledged');
    await a.ask(COUNT);
    const before = await executionsOnTheDay();
    await redis.stop();
    const refused = await a.ask(INSERT, oneRow());
    expect(refused.errors?.[0]?.extensions?.code).toBe('CACHE_UNAVAILABLE');
    expect(await executionsOnTheDay()).toBe(before);
    await redis.start();
    await a.cache.backend.close();
  });
});

describe('cacheStats', () => {
  it('counts hits, misses, entries, evictions and invalidations per table', async () => {
    const result = await gateway.executeText(
      '{ cacheStats { backend hits misses hitRatio entries evictions invalidations { table count } } }',
    );
    const stats = result.data!.cacheStats as Record<string, unknown>;
    expect(stats.backend).toBe('memory');
    expect(stats.hits).toBe(gateway.cache.hits);
    expect(stats.misses).toBe(gateway.cache.misses);
    expect(stats.hitRatio).toBeCloseTo(
      gateway.cache.hits / (gateway.cache.hits + gateway.cache.misses),
    );
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.invalidations).toEqual(
      expect.arrayContaining([{ table: 'report_executions', count: expect.any(Number) as number }]),
    );
  });
});

describe('writes the version store misses', () => {
  /** A cache whose version store can be made to fail. */
  function flakyCache() {
    const state = { down: false };
    const tokens = memoryVersionStore();
    const guard = <T>(fn: () => Promise<T>): Promise<T> =>
      state.down ? Promise.reject(new Error('store unreachable')) : fn();
    const flaky: VersionStore = {
      get: (keys) => guard(() => tokens.get(keys)),
      setIfAbsent: (key, token) => guard(() => tokens.setIfAbsent(key, token)),
      set: (keys, token, ttlMs) => guard(() => tokens.set(keys, token, ttlMs)),
    };
    const cache = new ViewCache(
      {
        kind: 'memory',
        broadcast: memoryBroadcast(),
        entries: new Keyv({ store: new Map() }),
        versions: flaky,
        size: () => null,
        evictions: () => 0,
        close: () => Promise.resolve(),
      },
      'flaky',
    );
    return { cache, state };
  }

  it('refuses a write it cannot announce, before writing anything', async () => {
    const { cache, state } = flakyCache();
    state.down = true;
    let wrote = false;
    const refused = cache.write(['reports'], () => {
      wrote = true;
      return Promise.resolve();
    });
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'CACHE_UNAVAILABLE' } });
    expect(wrote).toBe(false);
  });

  it('keeps older entries out after a write whose new token was lost: its mark holds', async () => {
    const { cache, state } = flakyCache();
    await cache.readThrough('k', ['reports'], 60_000, () => Promise.resolve('before'));
    // The store goes away after the mark and the write, before the new token.
    await cache.write(['reports'], () => {
      state.down = true;
      return Promise.resolve();
    });
    state.down = false;
    const after = await cache.readThrough('k', ['reports'], 60_000, () => Promise.resolve('after'));
    expect(after).toMatchObject({ value: 'after', hit: false });
    // Nothing is stored while the mark holds: the next read computes again.
    const again = await cache.readThrough('k', ['reports'], 60_000, () => Promise.resolve('again'));
    expect(again).toMatchObject({ value: 'again', hit: false });
  });

  it('never lets a computation begun before a write answer a request made after it', async () => {
    const { cache } = flakyCache();
    let release: (value: string) => void = () => {};
    let started: () => void = () => {};
    const computing = new Promise<void>((resolve) => (started = resolve));
    const slow = cache.readThrough('k', ['reports'], 60_000, () => {
      started();
      return new Promise<string>((resolve) => (release = resolve));
    });
    await computing;
    await cache.invalidate(['reports']);
    const later = cache.readThrough('k', ['reports'], 60_000, () =>
      Promise.resolve('after the write'),
    );
    release('before the write');
    expect((await slow).value).toBe('before the write');
    expect((await later).value).toBe('after the write');
  });
});

describe('the response cache', () => {
  it('stores no response whose views read a table under different versions', async () => {
    // A version store in which a write lands between the two views' version reads:
    // on its second read it gives report_executions a new token, as a write would.
    const tokens = memoryVersionStore();
    await tokens.set(
      ['racing:table-version:reports', 'racing:table-version:report_executions'],
      'v1',
    );
    let reads = 0;
    const racing: VersionStore = {
      ...tokens,
      async get(keys) {
        reads += 1;
        if (reads === 2) {
          await tokens.set(
            keys.filter((key) => key.endsWith(':report_executions')),
            'written-meanwhile',
          );
        }
        return tokens.get(keys);
      },
    };
    const cache = new ViewCache(
      {
        kind: 'memory',
        broadcast: memoryBroadcast(),
        entries: new Keyv({ store: new Map() }),
        versions: racing,
        size: () => null,
        evictions: () => 0,
        close: () => Promise.resolve(),
      },
      'racing',
    );
    const yoga = createGateway({
      db: gateway.db,
      databaseUrl: gateway.url,
      config: gateway.config,
      cache,
    });
    const ask = async () => {
      const response = await yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ${PROVIDERS.slice(1, -1)} ${CATEGORIES.slice(1, -1)} }` }),
      });
      return ((await response.json()) as { extensions: { cache: Report } }).extensions.cache;
    };
    const first = await ask();
    expect(first.map((entry) => entry.hit)).toEqual([false, false]);
    expect(reads).toBeGreaterThanOrEqual(2);
    // Not stored whole: the same request is answered view by view, not as one response.
    const second = await ask();
    expect(second.map((entry) => entry.field).sort()).toEqual([
      'categoryPerformance',
      'providerPerformance',
    ]);
  });

  it('tells mixed and pending versions apart from agreeing ones', () => {
    expect(commonVersions([{ reports: 'a' }, { reports: 'a', users: 'u' }])).toEqual({
      reports: 'a',
      users: 'u',
    });
    expect(commonVersions([{ reports: 'a' }, { reports: 'b' }])).toBeUndefined();
    expect(commonVersions([{ reports: 'pending:x' }])).toBeUndefined();
  });
});
