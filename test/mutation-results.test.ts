/**
 * Issue 16, point 4: the batch mutations return what they wrote, as it is after the
 * write, so Apollo Client's normalized cache takes it without a refetch. A call whose
 * written rows are selected and would pass MAX_RESULT_ROWS is refused before writing.
 */
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const ADMIN = `admin-${'m'.repeat(24)}`;
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await createTestGateway({
    apiKeys: [{ role: 'admin', key: ADMIN }],
    readsNeedKey: true,
    maxResultRows: 3,
  });
  await seedDatabase(gateway.db, { executions: 50, users: 3, reports: 4 });
});
afterAll(() => gateway.drop());

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; argument?: string } }[];
}
const ask = async (query: string, variables?: Record<string, unknown>) => {
  const response = await gateway.post({ query, variables }, { authorization: `Bearer ${ADMIN}` });
  return (await response.json()) as Answer;
};
const executionCount = async () =>
  Number(
    (await queryOne<{ n: number }>(gateway.db, sql`SELECT COUNT(*) AS n FROM report_executions`))
      ?.n,
  );

describe('what the batch mutations return', () => {
  it("updates Apollo's cache from an updateExecutions result, with no refetch", async () => {
    const target = await queryOne<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(MIN(id) AS CHAR) AS id FROM report_executions`,
    );
    let requests = 0;
    const client = new ApolloClient({
      link: new HttpLink({
        uri: 'http://gateway.test/graphql',
        headers: { authorization: `Bearer ${ADMIN}`, 'cache-control': 'no-cache' },
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          requests += 1;
          return gateway.yoga.fetch(new Request(input, init));
        },
      }),
      cache: new InMemoryCache(),
    });
    const EXECUTION = gql`
      query One($id: ID!) {
        execution(id: $id) {
          id
          nodeId
          status
          durationMs
        }
      }
    `;
    await client.query({ query: EXECUTION, variables: { id: target!.id } });
    const result = await client.mutate({
      mutation: gql`
        mutation Change($rows: [ExecutionUpdate!]!) {
          updateExecutions(rows: $rows) {
            affected
            ids
            executions {
              id
              nodeId
              status
              durationMs
            }
          }
        }
      `,
      variables: { rows: [{ id: target!.id, status: 'FAILED', durationMs: 4_321 }] },
    });
    expect(result.data).toMatchObject({ updateExecutions: { affected: 1, ids: [target!.id] } });
    const cached = client.readQuery<{ execution: { status: string; durationMs: number } }>({
      query: EXECUTION,
      variables: { id: target!.id },
    });
    expect(requests).toBe(2);
    const row = await queryOne<{ status: string; duration_ms: number }>(
      gateway.db,
      sql`SELECT status, duration_ms FROM report_executions WHERE id = ${target!.id}`,
    );
    expect(row).toEqual({ status: 'failed', duration_ms: 4_321 });
    expect(cached?.execution).toMatchObject({ status: 'FAILED', durationMs: 4_321 });
  });

  it('returns inserted executions, upserted reports and users as plain SQL has them', async () => {
    const [report] = await queryRows<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(MIN(id) AS CHAR) AS id FROM reports`,
    );
    const inserted = await ask(
      `mutation ($rows: [ExecutionInput!]!) {
        insertExecutions(rows: $rows) { ids executions { id status durationMs report { id } } reports { id } }
      }`,
      {
        rows: [1, 2].map((i) => ({
          reportId: report!.id,
          status: 'SUCCESS',
          startedAt: new Date(Date.now() - i * 60_000).toISOString(),
          durationMs: i * 111,
        })),
      },
    );
    const body = inserted.data?.insertExecutions as {
      ids: string[];
      executions: { id: string; status: string; durationMs: number }[];
      reports: unknown[];
    };
    const rows = await queryRows<{ id: string; duration_ms: number }>(
      gateway.db,
      sql`SELECT CAST(id AS CHAR) AS id, duration_ms FROM report_executions
          WHERE id IN (${sql.join(
            body.ids.map((id) => sql`${id}`),
            ', ',
          )}) ORDER BY id`,
    );
    expect(body.executions.map((e) => [e.id, e.durationMs])).toEqual(
      rows.map((r) => [r.id, r.duration_ms]),
    );
    expect(body.reports).toEqual([]);

    const reports = await ask(
      `mutation { upsertReports(rows: [{ name: "Fresh ' \\\\ report", category: COST, provider: AWS }]) {
        ids reports { id name provider } } }`,
    );
    expect(reports.errors).toBeUndefined();
    const made = reports.data?.upsertReports as { ids: string[]; reports: unknown[] };
    const stored = await queryOne<{ name: string }>(
      gateway.db,
      sql`SELECT name FROM reports WHERE id = ${made.ids[0]!}`,
    );
    expect(made.reports).toEqual([{ id: made.ids[0], name: stored!.name, provider: 'AWS' }]);

    const users = await ask(
      `mutation { upsertUsers(rows: [{ email: "new@example.com", displayName: "New", role: VIEWER }]) {
        users { email displayName } } }`,
    );
    expect(users.data?.upsertUsers).toEqual({
      users: [{ email: 'new@example.com', displayName: 'New' }],
    });
  });

  it('returns each write as it is after it, within one request', async () => {
    const target = await queryOne<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(MAX(id) AS CHAR) AS id FROM report_executions`,
    );
    const both = await ask(
      `mutation ($a: [ExecutionUpdate!]!, $b: [ExecutionUpdate!]!) {
        a: updateExecutions(rows: $a) { executions { status } }
        b: updateExecutions(rows: $b) { executions { status } }
      }`,
      {
        a: [{ id: target!.id, status: 'CANCELLED' }],
        b: [{ id: target!.id, status: 'SUCCESS' }],
      },
    );
    expect(both.data).toEqual({
      a: { executions: [{ status: 'CANCELLED' }] },
      b: { executions: [{ status: 'SUCCESS' }] },
    });
    const deleted = await ask(
      `mutation ($ids: [ID!]) { deleteExecutions(ids: $ids) { ids executions { id } } }`,
      { ids: [target!.id] },
    );
    expect(deleted.data).toEqual({ deleteExecutions: { ids: [target!.id], executions: [] } });
  });

  it('refuses, before writing, written rows past MAX_RESULT_ROWS; affected and ids still work', async () => {
    const [report] = await queryRows<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(MIN(id) AS CHAR) AS id FROM reports`,
    );
    const rows = Array.from({ length: 4 }, (_, i) => ({
      reportId: report!.id,
      status: 'SUCCESS',
      startedAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
    }));
    const before = await executionCount();
    const refused = await ask(
      'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { executions { id } } }',
      { rows },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'rows',
    });
    expect(refused.errors?.[0]?.message).toMatch(/MAX_RESULT_ROWS/);
    expect(await executionCount()).toBe(before);
    const counted = await ask(
      'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }',
      { rows },
    );
    expect(counted.data).toEqual({ insertExecutions: { affected: 4 } });
    expect(await executionCount()).toBe(before + 4);
  });
});
