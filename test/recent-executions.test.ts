import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecentExecutionsDocument } from './gql/graphql.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const ids = {} as Record<
  | 'alice'
  | 'bob'
  | 'aws'
  | 'gcp'
  | 'before'
  | 'atFrom'
  | 'tieLow'
  | 'tieHigh'
  | 'beforeTo'
  | 'atTo',
  string
>;
const window = { from: '2026-02-01T00:00:00.000Z', to: '2026-02-02T00:00:00.000Z' };

beforeAll(async () => {
  gateway = await createTestGateway();
  const { db } = gateway;
  ids.alice = await insertUser(db, { display_name: 'Alice' });
  ids.bob = await insertUser(db, { display_name: 'Bob' });
  ids.aws = await insertReport(db, {
    name: 'aws report',
    provider: 'aws',
    category: 'cost',
    owner_id: ids.alice,
  });
  ids.gcp = await insertReport(db, {
    name: 'gcp report',
    provider: 'gcp',
    category: 'security',
    owner_id: ids.bob,
  });
  ids.before = await insertExecution(db, ids.aws, '2026-01-31T23:59:59.999Z');
  ids.atFrom = await insertExecution(db, ids.aws, '2026-02-01T00:00:00.000Z', {
    executed_by: ids.alice,
    duration_ms: 999,
    output_size_bytes: 0,
  });
  ids.tieLow = await insertExecution(db, ids.gcp, '2026-02-01T12:00:00.000Z', {
    status: 'failed',
    executed_by: ids.bob,
    duration_ms: 60_000,
    error_message: 'Timeout',
    output_size_bytes: 104_857_600,
  });
  ids.tieHigh = await insertExecution(db, ids.aws, '2026-02-01T12:00:00.000Z', {
    status: 'running',
  });
  ids.beforeTo = await insertExecution(db, ids.gcp, '2026-02-01T23:59:59.999Z', {
    executed_by: ids.alice,
    duration_ms: 10_000,
    output_size_bytes: 1_048_575,
    completed_at: new Date('2026-02-02T00:00:09.999Z'),
  });
  ids.atTo = await insertExecution(db, ids.gcp, '2026-02-02T00:00:00.000Z');
});
afterAll(() => gateway.drop());

async function recent(variables: Record<string, unknown> = {}) {
  const result = await gateway.execute(RecentExecutionsDocument, { window, ...variables });
  expect(result.errors).toBeUndefined();
  return result.data!.recentExecutions;
}

describe('recentExecutions', () => {
  it('lists the half-open window newest first, id DESC on equal times', async () => {
    const page = await recent();
    expect(page.edges.map((e) => e.node.id)).toEqual([
      ids.beforeTo,
      ids.tieHigh,
      ids.tieLow,
      ids.atFrom,
    ]);
    expect(page.totalCount).toBe(4);
  });

  it('exposes every column and the derived classes', async () => {
    const nodes = (await recent()).edges.map((e) => e.node);
    expect(nodes[0]).toMatchObject({
      status: 'SUCCESS',
      startedAt: '2026-02-01T23:59:59.999Z',
      completedAt: '2026-02-02T00:00:09.999Z',
      durationMs: 10_000,
      performanceCategory: 'SLOW',
      outputSizeBytes: '1048575',
      outputSizeClass: 'SMALL',
      report: { id: ids.gcp, name: 'gcp report', owner: { id: ids.bob, displayName: 'Bob' } },
      executedBy: { id: ids.alice },
    });
    expect(nodes[1]).toMatchObject({
      status: 'RUNNING',
      durationMs: null,
      performanceCategory: null,
      outputSizeClass: 'NONE',
      executedBy: null,
    });
    expect(nodes[2]).toMatchObject({
      status: 'FAILED',
      errorMessage: 'Timeout',
      performanceCategory: 'VERY_SLOW',
      outputSizeClass: 'LARGE',
    });
    expect(nodes[3]).toMatchObject({
      performanceCategory: 'FAST',
      outputSizeBytes: '0',
      outputSizeClass: 'NONE',
    });
  });

  it('filters on foreign keys, statuses and report attributes', async () => {
    const idsOf = async (filter: Record<string, unknown>) =>
      (await recent({ filter })).edges.map((e) => e.node.id);
    expect(await idsOf({ executedByIds: [ids.alice] })).toEqual([ids.beforeTo, ids.atFrom]);
    expect(await idsOf({ reportIds: [ids.gcp] })).toEqual([ids.beforeTo, ids.tieLow]);
    expect(await idsOf({ statuses: ['RUNNING', 'FAILED'] })).toEqual([ids.tieHigh, ids.tieLow]);
    expect(await idsOf({ providers: ['AWS'] })).toEqual([ids.tieHigh, ids.atFrom]);
    expect(await idsOf({ categories: ['SECURITY'], statuses: ['SUCCESS'] })).toEqual([
      ids.beforeTo,
    ]);
    expect((await recent({ filter: { providers: ['GCP'] } })).totalCount).toBe(2);
  });

  it('pages by keyset across equal start times without skipping or repeating', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = await recent({ first: 1, after });
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([ids.beforeTo, ids.tieHigh, ids.tieLow, ids.atFrom]);
  });
});
