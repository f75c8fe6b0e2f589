import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecentExecutionsDocument, ReportsSummaryDocument } from './gql/graphql.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const window = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' };

beforeAll(async () => {
  gateway = await createTestGateway();
  // Owners and executors are different people, so each level needs its own look-up.
  const owners = [];
  const users = [];
  for (let i = 0; i < 10; i += 1) owners.push(await insertUser(gateway.db));
  for (let i = 0; i < 10; i += 1) users.push(await insertUser(gateway.db));
  const reports = [];
  for (let i = 0; i < 20; i += 1)
    reports.push(await insertReport(gateway.db, { owner_id: owners[i % 10] }));
  for (let i = 0; i < 60; i += 1) {
    await insertExecution(
      gateway.db,
      reports[i % 20]!,
      new Date(Date.parse(window.from) + i * 60_000),
      {
        executed_by: users[(i * 7) % 10],
      },
    );
  }
});
afterAll(() => gateway.drop());

async function statementsFor(run: () => Promise<unknown>) {
  gateway.statements.length = 0;
  await run();
  return [...gateway.statements];
}

describe('statements per request do not grow with the rows returned (no N+1)', () => {
  it('recentExecutions with report, report.owner and executedBy', async () => {
    const small = await statementsFor(() =>
      gateway.execute(RecentExecutionsDocument, { window, first: 2 }),
    );
    const large = await statementsFor(() =>
      gateway.execute(RecentExecutionsDocument, { window, first: 60 }),
    );
    expect(large).toHaveLength(small.length);
    // One page query joining reports and users, and the totalCount: no look-ups at all.
    expect(large).toHaveLength(2);
    expect(large.filter((s) => /WHERE `id` IN/.test(s))).toEqual([]);
  });

  it('reportsSummary with report.owner', async () => {
    const small = await statementsFor(() =>
      gateway.execute(ReportsSummaryDocument, { window, first: 2 }),
    );
    const large = await statementsFor(() =>
      gateway.execute(ReportsSummaryDocument, { window, first: 20 }),
    );
    expect(large).toHaveLength(small.length);
    expect(large).toHaveLength(2); // the page (reports and owners joined in) and totalCount
  });
});
