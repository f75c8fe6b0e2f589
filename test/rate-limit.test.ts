/**
 * Rate limits through yoga: per API key, per client address without a key (from the
 * socket, X-Forwarded-For only behind TRUST_PROXY), 429 with Retry-After before the
 * request is parsed, reset after the window, probes never limited, and one limit
 * shared by every instance through Redis.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type KeyvRedis from '@keyv/redis';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cacheNamespace, ViewCache } from '../src/cache/view-cache.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { createGateway } from '../src/server/yoga.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/redis-server.js';

const KEY_A = 'viewer-key-aaaaaaaaaaaaaaaa';
const KEY_B = 'viewer-key-bbbbbbbbbbbbbbbb';
const QUERY = JSON.stringify({ query: '{ __typename }' });

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway();
});
afterAll(() => gateway.drop());

/** A gateway instance over the test database with these settings (3 requests per 2 s). */
function instance(env: Record<string, string> = {}, overrides: Partial<Config> = {}) {
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      API_KEYS: `viewer:${KEY_A},viewer:${KEY_B}`,
      RATE_LIMIT_PER_MINUTE: '90',
      RATE_LIMIT_BURST: '3',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '90',
      RATE_LIMIT_ANONYMOUS_BURST: '3',
      ...env,
    }),
    readsNeedKey: false,
    ...overrides,
  };
  const cache = ViewCache.create(config, cacheNamespace(gateway.url));
  const yoga = createGateway({ db: gateway.db, databaseUrl: gateway.url, config, cache });
  /** POSTs `body` as a client at `address` (the socket's peer, as node:http reports it). */
  const post = (
    options: { key?: string; address?: string; headers?: Record<string, string> } = {},
    body = QUERY,
  ) =>
    yoga.fetch(
      'http://gateway.test/graphql',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
          ...options.headers,
        },
        body,
      },
      { req: { socket: { remoteAddress: options.address ?? '198.51.100.1' } } },
    );
  return { config, cache, yoga, post };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LimitedBody {
  errors: { message: string; extensions: { code: string; retryAfterSeconds: number } }[];
}

async function expectLimited(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(2);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as LimitedBody;
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]!.extensions).toEqual({
    code: 'RATE_LIMITED',
    retryAfterSeconds: retryAfter,
  });
  expect(body.errors[0]!.message).toMatch(/^Rate limit exceeded: .* may send 3 requests per 2 s/);
  return { retryAfter, message: body.errors[0]!.message };
}

