/**
 * Issue 16, point 1 (in part): Relay's object identification and connections. The real
 * relay-compiler compiles documents with @connection, @refetchable and
 * @argumentDefinitions against schema.graphql, and the refetch queries it writes run
 * against the gateway; node / nodes load through the DataLoaders (one query per type).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const run = promisify(execFile);
const RELAY = path.resolve('node_modules/relay-compiler/cli.js');
const SCHEMA = path.resolve('schema.graphql');

const DOCUMENTS = `
declare function graphql(strings: TemplateStringsArray): unknown;
export const list = graphql\`
  fragment RecentList_query on Query
  @refetchable(queryName: "RecentListRefetchQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 3 }, cursor: { type: "String" }) {
    recentExecutions(first: $count, after: $cursor)
      @connection(key: "RecentList_recentExecutions") {
      edges { node { id status report { ...ReportCard_report } } }
    }
  }
\`;
export const card = graphql\`
  fragment ReportCard_report on Report @refetchable(queryName: "ReportCardRefetchQuery") {
    name
    provider
  }
\`;
export const summary = graphql\`
  fragment SummaryRow_row on ReportSummary @refetchable(queryName: "SummaryRowRefetchQuery") {
    executions
    failures
  }
\`;
export const app = graphql\`
  query AppQuery { ...RecentList_query }
\`;
`;

let gateway: TestGateway;
const dir = mkdtempSync(path.join(os.tmpdir(), 'relay-'));
beforeAll(async () => {
  gateway = await createTestGateway();
  await seedDatabase(gateway.db, { executions: 300, users: 6, reports: 9 });
});
afterAll(async () => {
  await gateway.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; argument?: string } }[];
}
const ask = async (query: string, variables?: Record<string, unknown>) =>
  (await gateway.executeText(query, variables)) as Answer;

/** The operation text relay-compiler wrote for `name`. */
function operationText(name: string): string {
  const artifact = readFileSync(path.join(dir, 'src/__generated__', `${name}.graphql.ts`), 'utf8');
  const text = /"text": ("(?:[^"\\]|\\.)*")/.exec(artifact)?.[1];
  if (!text) throw new Error(`${name}: no operation text in the artifact`);
  return JSON.parse(text) as string;
}

