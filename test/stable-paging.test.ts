/**
 * Issue 16, point 3: the per-entity connections page by keyset and are computed as of
 * their first page, so executions inserted between pages (through the gateway and
 * straight in SQL, moving rows across the cursor) neither repeat nor lose a row that
 * existed when paging began, forwards and backwards. The oracle is plain SQL over the
 * executions up to the newest id the test saw before the first page.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { MAX_NEWER_EXECUTIONS } from '../src/views/entity-summary.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const ADMIN = `admin-${'p'.repeat(24)}`;
const NOW = new Date('2026-06-15T10:00:00.000Z');
const DAY = 86_400_000;
const WINDOW = {
  from: new Date(NOW.getTime() - 60 * DAY).toISOString(),
  to: NOW.toISOString(),
};
const PAGE = 4;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await createTestGateway({ apiKeys: [{ role: 'admin', key: ADMIN }] });
  await seedDatabase(gateway.db, { executions: 700, users: 9, reports: 22, now: NOW });
});
afterAll(() => gateway.drop());

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}
async function ask(query: string, variables: Record<string, unknown> = {}) {
  const response = await gateway.post({ query, variables }, { authorization: `Bearer ${ADMIN}` });
  const answer = (await response.json()) as Answer;
  expect(answer.errors, query).toBeUndefined();
  return answer.data!;
}

const newestExecutionId = async () =>
  String(
    (await queryOne<{ id: string }>(gateway.db, sql`SELECT MAX(id) AS id FROM report_executions`))!
      .id,
  );

/** Where inserted executions start: inside the window, at a time no seed row has. */
let clock = NOW.getTime() - 3 * DAY;
const nextStart = () => new Date((clock += 1_000)).toISOString();

/**
 * Moves rows across the cursor: `count` executions for each of `reportIds`, half
 * through the gateway's insertExecutions, half straight in SQL, and a new report.
 */
async function insertBetweenPages(reportIds: string[], userIds: string[], count: number) {
  // Some of them the longest runs yet, so a maximum must be taken back too.
  const rows = reportIds.flatMap((reportId, i) =>
    Array.from({ length: count }, (_, j) => ({
      reportId,
      executedBy: userIds[i % userIds.length] ?? null,
      status: 'SUCCESS',
      startedAt: nextStart(),
      durationMs: j % 10 === 0 ? 90_000_000 + j : 1_000,
    })),
  );
  const half = Math.ceil(rows.length / 2);
  await ask('mutation($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }', {
    rows: rows.slice(0, half),
  });
  for (const row of rows.slice(half)) {
    await insertExecution(gateway.db, row.reportId, row.startedAt, {
      executed_by: row.executedBy,
      duration_ms: row.durationMs,
    });
  }
  const reportId = await insertReport(gateway.db, { name: `New between pages ${clock}` });
  await insertExecution(gateway.db, reportId, nextStart());
}

interface ListCase {
  view: 'reportsSummary' | 'userActivity';
  entity: 'report' | 'user';
  orderBy: { field: string; direction: 'ASC' | 'DESC' };
}

const CASES: ListCase[] = [
  { view: 'reportsSummary', entity: 'report', orderBy: { field: 'EXECUTIONS', direction: 'DESC' } },
  {
    view: 'reportsSummary',
    entity: 'report',
    orderBy: { field: 'SUCCESS_RATE', direction: 'ASC' },
  },
  {
    view: 'reportsSummary',
    entity: 'report',
    orderBy: { field: 'LAST_EXECUTED_AT', direction: 'DESC' },
  },
  { view: 'reportsSummary', entity: 'report', orderBy: { field: 'NAME', direction: 'ASC' } },
  { view: 'userActivity', entity: 'user', orderBy: { field: 'EXECUTIONS', direction: 'DESC' } },
  { view: 'userActivity', entity: 'user', orderBy: { field: 'LAST_ACTIVE_AT', direction: 'ASC' } },
];

interface Page {
  edges: {
    cursor: string;
    node: {
      executions: number;
      last: string | null;
      longest?: number | null;
      entity: { id: string };
    };
  }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
}

