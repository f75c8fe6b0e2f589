/**
 * Issue 16, point 5: Apollo Client's automatic persisted queries and request
 * batching, with Apollo's own links (PersistedQueryLink, BatchHttpLink) against the
 * gateway. Persisted texts live in the shared cache, so a query registered through one
 * instance is answered by hash alone on another; each operation of a batch counts
 * against the limits and the rate limit.
 */
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { BatchHttpLink } from '@apollo/client/link/batch-http';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheNamespace, ViewCache } from '../src/cache/view-cache.js';
import { loadConfig, type Config } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createGateway } from '../src/server/yoga.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/redis-server.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const COUNT = gql`
  query ExecutionCount($window: TimeWindow) {
    recentExecutions(first: 1, window: $window) {
      totalCount
    }
  }
`;
const DAY = 86_400_000;
/** A window wholly in the past: its count cannot change while the test runs. */
const WINDOW = {
  from: new Date(Date.now() - 30 * DAY).toISOString(),
  to: new Date(Date.now() - DAY).toISOString(),
};

let database: TestDatabase;
let redis: PrivateRedis;
const closers: (() => Promise<void>)[] = [];
/** Plain SQL's count of the executions in WINDOW. */
let expectedCount: number;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.db, { executions: 400, users: 5, reports: 8 });
  redis = await startPrivateRedis();
  const row = await queryOne<{ n: number }>(
    database.db,
    sql`SELECT COUNT(*) AS n FROM report_executions
        WHERE started_at >= ${new Date(WINDOW.from)} AND started_at < ${new Date(WINDOW.to)}`,
  );
  expectedCount = Number(row?.n);
});
afterAll(async () => {
  for (const close of closers) await close();
  await redis.stop();
  await database.drop();
});

/** A gateway instance over the test database; `overrides` as environment variables. */
function instance(env: Record<string, string> = {}) {
  const config: Config = loadConfig({ NODE_ENV: 'test', ...env });
  const cache = ViewCache.create(config, cacheNamespace(database.url));
  closers.push(() => cache.backend.close());
  const yoga = createGateway({ db: database.db, databaseUrl: database.url, config, cache });
  const bodies: unknown[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (typeof init?.body === 'string') bodies.push(JSON.parse(init.body));
    return yoga.fetch(new Request(input, init));
  };
  return { yoga, fetch, bodies };
}

const URI = 'http://gateway.test/graphql';

function apq(fetch: typeof globalThis.fetch) {
  return new ApolloClient({
    link: ApolloLink.from([new PersistedQueryLink({ sha256 }), new HttpLink({ uri: URI, fetch })]),
    cache: new InMemoryCache(),
  });
}

describe('automatic persisted queries', () => {
  it('registers a query on a miss, then any instance answers its hash alone', async () => {
    const a = instance({ CACHE_URL: redis.url });
    const b = instance({ CACHE_URL: redis.url });
    const first = await apq(a.fetch).query({
      query: COUNT,
      variables: { window: WINDOW },
      fetchPolicy: 'network-only',
    });
    expect(first.data).toEqual({
      recentExecutions: { __typename: 'ExecutionConnection', totalCount: expectedCount },
    });
    // Hash alone, answered PERSISTED_QUERY_NOT_FOUND; then hash and text.
    expect(a.bodies).toHaveLength(2);
    expect(a.bodies[0]).not.toHaveProperty('query');
    expect(a.bodies[0]).toMatchObject({
      extensions: { persistedQuery: { version: 1, sha256Hash: expect.any(String) as string } },
    });
    expect(a.bodies[1]).toHaveProperty('query');

    const second = await apq(b.fetch).query({
      query: COUNT,
      variables: { window: WINDOW },
      fetchPolicy: 'network-only',
    });
    expect(second.data).toEqual(first.data);
    expect(b.bodies).toHaveLength(1);
    expect(b.bodies[0]).not.toHaveProperty('query');
  });

  it('answers an unknown hash with the protocol error, and refuses a text that is not the hash', async () => {
    const { yoga } = instance();
    const ask = async (body: unknown) => {
      const response = await yoga.fetch(URI, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { errors?: unknown[] };
    };
    const unknown = await ask({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ nothing }') } },
    });
    expect(unknown.errors).toEqual([
      expect.objectContaining({
        message: 'PersistedQueryNotFound',
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) as unknown,
      }),
    ]);
    const mismatch = await ask({
      query: '{ recentExecutions(first: 1) { totalCount } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } },
    });
    expect(mismatch.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_MISMATCH' }) as unknown,
      }),
    ]);
  });
});

describe('batched requests', () => {
  it("sends Apollo's BatchHttpLink operations in one request and answers each", async () => {
    const { fetch, bodies } = instance();
    const client = new ApolloClient({
      link: new BatchHttpLink({ uri: URI, fetch, batchMax: 10, batchInterval: 20 }),
      cache: new InMemoryCache(),
    });
    const windows = [2, 7, 30].map((days) => ({
      from: new Date(Date.now() - days * DAY).toISOString(),
      to: WINDOW.to,
    }));
    const query = gql`
      query Count($window: TimeWindow) {
        recentExecutions(first: 1, window: $window) {
          totalCount
        }
      }
    `;
    const results = await Promise.all(
      windows.map((window) =>
        client.query({ query, variables: { window }, fetchPolicy: 'no-cache' }),
      ),
    );
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toHaveLength(3);
    for (const [i, window] of windows.entries()) {
      const row = await queryOne<{ n: number }>(
        database.db,
        sql`SELECT COUNT(*) AS n FROM report_executions
            WHERE started_at >= ${new Date(window.from)} AND started_at < ${new Date(window.to)}`,
      );
      expect(results[i]?.data).toEqual({
        recentExecutions: { __typename: 'ExecutionConnection', totalCount: Number(row?.n) },
      });
    }
  });

  const post = (yoga: ReturnType<typeof instance>['yoga'], body: unknown) =>
    yoga.fetch(URI, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const operation = { query: '{ recentExecutions(first: 1) { totalCount } }' };

  it('refuses more than MAX_BATCH_OPERATIONS operations, naming the limit', async () => {
    const { yoga } = instance({ MAX_BATCH_OPERATIONS: '4' });
    const response = await post(
      yoga,
      Array.from({ length: 5 }, () => operation),
    );
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/limited to 4 operations/);
    expect(
      (
        await post(
          yoga,
          Array.from({ length: 4 }, () => operation),
        )
      ).status,
    ).toBe(200);
  });

  it('counts each operation against the rate limit and the query limits', async () => {
    const { yoga } = instance({
      API_KEYS: `viewer:viewer-${'v'.repeat(24)}`,
      RATE_LIMIT_PER_MINUTE: '60',
      RATE_LIMIT_BURST: '3',
      MAX_QUERY_DEPTH: '4',
    });
    const response = await yoga.fetch(URI, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer viewer-${'v'.repeat(24)}`,
      },
      body: JSON.stringify([
        operation,
        { query: '{ recentExecutions(first: 1) { edges { node { report { owner { id } } } } } }' },
        operation,
        operation,
      ]),
    });
    const results = (await response.json()) as {
      data?: unknown;
      errors?: { extensions: { code: string } }[];
    }[];
    expect(results.map((r) => r.errors?.[0]?.extensions.code ?? 'ok')).toEqual([
      'ok',
      'QUERY_TOO_COMPLEX',
      'ok',
      'RATE_LIMITED',
    ]);
  });
});
