/** insertExecutions with roles: all-or-nothing, validated, batched, and seen at once by reads. */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import { insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const KEYS = {
  viewer: 'viewer-key-0123456789',
  analyst: 'analyst-key-0123456789',
  admin: 'admin-key-0123456789abc',
};
let gateway: TestGateway;
let report: string;
let user: string;

const INSERT = `mutation ($rows: [ExecutionInput!]!, $batchSize: Int) {
  insertExecutions(rows: $rows, batchSize: $batchSize) { affected ids } }`;

beforeAll(async () => {
  const keyed = loadConfig({
    API_KEYS: `viewer:${KEYS.viewer},analyst:${KEYS.analyst},admin:${KEYS.admin}`,
    MAX_BATCH_ROWS: '50',
    MAX_BODY_BYTES: '200000',
  });
  gateway = await createTestGateway(
    {
      apiKeys: keyed.apiKeys,
      readsNeedKey: keyed.readsNeedKey,
      maxBatchRows: keyed.maxBatchRows,
      maxBodyBytes: keyed.maxBodyBytes,
    },
    { useCache: true },
  );
  report = await insertReport(gateway.db);
  user = await insertUser(gateway.db);
});
afterAll(() => gateway.drop());

async function call(query: string, variables: Record<string, unknown>, key?: string) {
  gateway.statements.length = 0;
  const response = await gateway.post(
    { query, variables },
    key ? { authorization: `Bearer ${key}` } : {},
  );
  const body = (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return { status: response.status, body, statements: [...gateway.statements] };
}

async function executions() {
  const row = await queryOne<{ n: string }>(
    gateway.db,
    sql`SELECT COUNT(*) AS n FROM report_executions`,
  );
  return Number(row?.n);
}

const row = (extra: Record<string, unknown> = {}) => ({
  reportId: report,
  executedBy: user,
  status: 'SUCCESS',
  startedAt: '2026-06-01T10:00:00.000Z',
  completedAt: '2026-06-01T10:00:01.500Z',
  durationMs: 1500,
  outputSizeBytes: '2048',
  rowCount: 10,
  ...extra,
});

describe('roles', () => {
  it('refuses reads without a key or with a wrong one when API_KEYS is set', async () => {
    const anonymous = await call('{ cacheStats { hits } }', {});
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await call('{ cacheStats { hits } }', {}, 'not-a-key-at-all-000');
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const viewer = await call('{ cacheStats { hits } }', {}, KEYS.viewer);
    expect(viewer.body.errors).toBeUndefined();
  });

  it('needs analyst for insertExecutions: viewer is FORBIDDEN, nothing is written', async () => {
    const before = await executions();
    const viewer = await call(INSERT, { rows: [row()] }, KEYS.viewer);
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const nobody = await call(INSERT, { rows: [row()] });
    expect(nobody.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await executions()).toBe(before);
  });

  it('refuses mutations when no API_KEYS are configured', async () => {
    const open = await createTestGateway();
    try {
      const response = await open.post({ query: INSERT, variables: { rows: [] } });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await open.drop();
    }
  });

  it('never writes a key to the log', async () => {
    const writes = vi.spyOn(process.stderr, 'write');
    await call('{ cacheStats { hits } }', {}, 'wrong-key-with-secret-777');
    await call(INSERT, { rows: [row({ reportId: 'x' })] }, KEYS.analyst);
    const logged = writes.mock.calls.map(([line]) => String(line)).join('');
    writes.mockRestore();
    for (const secret of [...Object.values(KEYS), 'wrong-key-with-secret-777'])
      expect(logged).not.toContain(secret);
  });
});

describe('insertExecutions', () => {
  it('inserts in batches inside one transaction and returns the new ids in order', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => row({ rowCount: i }));
    const result = await call(INSERT, { rows, batchSize: 10 }, KEYS.analyst);
    expect(result.body.errors).toBeUndefined();
    const { affected, ids } = result.body.data!.insertExecutions as {
      affected: number;
      ids: string[];
    };
    expect(affected).toBe(25);
    const inserts = result.statements.filter((s) => /INSERT INTO `?report_executions`?/.test(s));
    expect(inserts).toHaveLength(3);
    const stored = await gateway.db.query(
      sql`SELECT id, row_count FROM report_executions WHERE id IN (${sql.join(
        ids.map((id) => sql`${id}`),
        ', ',
      )}) ORDER BY row_count`,
    );
    expect(stored.map((r: { id: string }) => r.id)).toEqual(ids);
  });

  // Rows are built lazily: the report and user exist only once beforeAll has run.
  it.each([
    ['an unknown report', () => [row(), row(), row({ reportId: '999999' })], 'rows[2].reportId'],
    ['an unknown user', () => [row({ executedBy: '999999' })], 'rows[0].executedBy'],
    [
      'completedAt before startedAt',
      () => [row(), row({ completedAt: '2026-06-01T09:00:00Z' })],
      'rows[1].completedAt',
    ],
    ['a negative duration', () => [row({ durationMs: -5 })], 'rows[0].durationMs'],
    ['a status contradicting its times', () => [row({ status: 'RUNNING' })], 'rows[0].status'],
    [
      'an error message over its column',
      () => [row({ status: 'FAILED', errorMessage: 'x'.repeat(70_000) })],
      'rows[0].errorMessage',
    ],
    ['a malformed id', () => [row({ reportId: 'abc' })], 'rows[0].reportId'],
    ['more rows than allowed', () => Array.from({ length: 51 }, () => row()), 'rows'],
  ])('writes nothing for %s', async (_name, rows, argument) => {
    const before = await executions();
    const result = await call(INSERT, { rows: rows() }, KEYS.analyst);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(await executions()).toBe(before);
    expect(result.statements.filter((s) => /INSERT/.test(s))).toEqual([]);
    // Too many rows is refused before any SQL at all.
    if (argument === 'rows') expect(result.statements).toEqual([]);
  });

  it('rejects a non-integer duration at the argument, before any SQL', async () => {
    const result = await call(INSERT, { rows: [row({ durationMs: 1.5 })] }, KEYS.analyst);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.message).toMatch(/rows\[0\]\.durationMs/);
    expect(result.statements).toEqual([]);
  });

  it('answers 413 for a body over the limit, before parsing it', async () => {
    const rows = Array.from({ length: 40 }, () =>
      row({ status: 'FAILED', errorMessage: 'y'.repeat(6_000) }),
    );
    const result = await gateway.post(
      { query: INSERT, variables: { rows } },
      { authorization: `Bearer ${KEYS.analyst}` },
    );
    expect(result.status).toBe(413);
  });

  it('is seen by the next read at once: the cache of report_executions is invalidated after commit', async () => {
    const summary = `{ reportsSummary(window: { from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z" }) {
      edges { node { executions } } } }`;
    const before = await call(summary, {}, KEYS.viewer);
    const count = (
      before.body.data!.reportsSummary as { edges: { node: { executions: number } }[] }
    ).edges[0]!.node.executions;
    await call(summary, {}, KEYS.viewer); // now cached
    await call(INSERT, { rows: [row()] }, KEYS.analyst);
    const after = await call(summary, {}, KEYS.viewer);
    expect(after.body.data).toEqual({
      reportsSummary: { edges: [{ node: { executions: count + 1 } }] },
    });
    expect(gateway.cache.invalidations.get('report_executions')).toBeGreaterThan(0);
  });
});