/** The executions of every report or user in the window, up to `asOf`: the oracle. */
async function executionsAsOf(entity: 'report' | 'user', asOf: string) {
  const [table, fk] = entity === 'report' ? ['reports', 'report_id'] : ['users', 'executed_by'];
  const rows = await queryRows<{
    id: string;
    n: string;
    last: Date | null;
    longest: number | null;
  }>(
    gateway.db,
    sql`SELECT b.id, COUNT(e.id) AS n, MAX(e.started_at) AS last, MAX(e.duration_ms) AS longest
        FROM ${sql.ident(table)} b
        LEFT JOIN report_executions e ON ${sql.ident('e', fk)} = b.id AND e.id <= ${asOf}
          AND e.started_at >= ${new Date(WINDOW.from)} AND e.started_at < ${new Date(WINDOW.to)}
        GROUP BY b.id ORDER BY COUNT(e.id) DESC, b.id ASC`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    executions: Number(row.n),
    last: row.last?.toISOString() ?? null,
    longest: row.longest === null ? null : Number(row.longest),
  }));
}

/** Pages through a list `first`/`after` (or `last`/`before`), inserting before each page. */
async function pageThrough(list: ListCase, backward: boolean) {
  const [forward, back] = ['first: $size, after: $cursor', 'last: $size, before: $cursor'];
  const query = `query($size: Int, $cursor: String, $orderBy: ${
    list.view === 'reportsSummary' ? 'ReportsSummaryOrder' : 'UserActivityOrder'
  }) {
    page: ${list.view}(window: { from: "${WINDOW.from}", to: "${WINDOW.to}" }, orderBy: $orderBy,
      ${backward ? back : forward}) {
      edges { cursor node { executions ${
        list.entity === 'report'
          ? 'last: lastExecutedAt longest: maxDurationMs'
          : 'last: lastActiveAt'
      } entity: ${list.entity} { id } } }
      pageInfo { hasNextPage hasPreviousPage }
    }
  }`;
  const existing = (await executionsAsOf(list.entity, '0')).map((row) => row.id);
  const asOf = await newestExecutionId();
  const pages: Page[] = [];
  let cursor: string | null = null;
  const reportIds = (await executionsAsOf('report', asOf)).map((row) => row.id);
  const userIds = (await executionsAsOf('user', asOf)).map((row) => row.id);
  for (let step = 0; step < 200; step += 1) {
    const page = (await ask(query, { size: PAGE, cursor, orderBy: list.orderBy })).page as Page;
    pages.push(page);
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) break;
    expect(step, 'the list did not end').toBeLessThan(199);
    cursor = backward ? page.edges[0]!.cursor : page.edges.at(-1)!.cursor;
    // Rows not yet seen jump ahead of the cursor, rows seen fall behind it.
    const seen = new Set(pages.flatMap((p) => p.edges.map((edge) => edge.node.entity.id)));
    const ids = list.entity === 'report' ? reportIds : userIds;
    const unseen = ids.filter((id) => !seen.has(id));
    const jumping = [...new Set([unseen.at(-1), unseen[0]])].filter((id) => id !== undefined);
    const targets = list.entity === 'report' ? jumping : [];
    const users = list.entity === 'user' && jumping.length > 0 ? jumping : userIds.slice(0, 1);
    await insertBetweenPages(
      targets.length > 0 ? targets : reportIds.slice(step % 3, (step % 3) + 2),
      users,
      25,
    );
  }
  const listed = (backward ? [...pages].reverse() : pages).flatMap((page) =>
    page.edges.map((edge) => edge.node),
  );
  return { listed, existing, asOf };
}