describe('configuration', () => {
  it('is off by default', () => {
    const config = loadConfig({});
    expect(config.rateLimitPerKey).toBeNull();
    expect(config.rateLimitAnonymous).toBeNull();
    expect(config.trustProxyHops).toBe(0);
  });

  it('derives the window from the rate and the burst (the burst defaults to the rate)', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '600' }).rateLimitPerKey).toEqual({
      perMinute: 600,
      burst: 600,
      windowSeconds: 60,
    });
    expect(
      loadConfig({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '600', RATE_LIMIT_ANONYMOUS_BURST: '50' })
        .rateLimitAnonymous,
    ).toEqual({ perMinute: 600, burst: 50, windowSeconds: 5 });
  });

  it.each([
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, /^RATE_LIMIT_PER_MINUTE: expected a whole number/],
    [
      { RATE_LIMIT_PER_MINUTE: '600', RATE_LIMIT_BURST: '5' },
      /^RATE_LIMIT_BURST: must be at least/,
    ],
    [{ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '-1' }, /^RATE_LIMIT_ANONYMOUS_PER_MINUTE: /],
    [{ TRUST_PROXY: 'yes please' }, /^TRUST_PROXY: /],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('per API key', () => {
  it('answers the (burst + 1)th request with 429 and Retry-After before parsing it, and says what is left', async () => {
    const { post } = instance();
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await post({ key: KEY_A });
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    gateway.statements.length = 0;
    // Not even parsed: a body that is not JSON would otherwise be a 400.
    const limited = await post({ key: KEY_A }, '{ this is not json');
    const { message } = await expectLimited(limited);
    expect(message).toMatch(/this API key/);
    expect(message).not.toContain(KEY_A);
    expect(gateway.statements).toEqual([]);
  });

  it('leaves another key alone, and the same key from another address is still limited', async () => {
    const { post } = instance();
    for (let i = 0; i < 3; i += 1) await post({ key: KEY_A, address: '198.51.100.1' });
    await expectLimited(await post({ key: KEY_A, address: '198.51.100.2' }));
    expect((await post({ key: KEY_B, address: '198.51.100.1' })).status).toBe(200);
  });

  it('lets the key in again once the window has passed', async () => {
    const { post } = instance();
    for (let i = 0; i < 3; i += 1) expect((await post({ key: KEY_A })).status).toBe(200);
    const { retryAfter } = await expectLimited(await post({ key: KEY_A }));
    await sleep(retryAfter * 1000 + 100);
    expect((await post({ key: KEY_A })).status).toBe(200);
  });

  it('does not limit keys when only anonymous requests are limited', async () => {
    const { post } = instance({ RATE_LIMIT_PER_MINUTE: '0' });
    for (let i = 0; i < 6; i += 1) expect((await post({ key: KEY_A })).status).toBe(200);
  });

  it('never writes the key into the log', async () => {
    const { post } = instance();
    const write = vi.spyOn(process.stderr, 'write');
    try {
      for (let i = 0; i < 5; i += 1) await post({ key: KEY_A });
      const lines = write.mock.calls.map(([line]) => String(line));
      expect(lines.some((line) => line.includes('rate limit reached'))).toBe(true);
      expect(lines.some((line) => line.includes(KEY_A))).toBe(false);
    } finally {
      write.mockRestore();
    }
  });
});

describe('per client address, without a key', () => {
  it('limits each address on its own, apart from the keys used from it', async () => {
    const { post } = instance();
    for (let i = 0; i < 3; i += 1) {
      expect((await post({ address: '203.0.113.7' })).status).toBe(200);
    }
    const { message } = await expectLimited(await post({ address: '203.0.113.7' }));
    expect(message).toMatch(/this client address without a key/);
    expect((await post({ address: '203.0.113.8' })).status).toBe(200);
    expect((await post({ key: KEY_A, address: '203.0.113.7' })).status).toBe(200);
  });

  it('counts requests with an unknown key against the address (made-up keys buy nothing)', async () => {
    const { post } = instance();
    for (let i = 0; i < 3; i += 1) {
      await post({ key: `made-up-key-${i}-xxxxxxxxxxxx`, address: '203.0.113.9' });
    }
    await expectLimited(await post({ key: 'made-up-key-9-xxxxxxxxxxxx', address: '203.0.113.9' }));
  });

  it('treats IPv4-mapped IPv6 as IPv4 and one IPv6 /64 as one client', async () => {
    const { post } = instance();
    await post({ address: '::ffff:192.0.2.1' });
    await post({ address: '192.0.2.1' });
    await post({ address: '::ffff:192.0.2.1' });
    await expectLimited(await post({ address: '192.0.2.1' }));
    await post({ address: '2001:db8:1:2::1' });
    await post({ address: '2001:db8:1:2:ffff::9' });
    await post({ address: '2001:0db8:0001:0002:0:0:0:3' });
    await expectLimited(await post({ address: '2001:db8:1:2::4' }));
    expect((await post({ address: '2001:db8:1:3::1' })).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says how many proxies to believe', async () => {
    const untrusting = instance();
    for (let i = 0; i < 3; i += 1) {
      await untrusting.post({
        address: '10.0.0.1',
        headers: { 'x-forwarded-for': `192.0.2.${i}` },
      });
    }
    await expectLimited(
      await untrusting.post({ address: '10.0.0.1', headers: { 'x-forwarded-for': '192.0.2.99' } }),
    );

    const behindProxy = instance({ TRUST_PROXY: '1' });
    const viaProxy = (forwarded: string) =>
      behindProxy.post({ address: '10.0.0.1', headers: { 'x-forwarded-for': forwarded } });
    // The client may forge entries on the left; the proxy's own (rightmost) entry counts.
    for (let i = 0; i < 3; i += 1)
      expect((await viaProxy(`6.6.6.${i}, 192.0.2.50`)).status).toBe(200);
    await expectLimited(await viaProxy('6.6.6.99, 192.0.2.50'));
    expect((await viaProxy('192.0.2.51')).status).toBe(200);
  });
});

describe('over a real socket', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    const { yoga } = instance();
    server = http.createServer(yoga.requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('limits by the peer address, and never /health, /ready or /metrics', async () => {
    const graphql = () =>
      fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: QUERY,
      });
    for (let i = 0; i < 3; i += 1) expect((await graphql()).status).toBe(200);
    await expectLimited(await graphql());
    for (let i = 0; i < 5; i += 1) {
      for (const path of ['/health', '/ready', '/metrics']) {
        const response = await fetch(`${base}${path}`);
        expect(response.status, path).toBe(200);
        await response.arrayBuffer();
      }
    }
    await expectLimited(await graphql());
  });
});

describe('shared through Redis (CACHE_URL)', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(() => redis.stop());

  /** Two gateway instances on one Redis, connected. */
  async function pair() {
    const instances = [instance({ CACHE_URL: redis.url }), instance({ CACHE_URL: redis.url })];
    for (const { cache } of instances) {
      await (cache.backend.entries.store as KeyvRedis<unknown>).getClient();
    }
    return instances as [(typeof instances)[0], (typeof instances)[0]];
  }

  it('counts a key across instances, under a name that does not contain the key', async () => {
    const [a, b] = await pair();
    try {
      expect((await a.post({ key: KEY_A })).status).toBe(200);
      expect((await b.post({ key: KEY_A })).status).toBe(200);
      expect((await a.post({ key: KEY_A })).status).toBe(200);
      await expectLimited(await b.post({ key: KEY_A }));
      await expectLimited(await a.post({ key: KEY_A }));
      expect((await b.post({ key: KEY_B })).status).toBe(200);

      const client = createClient({ url: redis.url });
      await client.connect();
      const names = await client.keys('analytics-gateway:rate:*');
      await client.quit();
      expect(names.length).toBeGreaterThanOrEqual(2);
      expect(names.every((name) => !name.includes(KEY_A) && !name.includes(KEY_B))).toBe(true);
    } finally {
      await Promise.all([a.cache.backend.close(), b.cache.backend.close()]);
    }
  });

  it('keeps limiting in process, and answering, while Redis is down', async () => {
    const [a, b] = await pair();
    await redis.stop();
    try {
      // Each instance counts alone now: three each.
      for (let i = 0; i < 3; i += 1) {
        expect((await a.post({ key: KEY_B })).status).toBe(200);
        expect((await b.post({ key: KEY_B })).status).toBe(200);
      }
      await expectLimited(await a.post({ key: KEY_B }));
      await expectLimited(await b.post({ key: KEY_B }));
    } finally {
      await redis.start();
      await Promise.all([a.cache.backend.close(), b.cache.backend.close()]);
    }
  });
});