describe('relay-compiler', () => {
  it('compiles @connection, @refetchable and @argumentDefinitions against schema.graphql', async () => {
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src/App.ts'), DOCUMENTS);
    writeFileSync(
      path.join(dir, 'relay.config.json'),
      JSON.stringify({
        src: './src',
        schema: SCHEMA,
        language: 'typescript',
        schemaConfig: { nodeInterfaceIdField: 'nodeId', nodeInterfaceIdVariableName: 'nodeId' },
      }),
    );
    const { stdout } = await run(process.execPath, [RELAY], { cwd: dir });
    expect(stdout).toMatch(/Compilation completed/);
    expect(operationText('ReportCardRefetchQuery')).toMatch(/node\(nodeId: \$nodeId\)/);
  });

  it("runs the refetch queries it wrote: a report by nodeId, the connection's pages", async () => {
    const reports = await queryRows<{ id: string; name: string; provider: string }>(
      gateway.db,
      sql`SELECT CAST(id AS CHAR) AS id, name, provider FROM reports ORDER BY id LIMIT 2`,
    );
    const ids = await ask(`{ report(id: "${reports[0]!.id}") { nodeId } }`);
    const nodeId = (ids.data?.report as { nodeId: string }).nodeId;
    const card = await ask(operationText('ReportCardRefetchQuery'), { nodeId });
    expect(card).toEqual({
      data: {
        node: {
          __typename: 'Report',
          name: reports[0]!.name,
          provider: reports[0]!.provider.toUpperCase(),
          nodeId,
        },
      },
    });

    // A row of a view refetched by its nodeId keeps the numbers of its window.
    const to = new Date();
    const window = { from: new Date(to.getTime() - 400 * 86_400_000).toISOString(), to };
    const rows = await ask(
      `query($window: TimeWindow) { reportsSummary(window: $window, first: 1) {
        edges { node { nodeId executions failures report { id } } } } }`,
      { window },
    );
    const row = (
      rows.data?.reportsSummary as {
        edges: { node: { nodeId: string; executions: number; failures: number } }[];
      }
    ).edges[0]!.node;
    const [counted] = await queryRows<{ executions: number; failures: number }>(
      gateway.db,
      sql`SELECT COUNT(*) AS executions, CAST(SUM(status = 'failed') AS SIGNED) AS failures
          FROM report_executions e JOIN reports r ON r.id = e.report_id
          WHERE r.id = (SELECT report_id FROM report_executions GROUP BY report_id
                        ORDER BY COUNT(*) DESC, report_id LIMIT 1)
            AND e.started_at >= ${new Date(window.from)} AND e.started_at < ${new Date(window.to)}`,
    );
    const refetched = await ask(operationText('SummaryRowRefetchQuery'), { nodeId: row.nodeId });
    expect(refetched.data?.node).toEqual({
      __typename: 'ReportSummary',
      executions: Number(counted!.executions),
      failures: Number(counted!.failures),
      nodeId: row.nodeId,
    });

    // Pages of 3 in the view's order (startedAt DESC, id DESC) over the default 30 days.
    const expected = await queryRows<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(id AS CHAR) AS id FROM report_executions
          WHERE started_at >= UTC_TIMESTAMP(3) - INTERVAL 30 DAY AND started_at < UTC_TIMESTAMP(3)
          ORDER BY started_at DESC, id DESC LIMIT 6`,
    );
    const list = operationText('RecentListRefetchQuery');
    type Page = {
      recentExecutions: {
        edges: { node: { id: string } }[];
        pageInfo: { endCursor: string; hasNextPage: boolean };
      };
    };
    const first = (await ask(list, { count: 3 })).data as Page;
    const second = (
      await ask(list, { count: 3, cursor: first.recentExecutions.pageInfo.endCursor })
    ).data as Page;
    const seen = [first, second].flatMap((page) =>
      page.recentExecutions.edges.map((edge) => edge.node.id),
    );
    expect(seen).toEqual(expected.map((row) => row.id));
  });
});

describe('node and nodes', () => {
  it('loads any mix of types by nodeId, one query per type, null for a gone id', async () => {
    const [user] = await queryRows<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(MIN(id) AS CHAR) AS id FROM users`,
    );
    const [execution] = await queryRows<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(MIN(id) AS CHAR) AS id FROM report_executions`,
    );
    const reports = await queryRows<{ id: string }>(
      gateway.db,
      sql`SELECT CAST(id AS CHAR) AS id FROM reports ORDER BY id LIMIT 3`,
    );
    const found = await ask(`{
      u: user(id: "${user!.id}") { nodeId }
      e: execution(id: "${execution!.id}") { nodeId }
      r: reportsSummary(first: 3, orderBy: { field: EXECUTIONS }) { edges { node { report { id nodeId } } } }
    }`);
    const data = found.data as {
      u: { nodeId: string };
      e: { nodeId: string };
      r: { edges: { node: { report: { id: string; nodeId: string } } }[] };
    };
    const reportIds = data.r.edges.map((edge) => edge.node.report.nodeId);
    // A nodeId of a report that does not exist: Report:<max id + 1000>.
    const gone = Buffer.from(`Report:${Number(reports.at(-1)!.id) + 100_000}`).toString(
      'base64url',
    );

    gateway.statements.length = 0;
    const answer = await ask(
      `query ($ids: [ID!]!) { nodes(nodeIds: $ids) { __typename nodeId
        ... on Report { id } ... on User { id } ... on Execution { id } } }`,
      { ids: [data.u.nodeId, ...reportIds, data.e.nodeId, gone] },
    );
    expect(answer.errors).toBeUndefined();
    const nodes = (answer.data as { nodes: ({ __typename: string; id: string } | null)[] }).nodes;
    expect(nodes.map((n) => n && `${n.__typename}:${n.id}`)).toEqual([
      `User:${user!.id}`,
      ...data.r.edges.map((edge) => `Report:${edge.node.report.id}`),
      `Execution:${execution!.id}`,
      null,
    ]);
    const lookups = gateway.statements.filter((s) => /\bFROM\b/i.test(s));
    expect(lookups).toHaveLength(3); // users, reports, report_executions: one each
  });

  it('refuses a nodeId that is not one of ours, and more ids than a page, by argument', async () => {
    const bad = await ask('{ nodes(nodeIds: ["VXNlcjox", "not-an-id"]) { nodeId } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'nodeIds[1]',
    });
    const forged = Buffer.from('Secret:1').toString('base64url');
    const other = await ask(`{ node(nodeId: "${forged}") { nodeId } }`);
    expect(other.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'nodeId',
    });
    const ids = Array.from({ length: gateway.config.maxPageSize + 1 }, () => 'VXNlcjox');
    const many = await ask('query ($ids: [ID!]!) { nodes(nodeIds: $ids) { nodeId } }', { ids });
    expect(many.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'nodeIds',
    });
    expect(many.data ?? null).toBeNull();
  });
});

describe('PageInfo', () => {
  it('tells whether a page starts after a cursor, with its first and last cursors', async () => {
    type Page = {
      reportsSummary: {
        edges: { cursor: string }[];
        pageInfo: {
          hasNextPage: boolean;
          hasPreviousPage: boolean;
          startCursor: string;
          endCursor: string;
        };
      };
    };
    const query = `query ($after: String) { reportsSummary(first: 2, after: $after) {
      edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    const first = (await ask(query)).data as Page;
    expect(first.reportsSummary.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.reportsSummary.edges[0]!.cursor,
      endCursor: first.reportsSummary.edges[1]!.cursor,
    });
    const second = (await ask(query, { after: first.reportsSummary.pageInfo.endCursor }))
      .data as Page;
    expect(second.reportsSummary.pageInfo.hasPreviousPage).toBe(true);
    expect(second.reportsSummary.pageInfo.startCursor).toBe(second.reportsSummary.edges[0]!.cursor);
  });
});