describe('stable paging: rows inserted between pages', () => {
  for (const backward of [false, true]) {
    it.each(CASES)(
      `${backward ? 'last/before' : 'first/after'}: %j — no row twice, none lost`,
      async (list) => {
        const { listed, existing, asOf } = await pageThrough(list, backward);
        const ids = listed.map((node) => node.entity.id);
        expect(new Set(ids).size, 'a row came twice').toBe(ids.length);
        expect(
          existing.filter((id) => !ids.includes(id)),
          'rows lost',
        ).toEqual([]);
        // Every page holds the numbers as of the first page.
        const asOfRows = await executionsAsOf(list.entity, asOf);
        const oracle = new Map(asOfRows.map((row) => [row.id, row.executions]));
        const byId = new Map(asOfRows.map((row) => [row.id, row]));
        for (const node of listed.filter((row) => existing.includes(row.entity.id))) {
          const expected = byId.get(node.entity.id)!;
          expect(
            { executions: node.executions, last: node.last, longest: node.longest },
            `${list.entity} ${node.entity.id}`,
          ).toEqual({
            executions: expected.executions,
            last: expected.last,
            longest: list.entity === 'report' ? expected.longest : undefined,
          });
        }
        if (list.orderBy.field === 'EXECUTIONS') {
          const expected = [...oracle.entries()]
            .filter(([id]) => existing.includes(id))
            .sort(([a, x], [b, y]) => y - x || Number(a) - Number(b))
            .map(([id]) => id);
          expect(ids.filter((id) => existing.includes(id))).toEqual(expected);
        }
      },
    );
  }

  it.each([false, true])(
    'recentExecutions (backward: %s): rows inserted anywhere in the order move no other row',
    async (backward) => {
      const window = { from: new Date(NOW.getTime() - 20 * DAY), to: NOW };
      const existing = (
        await queryRows<{ id: string }>(
          gateway.db,
          sql`SELECT CAST(id AS CHAR) AS id FROM report_executions
              WHERE started_at >= ${window.from} AND started_at < ${window.to}`,
        )
      ).map((row) => row.id);
      const [reportId] = (await executionsAsOf('report', '0')).map((row) => row.id);
      const query = `query($cursor: String) { recentExecutions(
        window: { from: "${window.from.toISOString()}", to: "${window.to.toISOString()}" },
        ${backward ? 'last: 200, before: $cursor' : 'first: 200, after: $cursor'}) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage } } }`;
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let step = 0; ; step += 1) {
        expect(step, 'the list did not end').toBeLessThan(200);
        const page = (await ask(query, { cursor })).recentExecutions as {
          edges: { cursor: string; node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
        };
        seen.push(...page.edges.map((edge) => edge.node.id));
        if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) break;
        cursor = (backward ? page.edges[0] : page.edges.at(-1))!.cursor;
        // Newer than everything, older than everything, and in between.
        for (const at of [0.01, 0.5, 0.99]) {
          const startedAt = new Date(
            window.from.getTime() + at * (window.to.getTime() - window.from.getTime()),
          );
          await insertExecution(gateway.db, reportId!, new Date(startedAt.getTime() + step));
        }
      }
      expect(new Set(seen).size, 'a row came twice').toBe(seen.length);
      expect(
        existing.filter((id) => !seen.includes(id)),
        'rows lost',
      ).toEqual([]);
    },
  );

  it('a new first page counts what was inserted', async () => {
    const { id, executions } = (await executionsAsOf('report', await newestExecutionId()))[0]!;
    const data = await ask(
      `{ reportsSummary(window: { from: "${WINDOW.from}", to: "${WINDOW.to}" }, first: 1) {
        edges { node { executions report { id } } } } }`,
    );
    const [edge] = (
      data.reportsSummary as { edges: { node: { executions: number; report: { id: string } } }[] }
    ).edges;
    expect({ id: edge!.node.report.id, executions: edge!.node.executions }).toEqual({
      id,
      executions,
    });
  });
});

describe('a cursor as of too long ago', () => {
  it('is refused once more than MAX_NEWER_EXECUTIONS were written since its first page', async () => {
    const query = `query($cursor: String) {
      reportsSummary(window: { from: "${WINDOW.from}", to: "${WINDOW.to}" }, first: 2, after: $cursor) {
        edges { cursor node { executions } } } }`;
    const first = (await ask(query, { cursor: null })).reportsSummary as {
      edges: { cursor: string }[];
    };
    const cursor = first.edges.at(-1)!.cursor;
    expect((await ask(query, { cursor })).reportsSummary).toBeDefined();
    // Executions outside the window: they change no number, only the age of the cursor.
    const [reportId] = (await executionsAsOf('report', '0')).map((row) => row.id);
    await gateway.db.query(
      sql`INSERT INTO report_executions (report_id, status, started_at)
          SELECT ${reportId}, 'success', ${new Date(NOW.getTime() - 300 * DAY)} + INTERVAL seq SECOND
          FROM seq_1_to_${sql.__dangerous__rawValue(String(MAX_NEWER_EXECUTIONS + 1))}`,
    );
    const response = await gateway.post(
      { query, variables: { cursor } },
      { authorization: `Bearer ${ADMIN}` },
    );
    const answer = (await response.json()) as Answer;
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
    expect(answer.errors?.[0]?.message).toMatch(/start again without after/);
  });
});

