/** The admin writes: upsertUsers, upsertReports, updateExecutions, deleteExecutions, invalidateCache. */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const ADMIN = 'admin-key-for-admin-writes';
const ANALYST = 'analyst-key-for-admin-writes';
let gateway: TestGateway;
let user: string;
let report: string;

beforeAll(async () => {
  const keyed = loadConfig({ API_KEYS: `admin:${ADMIN},analyst:${ANALYST}` });
  gateway = await createTestGateway({ apiKeys: keyed.apiKeys }, { useCache: true });
  user = await insertUser(gateway.db, { email: 'taken@example.com' });
  report = await insertReport(gateway.db, { name: 'Before', owner_id: user });
});
afterAll(() => gateway.drop());

async function call(query: string, variables: Record<string, unknown> = {}, key = ADMIN) {
  const response = await gateway.post({ query, variables }, { authorization: `Bearer ${key}` });
  return (await response.json()) as {
    data?: Record<string, { affected: number; ids: string[] } | number | null> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

async function count(table: string) {
  const row = await queryOne<{ n: string }>(
    gateway.db,
    sql`SELECT COUNT(*) AS n FROM ${sql.ident(table)}`,
  );
  return Number(row?.n);
}

const UPSERT_USERS = `mutation ($rows: [UserInput!]!) { upsertUsers(rows: $rows) { affected ids } }`;
const UPSERT_REPORTS = `mutation ($rows: [ReportInput!]!) { upsertReports(rows: $rows) { affected ids } }`;
const UPDATE = `mutation ($rows: [ExecutionUpdate!]!) { updateExecutions(rows: $rows) { affected ids } }`;
const DELETE = `mutation ($ids: [ID!], $before: DateTime) { deleteExecutions(ids: $ids, before: $before) { affected ids } }`;

describe('admin writes', () => {
  it('need the admin role', async () => {
    const result = await call(UPSERT_USERS, { rows: [] }, ANALYST);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('upsertUsers creates, updates and keeps emails unique, all or nothing', async () => {
    const created = await call(UPSERT_USERS, {
      rows: [
        { email: 'new1@example.com', displayName: 'New 1', role: 'VIEWER' },
        { id: user, email: 'taken@example.com', displayName: 'Renamed', role: 'ADMIN' },
        { email: 'new2@example.com', displayName: 'New 2', role: 'ANALYST' },
      ],
    });
    expect(created.errors).toBeUndefined();
    const { ids } = created.data!.upsertUsers as { ids: string[] };
    expect(ids[1]).toBe(user);
    expect(Number(ids[2])).toBe(Number(ids[0]) + 1);
    const renamed = await queryOne<{ display_name: string }>(
      gateway.db,
      sql`SELECT display_name FROM users WHERE id = ${user}`,
    );
    expect(renamed?.display_name).toBe('Renamed');

    const before = await count('users');
    const twice = await call(UPSERT_USERS, {
      rows: [
        { email: 'dup@example.com', displayName: 'A', role: 'VIEWER' },
        { email: 'DUP@example.com', displayName: 'B', role: 'VIEWER' },
      ],
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows[1].email',
    });
    const stolen = await call(UPSERT_USERS, {
      rows: [
        { email: 'fine@example.com', displayName: 'C', role: 'VIEWER' },
        { email: 'taken@example.com', displayName: 'D', role: 'VIEWER' },
      ],
    });
    expect(stolen.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows[1].email',
    });
    expect(await count('users')).toBe(before);
  });

  it('upsertReports checks owners and is seen at once through the cache', async () => {
    const read = `{ report(id: "${report}") { name } reportsSummary(filter: { reportIds: ["${report}"] }) { edges { node { report { name } } } } }`;
    const cached = await call(read);
    expect(cached.data).toMatchObject({ report: { name: 'Before' } });
    const unknownOwner = await call(UPSERT_REPORTS, {
      rows: [{ id: report, name: 'After', category: 'COST', provider: 'GCP', ownerId: '999999' }],
    });
    expect(unknownOwner.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows[0].ownerId',
    });
    const updated = await call(UPSERT_REPORTS, {
      rows: [
        {
          id: report,
          name: 'After',
          category: 'COST',
          provider: 'GCP',
          ownerId: user,
          parameters: { region: 'eu' },
        },
        { name: 'Brand new', category: 'SECURITY', provider: 'AWS' },
      ],
    });
    expect(updated.errors).toBeUndefined();
    expect((updated.data!.upsertReports as { affected: number }).affected).toBe(2);
    const after = await call(read);
    expect(after.data).toEqual({
      report: { name: 'After' },
      reportsSummary: { edges: [{ node: { report: { name: 'After' } } }] },
    });
  });

  it('updateExecutions changes only the given fields and keeps rows consistent', async () => {
    const execution = await insertExecution(gateway.db, report, '2026-07-01T00:00:00Z', {
      status: 'running',
    });
    const bad = await call(UPDATE, {
      rows: [{ id: execution, status: 'SUCCESS', completedAt: '2026-06-30T00:00:00Z' }],
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows[0].completedAt',
    });
    const twice = await call(UPDATE, {
      rows: [
        { id: execution, rowCount: 1 },
        { id: execution, rowCount: 2 },
      ],
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows[1].id',
    });
    const nullStatus = await call(UPDATE, { rows: [{ id: execution, status: null }] });
    expect(nullStatus.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows[0].status',
    });
    const unknown = await call(UPDATE, { rows: [{ id: '999999', status: 'FAILED' }] });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows[0].id',
    });
    const done = await call(UPDATE, {
      rows: [
        {
          id: execution,
          status: 'FAILED',
          completedAt: '2026-07-01T00:00:05Z',
          durationMs: 5000,
          errorMessage: 'boom',
        },
      ],
    });
    expect(done.data).toEqual({ updateExecutions: { affected: 1, ids: [execution] } });
    const row = await queryOne<Record<string, unknown>>(
      gateway.db,
      sql`SELECT status, duration_ms, error_message, report_id FROM report_executions WHERE id = ${execution}`,
    );
    expect(row).toEqual({
      status: 'failed',
      duration_ms: 5000,
      error_message: 'boom',
      report_id: report,
    });
  });

  it('deleteExecutions deletes by ids and by time, and needs one of them', async () => {
    const old = await insertExecution(gateway.db, report, '2020-01-01T00:00:00Z');
    const older = await insertExecution(gateway.db, report, '2019-01-01T00:00:00Z');
    const recent = await insertExecution(gateway.db, report, '2026-08-01T00:00:00Z');
    const neither = await call(DELETE, {});
    expect(neither.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'ids',
    });
    const byTime = await call(DELETE, { before: '2021-01-01T00:00:00Z' });
    expect(byTime.data).toEqual({
      deleteExecutions: { affected: 2, ids: [old, older].sort((a, b) => Number(a) - Number(b)) },
    });
    const byId = await call(DELETE, { ids: [recent] });
    expect(byId.data).toEqual({ deleteExecutions: { affected: 1, ids: [recent] } });
  });

  it('deleteExecutions takes up to MAX_BATCH_ROWS ids and refuses more', async () => {
    const kept = await insertExecution(gateway.db, report, '2026-08-02T00:00:00Z');
    const doomed = await insertExecution(gateway.db, report, '2026-08-03T00:00:00Z');
    // As many ids as allowed, one of them real: one IN list of them overflowed the stack.
    const ids = Array.from({ length: gateway.config.maxBatchRows }, (_, i) =>
      String(10_000_000_000 + i),
    );
    ids[40_000] = doomed;
    const result = await call(DELETE, { ids });
    expect(result).toEqual({ data: { deleteExecutions: { affected: 1, ids: [doomed] } } });
    const tooMany = await call(DELETE, {
      ids: Array.from({ length: gateway.config.maxBatchRows + 1 }, (_, i) => String(i + 1)),
    });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'ids',
    });
    expect(
      await queryOne(gateway.db, sql`SELECT id FROM report_executions WHERE id = ${kept}`),
    ).toEqual({
      id: kept,
    });
  });

  it('invalidateCache outdates the named tables, refusing unknown ones', async () => {
    expect((await call('mutation { invalidateCache }')).data).toEqual({ invalidateCache: 3 });
    const bad = await call('mutation { invalidateCache(tables: ["reports", "secrets"]) }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'tables[1]',
    });
  });
});