describe('cursors', () => {
  it('are bound to the arguments they were made under', async () => {
    const page = (orderBy: string, after?: string, filter = '') =>
      ask(
        `query ($after: String) { reportsSummary(first: 2, after: $after, orderBy: ${orderBy}${filter}) {
          edges { cursor } } }`,
        { after },
      );
    const first = (await page('{ field: EXECUTIONS }')).data as {
      reportsSummary: { edges: { cursor: string }[] };
    };
    const cursor = first.reportsSummary.edges[1]!.cursor;
    expect((await page('{ field: EXECUTIONS }', cursor)).errors).toBeUndefined();
    for (const [orderBy, filter] of [
      ['{ field: SUCCESS_RATE }', ''],
      ['{ field: EXECUTIONS, direction: ASC }', ''],
      ['{ field: EXECUTIONS }', ', filter: { providers: [AWS] }'],
      ['{ field: EXECUTIONS }', ', window: { last: "P7D" }'],
    ] as const) {
      const other = await page(orderBy, cursor, filter);
      expect(other.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'after',
      });
      expect(other.errors?.[0]?.message).toMatch(/made under other arguments of reportsSummary/);
    }

    const recent = (await ask('{ recentExecutions(first: 1) { pageInfo { endCursor } } }'))
      .data as {
      recentExecutions: { pageInfo: { endCursor: string } };
    };
    const later = await ask(
      `query ($after: String) { recentExecutions(first: 1, after: $after, filter: { statuses: [FAILED] }) { totalCount } }`,
      { after: recent.recentExecutions.pageInfo.endCursor },
    );
    expect(later.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
  });
});

describe('last and before', () => {
  type Connection = {
    edges: { cursor: string; node: { id?: string; report?: { id: string } } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
  };
  const keyOf = (edge: Connection['edges'][number]) => edge.node.id ?? edge.node.report!.id;

  for (const [view, node, size] of [
    ['reportsSummary', 'report { id }', 9],
    ['recentExecutions', 'id', 8],
  ] as const) {
    it(`pages ${view} backwards over the same list as forwards`, async () => {
      const query = `query ($first: Int, $last: Int, $before: String) {
        ${view}(first: $first, last: $last, before: $before) {
          edges { cursor node { ${node} } } pageInfo { hasNextPage hasPreviousPage } } }`;
      const page = async (variables: Record<string, unknown>) => {
        const answer = await ask(query, variables);
        expect(answer.errors).toBeUndefined();
        return (answer.data as Record<string, Connection>)[view]!;
      };
      const all = await page({ first: size });
      const ids = all.edges.map(keyOf);
      expect(ids).toHaveLength(size);

      const beforeFifth = await page({ last: 2, before: all.edges[4]!.cursor });
      expect(beforeFifth.edges.map(keyOf)).toEqual(ids.slice(2, 4));
      expect(beforeFifth.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true });

      const front = await page({ last: 3, before: all.edges[2]!.cursor });
      expect(front.edges.map(keyOf)).toEqual(ids.slice(0, 2));
      expect(front.pageInfo.hasPreviousPage).toBe(false);

      // Without before: the end of the whole list (the view's rows past `size` included).
      const whole = await page({ first: 500 });
      const end = await page({ last: 3 });
      expect(end.edges.map(keyOf)).toEqual(whole.edges.map(keyOf).slice(-3));
      expect(end.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: whole.edges.length > 3,
      });
      // A cursor from a backward page pages forward again.
      const forward = await ask(
        `query ($after: String) { ${view}(first: 2, after: $after) { edges { node { ${node} } } } }`,
        { after: beforeFifth.edges[1]!.cursor },
      );
      expect((forward.data as Record<string, Connection>)[view]!.edges.map(keyOf)).toEqual(
        ids.slice(4, 6),
      );
    });
  }

  it('refuses first and last together, naming last', async () => {
    const answer = await ask('{ reportsSummary(first: 2, last: 2) { totalCount } }');
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'last',
    });
  });
});
