/**
 * Issue 19, point 3: the dashboard's documents are persisted. A client sends
 * `documentId` (GraphQL-over-HTTP's persisted documents) in a POST body or a GET query
 * string; with PERSISTED_DOCUMENTS_ONLY=1, viewer keys and anonymous clients may send
 * nothing else.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { loadPersistedDocuments } from '../src/server/persisted-documents.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const MANIFEST = 'dashboard/src/gql/persisted-documents.json';
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;

/** The hash of the manifest's document that defines `operation`. */
function idOf(operation: string) {
  const found = Object.entries(manifest).find(([, text]) => text.includes(` ${operation}`));
  if (!found) throw new Error(`no persisted document defines ${operation}`);
  return `sha256:${found[0]}`;
}

const KEYS = [
  { key: 'viewer-key-0123456789', role: 'viewer' as const },
  { key: 'analyst-key-0123456789', role: 'analyst' as const },
];

let gateway: TestGateway;
let reportCount: number;

beforeAll(async () => {
  gateway = await createTestGateway();
  await seedDatabase(gateway.db, { executions: 300, reports: 25, users: 8 });
  const row = await queryOne<{ n: string }>(gateway.db, sql`SELECT COUNT(*) AS n FROM reports`);
  reportCount = Number(row?.n);
}, 120_000);
afterAll(() => gateway.drop());

const WINDOW = { last: 'P400D' };