describe('keyset over quotients', () => {
  it('pages one row at a time through tied repeating decimals, both ways, by rate and by mean', async () => {
    const at = new Date(NOW.getTime() - 2 * DAY);
    // [statuses, durations]: rates 2/3, 2/3, 1/3, 1/3, 1/7 and none; means 10/3, 10/3, 20/3, 20/3, 1, none.
    const shapes: [string[], (number | null)[]][] = [
      [
        ['success', 'success', 'failed'],
        [10, 0, 0],
      ],
      [
        ['success', 'success', 'failed'],
        [10, 0, 0],
      ],
      [
        ['success', 'failed', 'failed'],
        [20, 0, 0],
      ],
      [
        ['success', 'failed', 'failed'],
        [20, 0, 0],
      ],
      [['success', ...Array<string>(6).fill('failed')], Array<number>(7).fill(1)],
      [['running'], [null]],
    ];
    const ids: string[] = [];
    for (const [statuses, durations] of shapes) {
      const reportId = await insertReport(gateway.db, { name: `Quotient ${ids.length}` });
      ids.push(reportId);
      for (const [i, status] of statuses.entries()) {
        await insertExecution(gateway.db, reportId, new Date(at.getTime() + i * 1000), {
          status,
          duration_ms: durations[i],
        });
      }
    }
    const order = (field: string, direction: string, backward: boolean) => `query($cursor: String) {
      reportsSummary(window: { from: "${WINDOW.from}", to: "${WINDOW.to}" },
        filter: { reportIds: ${JSON.stringify(ids)} }, orderBy: { field: ${field}, direction: ${direction} },
        ${backward ? 'last: 1, before: $cursor' : 'first: 1, after: $cursor'}) {
        edges { cursor node { report { id } } } pageInfo { hasNextPage hasPreviousPage } } }`;
    const pageThroughOne = async (query: string, backward: boolean) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let step = 0; step < 20; step += 1) {
        const page = (await ask(query, { cursor })).reportsSummary as {
          edges: { cursor: string; node: { report: { id: string } } }[];
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
        };
        seen.push(...page.edges.map((edge) => edge.node.report.id));
        if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) break;
        cursor = page.edges[0]!.cursor;
      }
      return backward ? seen.reverse() : seen;
    };
    const [a, b, c, d, e, f] = ids;
    const expected: Record<string, string[]> = {
      'SUCCESS_RATE DESC': [a!, b!, c!, d!, e!, f!],
      'SUCCESS_RATE ASC': [e!, c!, d!, a!, b!, f!],
      'AVG_DURATION_MS DESC': [c!, d!, a!, b!, e!, f!],
      'AVG_DURATION_MS ASC': [e!, a!, b!, c!, d!, f!],
    };
    for (const [sort, list] of Object.entries(expected)) {
      const [field, direction] = sort.split(' ') as [string, string];
      for (const backward of [false, true]) {
        expect(
          await pageThroughOne(order(field, direction, backward), backward),
          `${sort} ${backward}`,
        ).toEqual(list);
      }
    }
  });
});

describe('a window ending now', () => {
  it('covers on every page the window its first page covered', async () => {
    const windowOf = (nodeId: string) =>
      (JSON.parse(Buffer.from(nodeId, 'base64url').toString()) as [string, { window: unknown }])[1]
        .window;
    const query = `query($cursor: String) { reportsSummary(window: { last: "P30D" }, first: 3, after: $cursor) {
      edges { cursor node { nodeId } } } }`;
    type Page = { edges: { cursor: string; node: { nodeId: string } }[] };
    const first = (await ask(query, { cursor: null })).reportsSummary as Page;
    // The next page is asked at a later clock.
    const asked = Date.now();
    while (Date.now() === asked) await new Promise((resolve) => setImmediate(resolve));
    const second = (await ask(query, { cursor: first.edges.at(-1)!.cursor }))
      .reportsSummary as Page;
    const windows = [...first.edges, ...second.edges].map((edge) => windowOf(edge.node.nodeId));
    expect(new Set(windows.map((w) => JSON.stringify(w))).size).toBe(1);
  });
});
