/**
 * The compiler joins only what the selection needs: a relation asked only for its id
 * is answered from the foreign key, with no join and no look-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';
import { tablesIn } from './helpers/statements.js';

let gateway: TestGateway;
const ids = {} as Record<'owner' | 'runner' | 'report' | 'byRunner' | 'anonymous', string>;
const window = '{ from: "2026-04-01T00:00:00Z", to: "2026-04-02T00:00:00Z" }';

beforeAll(async () => {
  gateway = await createTestGateway();
  ids.owner = await insertUser(gateway.db, { display_name: 'Owner' });
  ids.runner = await insertUser(gateway.db, { display_name: 'Runner' });
  ids.report = await insertReport(gateway.db, { name: 'R', owner_id: ids.owner });
  ids.byRunner = await insertExecution(gateway.db, ids.report, '2026-04-01T10:00:00Z', {
    executed_by: ids.runner,
  });
  ids.anonymous = await insertExecution(gateway.db, ids.report, '2026-04-01T09:00:00Z');
});
afterAll(() => gateway.drop());

async function run(query: string) {
  gateway.statements.length = 0;
  const result = await gateway.executeText(query);
  expect(result.errors).toBeUndefined();
  return { data: result.data, statements: [...gateway.statements] };
}

describe('join elimination', () => {
  it('answers report { id } and executedBy { id } from the foreign keys', async () => {
    const { data, statements } = await run(`{ recentExecutions(window: ${window}) {
      edges { node { id report { id __typename } executedBy { id } } } } }`);
    expect(data).toEqual({
      recentExecutions: {
        edges: [
          {
            node: {
              id: ids.byRunner,
              report: { id: ids.report, __typename: 'Report' },
              executedBy: { id: ids.runner },
            },
          },
          {
            node: {
              id: ids.anonymous,
              report: { id: ids.report, __typename: 'Report' },
              executedBy: null,
            },
          },
        ],
      },
    });
    expect(statements).toHaveLength(1);
    expect(tablesIn(statements[0]!)).toEqual(['report_executions']);
    // INNER semantics kept without the join.
    expect(statements[0]).toMatch(/`e`\.`report_id` IS NOT NULL/);
  });

  it('joins reports only for report fields other than the id, and users not at all', async () => {
    const { data, statements } = await run(`{ recentExecutions(window: ${window}) {
      edges { node { report { name owner { id } } } } } }`);
    expect(data).toEqual({
      recentExecutions: {
        edges: [
          { node: { report: { name: 'R', owner: { id: ids.owner } } } },
          { node: { report: { name: 'R', owner: { id: ids.owner } } } },
        ],
      },
    });
    expect(statements).toHaveLength(1);
    expect(tablesIn(statements[0]!)).toEqual(['report_executions', 'reports']);
    expect(statements[0]).toMatch(/INNER JOIN `reports`/);
  });

  it('outer-joins users for executedBy fields and yields null where there is none', async () => {
    const { data, statements } = await run(`{ recentExecutions(window: ${window}) {
      edges { node { executedBy { displayName } report { owner { displayName } } } } } }`);
    expect(data).toEqual({
      recentExecutions: {
        edges: [
          {
            node: {
              executedBy: { displayName: 'Runner' },
              report: { owner: { displayName: 'Owner' } },
            },
          },
          { node: { executedBy: null, report: { owner: { displayName: 'Owner' } } } },
        ],
      },
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/LEFT JOIN `users`/);
    expect(tablesIn(statements[0]!)).toEqual(['report_executions', 'reports', 'users']);
  });

  it('filters on related ids through the foreign key, without joining', async () => {
    const { statements } = await run(`{ recentExecutions(window: ${window}, filter: {
      reportIds: ["${ids.report}"], executedByIds: ["${ids.runner}"] }) { edges { node { id } } } }`);
    expect(tablesIn(statements[0]!)).toEqual(['report_executions']);
    expect(statements[0]).toMatch(/`e`\.`report_id` IN/);
    expect(statements[0]).toMatch(/`e`\.`executed_by` IN/);
  });

  it('joins reports for a provider filter even when only ids are selected', async () => {
    const { statements } =
      await run(`{ recentExecutions(window: ${window}, filter: { providers: [AWS] }) {
      edges { node { report { id } } } } }`);
    expect(tablesIn(statements[0]!)).toEqual(['report_executions', 'reports']);
  });

  it('reads no report columns in reportsSummary when only report { id } is asked', async () => {
    const { data, statements } = await run(`{ reportsSummary(window: ${window}) {
      edges { node { report { id } executions } } } }`);
    expect(data).toEqual({
      reportsSummary: { edges: [{ node: { report: { id: ids.report }, executions: 2 } }] },
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toMatch(/JOIN `reports`/);
    expect(statements[0]).not.toMatch(/`users`/);
  });

  it('aggregates only the measures the selection and the order need', async () => {
    const { statements } = await run(
      `{ reportsSummary(window: ${window}) { edges { node { successRate } } } }`,
    );
    // The window is one whole day, so the daily rollup answers it.
    expect(statements[0]).toMatch(/SUM\(`d`\.`successes`\)/);
    expect(statements[0]).not.toMatch(/total_output_bytes/);
    expect(statements[0]).not.toMatch(/max_duration_ms/);
  });
});