interface Answer {
  status: number;
  body: {
    data?: { reportsSummary?: { totalCount: number } } & Record<string, unknown>;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  statements: number;
}

async function send(
  yoga: TestGateway['yoga'],
  request: {
    body?: unknown;
    query?: string;
    headers?: Record<string, string>;
    /** Through the response cache (else Cache-Control: no-cache). */
    cached?: boolean;
  },
): Promise<Answer> {
  gateway.statements.length = 0;
  const response = await yoga.fetch(`http://gateway.test/graphql${request.query ?? ''}`, {
    method: request.body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/graphql-response+json',
      ...(request.cached ? {} : { 'cache-control': 'no-cache' }),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Answer['body'],
    statements: gateway.statements.length,
  };
}

const pageById = (headers: Record<string, string> = {}) => ({
  body: {
    documentId: idOf('BusiestReportsPage'),
    variables: { window: WINDOW, reportsFirst: 5 },
  },
  headers,
});
const pageAsText = (headers: Record<string, string> = {}) => ({
  body: { query: `{ reportsSummary(window: { last: "P400D" }, first: 5) { totalCount } }` },
  headers,
});
const bearer = (role: 'viewer' | 'analyst') => ({
  authorization: `Bearer ${KEYS.find((key) => key.role === role)!.key}`,
});

describe('persisted documents', () => {
  it('runs a document sent by its id, in a POST body and in a GET query string', async () => {
    const posted = await send(gateway.yoga, pageById());
    expect(posted.body.errors).toBeUndefined();
    expect(posted.body.data?.reportsSummary?.totalCount).toBe(reportCount);

    const variables = encodeURIComponent(JSON.stringify({ window: WINDOW, reportsFirst: 5 }));
    const got = await send(gateway.yoga, {
      query: `?documentId=${encodeURIComponent(idOf('BusiestReportsPage'))}&variables=${variables}`,
    });
    expect(got.body.errors).toBeUndefined();
    expect(got.body.data?.reportsSummary?.totalCount).toBe(reportCount);
  });

  const dashboard = (cached = false) => ({
    body: {
      documentId: idOf('Dashboard('),
      variables: {
        window: WINDOW,
        granularity: 'WEEK',
        stackBy: 'PROVIDER',
        reportsFirst: 10,
        recentFirst: 20,
      },
    },
    cached,
  });

  it('runs the whole dashboard document within the default query limits', async () => {
    const answer = await send(gateway.yoga, dashboard());
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.reportsSummary?.totalCount).toBe(reportCount);
  });

  it('answers the dashboard document again from the response cache, fragments and all', async () => {
    const first = await send(gateway.yoga, dashboard(true));
    expect(first.body.errors).toBeUndefined();
    const again = await send(gateway.yoga, dashboard(true));
    expect(again.statements).toBe(0);
    expect(again.body).toEqual({
      data: first.body.data,
      extensions: {
        cache: [{ field: '(response)', hit: true, ageMs: expect.any(Number) as number }],
      },
    });
  });

  it('names what is wrong with an id it cannot run, before any SQL', async () => {
    const unknown = await send(gateway.yoga, {
      body: { documentId: `sha256:${'0'.repeat(64)}` },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    expect(unknown.body.errors?.[0]?.message).toContain(`sha256:${'0'.repeat(64)}`);

    const malformed = await send(gateway.yoga, { body: { documentId: 'md5:abc' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.message).toContain('"md5:abc"');
    // The convention's prefix is required; a long id is shown cut short.
    const bare = await send(gateway.yoga, { body: { documentId: idOf('Dashboard(').slice(7) } });
    expect(bare.status).toBe(400);
    const long = await send(gateway.yoga, { body: { documentId: 'x'.repeat(100_000) } });
    expect(long.status).toBe(400);
    expect(long.body.errors?.[0]?.message).toMatch(
      /^documentId must be .*\(100002 characters\)\.$/,
    );
    expect(long.body.errors?.[0]?.message.length).toBeLessThan(250);

    const both = await send(gateway.yoga, {
      body: { documentId: idOf('BusiestReportsPage'), query: '{ cacheStats { entries } }' },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors?.[0]?.message).toBe('Send documentId or query, not both.');
    expect(unknown.statements + malformed.statements + bare.statements + both.statements).toBe(0);
  });

  it('with PERSISTED_DOCUMENTS_ONLY, refuses other documents from anonymous clients only', async () => {
    const only = gateway.variant({ persistedDocumentsOnly: true });
    const refused = await send(only, pageAsText());
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    expect(refused.body.errors?.[0]?.message).toContain('PERSISTED_DOCUMENTS_ONLY');
    expect(refused.statements).toBe(0);

    // An automatic persisted query is another document too: its registration is refused.
    const text = '{ reportsSummary(first: 1) { totalCount } }';
    const sha256Hash = createHash('sha256').update(text).digest('hex');
    const registered = await send(only, {
      body: { query: text, extensions: { persistedQuery: { version: 1, sha256Hash } } },
    });
    expect(registered.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    const byHash = await send(gateway.yoga, {
      body: { extensions: { persistedQuery: { version: 1, sha256Hash } } },
    });
    expect(byHash.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const allowed = await send(only, pageById());
    expect(allowed.body.data?.reportsSummary?.totalCount).toBe(reportCount);
    // Without the setting, the same text runs.
    const open = await send(gateway.yoga, pageAsText());
    expect(open.body.data?.reportsSummary?.totalCount).toBe(reportCount);
  });

  it('with PERSISTED_DOCUMENTS_ONLY, never answers other documents from the response cache', async () => {
    // An instance without the setting, on the same cache, stores an anonymous answer …
    const text = '{ reportsSummary(window: { last: "P30D" }, first: 2) { totalCount } }';
    const stored = await send(gateway.yoga, { body: { query: text }, cached: true });
    expect(stored.body.data?.reportsSummary?.totalCount).toBe(reportCount);
    const hit = await send(gateway.yoga, { body: { query: text }, cached: true });
    expect(hit.statements).toBe(0);
    // … which the allow-list's instance does not hand to an anonymous caller.
    const only = gateway.variant({ persistedDocumentsOnly: true });
    const refused = await send(only, { body: { query: text }, cached: true });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    // Nor does a key that matches none get further than 401.
    const unknownKey = await send(only, {
      body: { query: text },
      headers: { authorization: 'Bearer not-a-key-of-this-gateway' },
    });
    expect(unknownKey.status).toBe(401);
    expect(unknownKey.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('with PERSISTED_DOCUMENTS_ONLY and keys, refuses viewer keys and lets analysts send any', async () => {
    const only = gateway.variant({
      persistedDocumentsOnly: true,
      apiKeys: KEYS,
      readsNeedKey: true,
    });
    const viewerText = await send(only, pageAsText(bearer('viewer')));
    expect(viewerText.status).toBe(403);
    expect(viewerText.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    expect(viewerText.statements).toBe(0);

    const viewerId = await send(only, pageById(bearer('viewer')));
    expect(viewerId.body.data?.reportsSummary?.totalCount).toBe(reportCount);
    const analystText = await send(only, pageAsText(bearer('analyst')));
    expect(analystText.body.data?.reportsSummary?.totalCount).toBe(reportCount);
    // A persisted document does not open reads to anonymous clients.
    const anonymousId = await send(only, pageById());
    expect(anonymousId.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a manifest whose texts do not have their hashes', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'persisted-'));
    const file = path.join(folder, 'documents.json');
    const [hash, text] = Object.entries(manifest)[0]!;
    writeFileSync(file, JSON.stringify({ [hash]: `${text} ` }));
    expect(() => loadPersistedDocuments(pathToFileURL(file))).toThrow(
      `the document under ${hash} does not have that hash`,
    );
    writeFileSync(file, JSON.stringify({ [hash]: text }));
    expect(loadPersistedDocuments(pathToFileURL(file)).get(hash)).toBe(text);
  });
});