describe('insertExecutions statement forms', () => {
  it.each(['json', 'values'] as const)(
    '%s: returns the ids of the rows in input order',
    async (form) => {
      const { insertExecutions } = await import('../src/writes/insert-executions.js');
      const { checkExecutions } = await import('../src/writes/execution-input.js');
      const rows = checkExecutions(
        Array.from({ length: 7 }, (_, i) => ({
          reportId: report,
          status: 'success' as const,
          startedAt: new Date(Date.UTC(2026, 9, 1, 0, i)),
          rowCount: 100 + i,
        })),
        50,
      );
      gateway.statements.length = 0;
      const ids = await insertExecutions(gateway.db, rows, 3, form);
      const inserts = gateway.statements.filter((s) => /INSERT INTO .?report_executions/.test(s));
      expect(inserts).toHaveLength(3);
      expect(inserts.every((s) => (form === 'json' ? /JSON_TABLE/ : /VALUES \(/).test(s))).toBe(
        true,
      );
      const stored = await gateway.db.query(
        sql`SELECT id, row_count FROM report_executions WHERE id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          ', ',
        )})`,
      );
      const byId = new Map(
        stored.map((r: { id: string; row_count: number }) => [r.id, r.row_count]),
      );
      expect(ids.map((id) => byId.get(id))).toEqual([100, 101, 102, 103, 104, 105, 106]);
    },
  );
});
