import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportsSummaryDocument } from './gql/graphql.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const ids = {} as Record<'u1' | 'u2' | 'a' | 'b' | 'c', string>;
const window = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-08T00:00:00.000Z' };

beforeAll(async () => {
  gateway = await createTestGateway();
  const { db } = gateway;
  ids.u1 = await insertUser(db);
  ids.u2 = await insertUser(db);
  ids.a = await insertReport(db, {
    name: 'A',
    provider: 'aws',
    category: 'infrastructure',
    owner_id: ids.u1,
  });
  ids.b = await insertReport(db, {
    name: 'B',
    provider: 'gcp',
    category: 'security',
    owner_id: ids.u2,
    is_active: false,
  });
  ids.c = await insertReport(db, {
    name: 'C',
    provider: 'azure',
    category: 'cost',
    owner_id: null,
  });

  // A: exactly at `from` (in), just before `from` (out), just before `to` (in), at `to` (out).
  await insertExecution(db, ids.a, '2026-01-01T00:00:00.000Z', {
    duration_ms: 1000,
    output_size_bytes: 100,
    completed_at: new Date('2026-01-01T00:00:01Z'),
  });
  await insertExecution(db, ids.a, '2025-12-31T23:59:59.999Z', {
    status: 'failed',
    duration_ms: 99_999,
  });
  await insertExecution(db, ids.a, '2026-01-07T23:59:59.999Z', {
    status: 'failed',
    duration_ms: 3000,
  });
  await insertExecution(db, ids.a, '2026-01-08T00:00:00.000Z', { duration_ms: 99_999 });
  await insertExecution(db, ids.a, '2026-01-03T10:00:00.000Z', { status: 'running' });
  await insertExecution(db, ids.a, '2026-01-03T11:00:00.000Z', { status: 'cancelled' });
  // B: byte sums past 2^53 stay exact.
  await insertExecution(db, ids.b, '2026-01-02T00:00:00.000Z', {
    duration_ms: 500,
    output_size_bytes: '9007199254740993',
  });
  await insertExecution(db, ids.b, '2026-01-02T01:00:00.000Z', { output_size_bytes: 1 });
});
afterAll(() => gateway.drop());

async function summary(
  variables: Parameters<typeof gateway.execute<unknown, Record<string, unknown>>>[1] = {},
) {
  const result = await gateway.execute(ReportsSummaryDocument, { window, ...variables });
  expect(result.errors).toBeUndefined();
  return result.data!.reportsSummary;
}

describe('reportsSummary', () => {
  it('computes the contract metrics on a half-open window, zeros included', async () => {
    const page = await summary();
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((e) => e.node)).toEqual([
      {
        report: {
          id: ids.a,
          name: 'A',
          category: 'INFRASTRUCTURE',
          provider: 'AWS',
          active: true,
          owner: { id: ids.u1, email: expect.stringMatching(/@example\.com$/) as string },
        },
        executions: 4,
        successes: 1,
        failures: 1,
        cancelled: 1,
        successRate: 1 / 3,
        avgDurationMs: 2000,
        maxDurationMs: 3000,
        totalOutputBytes: '100',
        lastExecutedAt: '2026-01-07T23:59:59.999Z',
      },
      {
        report: {
          id: ids.b,
          name: 'B',
          category: 'SECURITY',
          provider: 'GCP',
          active: false,
          owner: { id: ids.u2, email: expect.stringMatching(/@example\.com$/) as string },
        },
        executions: 2,
        successes: 2,
        failures: 0,
        cancelled: 0,
        successRate: 1,
        avgDurationMs: 500,
        maxDurationMs: 500,
        totalOutputBytes: '9007199254740994',
        lastExecutedAt: '2026-01-02T01:00:00.000Z',
      },
      {
        report: {
          id: ids.c,
          name: 'C',
          category: 'COST',
          provider: 'AZURE',
          active: true,
          owner: null,
        },
        executions: 0,
        successes: 0,
        failures: 0,
        cancelled: 0,
        successRate: null,
        avgDurationMs: null,
        maxDurationMs: null,
        totalOutputBytes: '0',
        lastExecutedAt: null,
      },
    ]);
  });

  it('filters by report attributes and related ids', async () => {
    const names = async (filter: Record<string, unknown>) =>
      (await summary({ filter })).edges.map((e) => e.node.report.name);
    expect(await names({ providers: ['GCP'] })).toEqual(['B']);
    expect(await names({ categories: ['COST', 'INFRASTRUCTURE'] })).toEqual(['A', 'C']);
    expect(await names({ ownerIds: [ids.u1] })).toEqual(['A']);
    expect(await names({ reportIds: [ids.c, ids.b] })).toEqual(['B', 'C']);
    expect(await names({ active: false })).toEqual(['B']);
    expect(await names({ reportIds: [] })).toEqual([]);
    expect((await summary({ filter: { providers: ['GCP', 'AZURE'] } })).totalCount).toBe(2);
  });

  it('orders by any metric with nulls last and id as the tie-break', async () => {
    const names = async (field: string, direction: string) =>
      (await summary({ orderBy: { field, direction } })).edges.map((e) => e.node.report.name);
    expect(await names('SUCCESS_RATE', 'DESC')).toEqual(['B', 'A', 'C']);
    expect(await names('SUCCESS_RATE', 'ASC')).toEqual(['A', 'B', 'C']);
    expect(await names('EXECUTIONS', 'ASC')).toEqual(['C', 'B', 'A']);
    expect(await names('TOTAL_OUTPUT_BYTES', 'DESC')).toEqual(['B', 'A', 'C']);
    expect(await names('NAME', 'DESC')).toEqual(['C', 'B', 'A']);
    expect(await names('LAST_EXECUTED_AT', 'DESC')).toEqual(['A', 'B', 'C']);
  });

  it('pages with cursors until hasNextPage is false', async () => {
    const first = await summary({ first: 2 });
    expect(first.edges.map((e) => e.node.report.name)).toEqual(['A', 'B']);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1]!.cursor });
    const second = await summary({ first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.report.name)).toEqual(['C']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const none = await summary({ first: 0 });
    expect(none.edges).toEqual([]);
    expect(none.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  });

  it('defaults to the last 90 days', async () => {
    const recent = new Date(Date.now() - 86_400_000);
    const old = new Date(Date.now() - 91 * 86_400_000);
    await insertExecution(gateway.db, ids.c, recent);
    await insertExecution(gateway.db, ids.c, old);
    const result = await gateway.execute(ReportsSummaryDocument, {
      filter: { reportIds: [ids.c] },
    });
    expect(result.data?.reportsSummary.edges[0]?.node.executions).toBe(1);
  });

  it('reads the page with its reports and owners in one statement, plus the count', async () => {
    gateway.statements.length = 0;
    await summary();
    expect(gateway.statements).toHaveLength(2);
    expect(gateway.statements.filter((s) => /WHERE `id` IN/.test(s))).toEqual([]);
  });
});
