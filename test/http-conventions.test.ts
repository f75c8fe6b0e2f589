/**
 * Issue 16, point 6: HTTP as clients, browsers and CDNs expect it. A missing or wrong
 * key is 401 with a Bearer challenge, a role too low is 403, under both JSON media
 * types; a GET query made of cached views carries Cache-Control (private, max-age
 * from the views' TTL) and an ETag, and If-None-Match gets 304 until the data changes.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const ADMIN = `admin-${'a'.repeat(24)}`;
const VIEWER = `viewer-${'v'.repeat(24)}`;
const MEDIA_TYPES = ['application/json', 'application/graphql-response+json'];
const INSERT = `mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }`;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await createTestGateway(
    {
      apiKeys: [
        { role: 'admin', key: ADMIN },
        { role: 'viewer', key: VIEWER },
      ],
      readsNeedKey: true,
      cacheTtlMs: 60_000,
    },
    { useCache: true },
  );
  await seedDatabase(gateway.db, { executions: 200, users: 4, reports: 6 });
});
afterAll(() => gateway.drop());

async function post(query: string, accept: string, key?: string, variables?: unknown) {
  return gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept,
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
}

describe('authentication and authorization statuses', () => {
  for (const accept of MEDIA_TYPES) {
    it(`answers 401 with a Bearer challenge without a valid key (${accept})`, async () => {
      for (const key of [undefined, 'not-a-key-of-ours-at-all-0000']) {
        const response = await post('{ providerPerformance { provider } }', accept, key);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
        const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
        expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
        expect(body.errors[0]?.extensions).not.toHaveProperty('http');
      }
    });

    it(`answers 403 when the key's role is too low (${accept})`, async () => {
      const response = await post(INSERT, accept, VIEWER, { rows: [] });
      expect(response.status).toBe(403);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
    });
  }
});

describe('HTTP caching of GET queries', () => {
  const QUERY = '{ providerPerformance(window: { last: "P365D" }) { provider executions } }';
  const get = (headers: Record<string, string> = {}) =>
    gateway.yoga.fetch(`http://gateway.test/graphql?query=${encodeURIComponent(QUERY)}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${VIEWER}`, ...headers },
    });

  it('sends Cache-Control and an ETag, answers If-None-Match with 304 until a write', async () => {
    const first = await get();
    expect(first.status).toBe(200);
    const cacheControl = first.headers.get('cache-control') ?? '';
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(cacheControl)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(60);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const data = ((await first.json()) as { data: unknown }).data;

    const again = await get({ 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    // A write changes the numbers: the old ETag no longer matches.
    const report = await queryOne<{ id: string }>(
      gateway.db,
      sql`SELECT MIN(id) AS id FROM reports`,
    );
    const write = await post(INSERT, 'application/json', ADMIN, {
      rows: [
        {
          reportId: String(report?.id),
          status: 'SUCCESS',
          startedAt: new Date(Date.now() - 3_600_000).toISOString(),
          durationMs: 1_000,
        },
      ],
    });
    expect(await write.json()).toEqual({ data: { insertExecutions: { affected: 1 } } });
    const changed = await get({ 'if-none-match': etag! });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { data: unknown }).data).not.toEqual(data);
  });

  it('marks GET answers with errors, and POST answers, no-store', async () => {
    const failing = await gateway.yoga.fetch(
      `http://gateway.test/graphql?query=${encodeURIComponent('{ reportsSummary(first: -1) { totalCount } }')}`,
      { headers: { accept: 'application/json', authorization: `Bearer ${VIEWER}` } },
    );
    expect(failing.headers.get('cache-control')).toBe('no-store');
    expect(failing.headers.get('etag')).toBeNull();
    const posted = await post(QUERY, 'application/json', VIEWER);
    expect(posted.headers.get('etag')).toBeNull();
  });
});
