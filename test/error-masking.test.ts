/**
 * Unexpected errors are masked: a view over a table that has gone away fails in
 * MySQL with the table's name and the SQL, and the client sees only "Unexpected
 * error.", the INTERNAL_SERVER_ERROR code and a request id, which the one log line
 * with the whole story (message, SQL, stack) carries too. Every response has an
 * X-Request-Id header: the caller's own when it is sane, else a new UUID.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGateway } from '../src/server/yoga.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RECENT = '{ recentExecutions(first: 5) { totalCount edges { node { id status } } } }';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway();
  const report = await insertReport(gateway.db, { name: 'Masked' });
  await insertExecution(gateway.db, report, new Date(Date.now() - 3_600_000).toISOString());
});
afterAll(() => gateway.drop());

/** Runs `fn` while recording the JSON log lines written to stderr. */
async function logged<T>(fn: () => Promise<T>) {
  const writes = vi.spyOn(process.stderr, 'write');
  try {
    const result = await fn();
    const lines = writes.mock.calls
      .map(([chunk]) => String(chunk))
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, lines };
  } finally {
    writes.mockRestore();
  }
}

async function request(query: string, headers: Record<string, string> = {}) {
  const response = await gateway.post({ query }, headers);
  const text = await response.text();
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    text,
    body: JSON.parse(text) as GraphQLBody,
  };
}

describe('an unexpected error (a table gone from the database)', () => {
  beforeAll(async () => {
    await gateway.db.query(sql`RENAME TABLE report_executions TO report_executions_away`);
  });
  afterAll(async () => {
    await gateway.db.query(sql`RENAME TABLE report_executions_away TO report_executions`);
  });

  it('reaches the client without SQL, table names or stack, but with the request id', async () => {
    const { result, lines } = await logged(() => request(RECENT));
    const { body, text, requestId } = result;
    expect(requestId).toMatch(UUID);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 3 }],
        path: ['recentExecutions'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      },
    ]);
    for (const secret of [gateway.name, 'SELECT', "doesn't exist", 'stack', '.ts:', 'ER_NO_'])
      expect(text, secret).not.toContain(secret);
    // The tables a view reads are public (extensions.cache, viewCatalog); not in an error.
    expect(JSON.stringify(body.errors)).not.toContain('report_executions');

    // The log keeps the detail under the same id, in one line.
    const mine = lines.filter((line) => line.requestId === requestId);
    expect(mine).toHaveLength(1);
    const [line] = mine;
    expect(line).toMatchObject({
      level: 'error',
      path: 'recentExecutions',
      code: 'ER_NO_SUCH_TABLE',
    });
    expect(line!.error).toMatch(/report_executions.* doesn't exist/);
    expect(line!.sql).toMatch(/SELECT[\s\S]*report_executions/);
    expect(line!.stack).toMatch(/\n\s+at /);
    // …and yoga's own, id-less line about the same error is not written besides it.
    const aboutIt = lines.filter((entry) => JSON.stringify(entry).includes("doesn't exist"));
    expect(aboutIt).toEqual([line]);
  });

  it('uses a sane X-Request-Id sent by the caller, in the header, the error and the log', async () => {
    const sent = 'dash-board_42.retry-1';
    const { result, lines } = await logged(() => request(RECENT, { 'x-request-id': sent }));
    expect(result.requestId).toBe(sent);
    expect(result.body.errors?.[0]?.extensions?.requestId).toBe(sent);
    expect(lines.filter((line) => line.requestId === sent)).toHaveLength(1);
  });

  it('gives each of two failing fields its own log line, both under the request id', async () => {
    // Nullable fields, so that the first error does not end the request.
    const twice = '{ a: execution(id: "1") { id } b: execution(id: "2") { id } }';
    const { result, lines } = await logged(() => request(twice));
    expect(result.body.errors?.map((error) => error.extensions?.requestId)).toEqual([
      result.requestId,
      result.requestId,
    ]);
    expect(lines.filter((line) => line.requestId === result.requestId)).toHaveLength(2);
  });
});

describe('client errors are not masked', () => {
  it('keeps the message and code of a BAD_USER_INPUT error, with no request id in it', async () => {
    const { body, requestId } = await request('{ recentExecutions(first: -1) { totalCount } }');
    expect(requestId).toMatch(UUID);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^first: must be 0 or more/) as string,
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('X-Request-Id on every response', () => {
  it.each([
    ['too long', 'a'.repeat(65)],
    ['a space', 'two words'],
    ['a slash', 'a/b'],
    ['a quote', 'say"hi'],
    ['a colon', 'trace:1'],
    ['nothing', ''],
  ])('replaces an id with %s by a new UUID', async (_name, sent) => {
    const { requestId, body } = await request('{ __typename }', { 'x-request-id': sent });
    expect(body.data).toEqual({ __typename: 'Query' });
    expect(requestId).toMatch(UUID);
  });

  it('keeps an id of exactly 64 allowed characters', async () => {
    const sent = `${'A1._-'.repeat(12)}abcd`;
    expect(sent).toHaveLength(64);
    expect((await request('{ __typename }', { 'x-request-id': sent })).requestId).toBe(sent);
  });

  it('gives every request its own id', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await request('{ __typename }')).requestId),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it('is on answers from the response cache, made before the request is parsed', async () => {
    const ask = () =>
      gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'cached-1' },
        body: JSON.stringify({ query: '{ providerPerformance { provider executions } }' }),
      });
    await ask();
    const hit = await ask();
    const body = (await hit.json()) as { extensions?: { cache?: { field: string }[] } };
    expect(body.extensions?.cache?.[0]?.field).toBe('(response)');
    expect(hit.headers.get('x-request-id')).toBe('cached-1');
  });

  it('is on answers made before yoga parses anything: health and 413', async () => {
    const health = await gateway.yoga.fetch('http://gateway.test/health');
    expect(health.headers.get('x-request-id')).toMatch(UUID);
    const small = createGateway({
      db: gateway.db,
      databaseUrl: gateway.url,
      config: { ...gateway.config, maxBodyBytes: 1024 },
      cache: gateway.cache,
    });
    const huge = await small.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'big-one' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(2048)}` }),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('x-request-id')).toBe('big-one');
  });
});
