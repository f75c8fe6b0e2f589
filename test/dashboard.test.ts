/**
 * A dashboard asks all eight views at once, with their related reports and users.
 * The statements it issues are one per view, however many rows come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../src/seed/generate.js';
import { DashboardDocument } from './gql/graphql.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let small: TestGateway;
let large: TestGateway;

beforeAll(async () => {
  [small, large] = await Promise.all([createTestGateway(), createTestGateway()]);
  await seedDatabase(small.db, { executions: 200, reports: 30, users: 10 });
  await seedDatabase(large.db, { executions: 20_000, reports: 300, users: 60 });
}, 120_000);
afterAll(() => Promise.all([small.drop(), large.drop()]));

async function dashboard(gateway: TestGateway) {
  gateway.statements.length = 0;
  const result = await gateway.execute(DashboardDocument);
  expect(result.errors).toBeUndefined();
  return { data: result.data!, statements: [...gateway.statements] };
}

describe('the dashboard request', () => {
  it('issues one statement per view, whatever the data size', async () => {
    const few = await dashboard(small);
    const many = await dashboard(large);
    expect(many.data.recentExecutions.edges.length).toBeGreaterThan(
      few.data.recentExecutions.edges.length,
    );
    expect(many.data.recentExecutions.edges[0]?.node.report.owner).toBeDefined();
    // One per view, and for SLOW_P95 alerts, read in one snapshot before the alert list:
    // the report ids and their histograms (one statement per 1 000 reports).
    const reads = (statements: string[]) =>
      statements.filter((s) => !/^\s*SET TRANSACTION\b/.test(s));
    expect(reads(few.statements)).toHaveLength(10);
    expect(reads(many.statements)).toHaveLength(10);
    expect(many.statements.filter((s) => /WHERE `id` IN/.test(s))).toEqual([]);
  });
});
