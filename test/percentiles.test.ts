/**
 * Issue 17, point 1: duration percentiles against held-out ground truth. Random
 * data with ties, one-value cells, zeros, very long runs, null durations, a report
 * without durations and one without executions; windows answered from the rollups
 * alone (whole months, and a month less some of its days), from raw rows alone
 * (inside one day), and mixed (edges inside days, rows still in the journal). Every
 * percentile must be within 1 % of the exact nearest-rank value, computed here from
 * the durations read in plain SQL, or equal to it.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/pool.js';
import { Random } from '../src/seed/random.js';
import { insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const reports: string[] = [];
const random = new Random(20261202);
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

const WINDOWS = {
  'whole months (monthly rollup)': {
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-03-01T00:00:00.000Z',
  },
  'a month less some days': { from: '2025-01-03T00:00:00.000Z', to: '2025-01-31T00:00:00.000Z' },
  'edges inside days (mixed)': { from: '2025-01-17T07:13:00.000Z', to: '2025-03-04T19:40:00.000Z' },
  'inside one day (raw rows)': { from: '2025-02-10T03:00:00.000Z', to: '2025-02-10T20:17:30.500Z' },
  'everything, journal included': {
    from: '2024-12-01T00:00:00.000Z',
    to: '2025-04-01T00:00:00.000Z',
  },
};

/** A duration of a report's kind. */
function duration(kind: number): number | null {
  switch (kind) {
    case 0: // wide, with zeros and small exact values
      return random.int(0, 9) === 0
        ? null
        : random.int(0, 3) === 0
          ? random.int(0, 200)
          : random.int(0, 2_000_000);
    case 1: // one value only: ties everywhere
      return 777_777;
    case 2: // no durations at all
      return null;
    case 3: // very long runs next to tiny ones
      return random.int(0, 1) === 0 ? random.int(3_000_000_000, 4_000_000_000) : random.int(0, 5);
    default: // a few values repeated
      return random.pick([0, 127, 128, 129, 5_000, 5_001, 65_535]);
  }
}

async function insertExecutions(count: number) {
  const rows = Array.from({ length: count }, () => {
    const kind = random.int(0, 4);
    return sql`(${reports[kind]}, 'success', ${new Date(START + random.int(0, 80 * DAY))}, ${duration(kind)})`;
  });
  await gateway.db
    .query(sql`INSERT INTO report_executions (report_id, status, started_at, duration_ms)
    VALUES ${sql.join(rows, ', ')}`);
}

beforeAll(async () => {
  gateway = await createTestGateway();
  // Report 6 has no executions.
  const kinds = [
    ['aws', 'cost'],
    ['gcp', 'security'],
    ['azure', 'cost'],
    ['aws', 'custom'],
    ['oci', 'security'],
    ['multi', 'cost'],
  ];
  for (const [provider, category] of kinds) {
    reports.push(await insertReport(gateway.db, { provider, category }));
  }
  await insertExecutions(1500);
  await gateway.fold();
  // Left in the journal: inserts, durations moved to other buckets, deletes.
  await insertExecutions(200);
  await gateway.db.query(sql`UPDATE report_executions SET duration_ms = duration_ms * 2 + 1
    WHERE id % 17 = 3 AND duration_ms < 1000000000`);
  await gateway.db.query(sql`DELETE FROM report_executions WHERE id % 19 = 5`);
});
afterAll(() => gateway.drop());

const PERCENTS = [50, 95, 99] as const;

/** The exact nearest-rank percentiles of each report's durations in the window, from plain SQL. */
async function exact(window: { from: string; to: string }) {
  const rows = await queryRows<{ report_id: string; duration_ms: number }>(
    gateway.db,
    sql`SELECT report_id, duration_ms FROM report_executions
      WHERE started_at >= ${new Date(window.from)} AND started_at < ${new Date(window.to)}
        AND duration_ms IS NOT NULL`,
  );
  const result = new Map<string, Record<number, number | null>>();
  for (const report of reports) {
    const durations = rows
      .filter((r) => String(r.report_id) === report)
      .map((r) => Number(r.duration_ms))
      .sort((a, b) => a - b);
    const n = durations.length;
    result.set(
      report,
      Object.fromEntries(
        // The smallest d with at least ⌈p·n/100⌉ durations ≤ d: the one at that rank.
        PERCENTS.map((p) => [p, n === 0 ? null : durations[Math.floor((p * n + 99) / 100) - 1]!]),
      ),
    );
  }
  return result;
}

/** The exact nearest-rank percentiles per group (`key`, plain SQL over `e` and `r`) in the window. */
async function exactBy(
  window: { from: string; to: string },
  key: ReturnType<typeof sql>,
  where = sql`TRUE`,
) {
  const rows = await queryRows<{ k: string; duration_ms: number }>(
    gateway.db,
    sql`SELECT ${key} AS k, e.duration_ms FROM report_executions e JOIN reports r ON r.id = e.report_id
      WHERE e.started_at >= ${new Date(window.from)} AND e.started_at < ${new Date(window.to)}
        AND e.duration_ms IS NOT NULL AND ${where}`,
  );
  const groups = new Map<string, number[]>();
  for (const row of rows)
    groups.set(row.k, [...(groups.get(row.k) ?? []), Number(row.duration_ms)]);
  return new Map(
    [...groups].map(([k, durations]) => {
      durations.sort((a, b) => a - b);
      const n = durations.length;
      return [
        k,
        Object.fromEntries(
          PERCENTS.map((p) => [p, durations[Math.floor((p * n + 99) / 100) - 1]!]),
        ),
      ];
    }),
  );
}

/** Checks every percentile of `rows` (keyed by `keyOf`) against `truth`; a group absent there has none. */
function expectRows(
  rows: Record<string, unknown>[],
  keyOf: (row: Record<string, unknown>) => string,
  truth: Map<string, Record<number, number | null>>,
) {
  let compared = 0;
  for (const row of rows) {
    const want = truth.get(keyOf(row));
    for (const p of PERCENTS) {
      expectWithinBound(
        row[`p${p}DurationMs`] as number | null,
        want?.[p] ?? null,
        `${keyOf(row)} p${p}`,
      );
      if (want) compared += 1;
    }
  }
  expect(compared).toBeGreaterThan(0);
  // Every group with durations has its row.
  expect([...truth.keys()].filter((k) => !rows.some((row) => keyOf(row) === k))).toEqual([]);
}

const P = 'p50DurationMs p95DurationMs p99DurationMs';
const BUCKET = (unit: string) =>
  unit === 'WEEK'
    ? sql`DATE_FORMAT(DATE(e.started_at) - INTERVAL WEEKDAY(e.started_at) DAY, '%Y-%m-%dT00:00:00.000Z')`
    : unit === 'HOUR'
      ? sql`DATE_FORMAT(e.started_at, '%Y-%m-%dT%H:00:00.000Z')`
      : sql`DATE_FORMAT(e.started_at, '%Y-%m-%dT00:00:00.000Z')`;

function expectWithinBound(answer: number | null, truth: number | null, what: string) {
  if (truth === null) return expect(answer, what).toBeNull();
  expect(answer, what).not.toBeNull();
  expect(Math.abs(answer! - truth), `${what}: ${answer} for ${truth}`).toBeLessThanOrEqual(
    truth * 0.01,
  );
}

interface SummaryNode {
  report: { id: string };
  executions: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p99DurationMs: number | null;
}

async function summary(window: { from: string; to: string }, extra = '') {
  const result = await gateway.executeText(
    `query ($w: TimeWindow) { reportsSummary(window: $w, first: 50 ${extra}) {
      edges { cursor node { report { id } executions p50DurationMs p95DurationMs p99DurationMs } }
    } }`,
    { w: window },
  );
  expect(result.errors).toBeUndefined();
  const connection = result.data!.reportsSummary as {
    edges: { cursor: string; node: SummaryNode }[];
  };
  return connection.edges;
}

describe('duration percentiles', () => {
  it.each(Object.entries(WINDOWS).map(([name, window]) => ({ name, window })))(
    'of reportsSummary are within 1 % of the exact nearest rank: $name',
    async ({ window }) => {
      const truth = await exact(window);
      const edges = await summary(window);
      expect(edges.map((e) => e.node.report.id).sort()).toEqual([...reports].sort());
      let compared = 0;
      for (const { node } of edges) {
        const want = truth.get(node.report.id)!;
        for (const p of PERCENTS) {
          expectWithinBound(node[`p${p}DurationMs`], want[p]!, `report ${node.report.id} p${p}`);
          if (want[p] !== null) compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(0);
    },
  );

  it('orders reportsSummary by a percentile, nulls last, page by page', async () => {
    const window = WINDOWS['edges inside days (mixed)'];
    const truth = await exact(window);
    for (const direction of ['DESC', 'ASC']) {
      const seen: SummaryNode[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const result = await gateway.executeText(
          `query ($w: TimeWindow, $after: String) { reportsSummary(window: $w, first: 2, after: $after,
            orderBy: { field: P95_DURATION_MS, direction: ${direction} }) {
            edges { cursor node { report { id } p95DurationMs } } pageInfo { hasNextPage endCursor }
          } }`,
          { w: window, after },
        );
        expect(result.errors).toBeUndefined();
        const connection = result.data!.reportsSummary as {
          edges: { node: SummaryNode }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
        seen.push(...connection.edges.map((e) => e.node));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(seen.map((n) => n.report.id).sort()).toEqual([...reports].sort());
      const values = seen.map((n) => n.p95DurationMs);
      const withValues = values.filter((v): v is number => v !== null);
      // Nulls last; the values in the asked direction.
      expect(values.slice(0, withValues.length)).toEqual(withValues);
      const sorted = [...withValues].sort((a, b) => (direction === 'DESC' ? b - a : a - b));
      expect(withValues).toEqual(sorted);
      for (const node of seen) {
        expectWithinBound(
          node.p95DurationMs,
          truth.get(node.report.id)![95]!,
          `p95 ${node.report.id}`,
        );
      }
    }
  });

  it('answers percentiles whatever else the selection holds, the report id included or not', async () => {
    const window = WINDOWS['edges inside days (mixed)'];
    const truth = await exact(window);
    const byId = [...reports].sort((a, b) => Number(a) - Number(b));
    for (const orderBy of ['ID', 'P95_DURATION_MS']) {
      const result = await gateway.executeText(
        `query ($w: TimeWindow) { reportsSummary(window: $w, orderBy: { field: ${orderBy}, direction: ASC }) {
          edges { node { p95DurationMs } } } }`,
        { w: window },
      );
      expect(result.errors).toBeUndefined();
      const values = (
        result.data!.reportsSummary as { edges: { node: { p95DurationMs: number | null } }[] }
      ).edges.map((e) => e.node.p95DurationMs);
      if (orderBy === 'ID') {
        byId.forEach((id, i) => expectWithinBound(values[i]!, truth.get(id)![95]!, `p95 ${id}`));
      } else {
        // Ascending, nulls last: the values of every report with durations, in order.
        const known = [...truth.values()].map((t) => t[95]).filter((v) => v !== null);
        expect(values.filter((v) => v !== null)).toHaveLength(known.length);
      }
    }
  });

  it('orders the reports a filter picks by a percentile', async () => {
    const window = WINDOWS['everything, journal included'];
    const truth = await exact(window);
    const result = await gateway.executeText(
      `query ($w: TimeWindow) { reportsSummary(window: $w, filter: { providers: [AWS] },
        orderBy: { field: P99_DURATION_MS, direction: DESC }) {
        edges { node { report { id } p99DurationMs } } } }`,
      { w: window },
    );
    expect(result.errors).toBeUndefined();
    const nodes = (result.data!.reportsSummary as { edges: { node: SummaryNode }[] }).edges.map(
      (e) => e.node,
    );
    // Reports 0 and 3 are the AWS ones.
    expect(nodes.map((n) => n.report.id).sort()).toEqual([reports[0], reports[3]].sort());
    const values = nodes.map((n) => n.p99DurationMs!);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const node of nodes) {
      expectWithinBound(
        node.p99DurationMs,
        truth.get(node.report.id)![99]!,
        `p99 ${node.report.id}`,
      );
    }
  });

  it.each(
    Object.entries(WINDOWS).flatMap(([name, window]) =>
      [
        { view: 'DAY', args: 'granularity: DAY', key: BUCKET('DAY'), dims: [] as string[] },
        {
          view: 'DAY, reports picked',
          args: 'granularity: DAY, filter: { reportIds: $ids }',
          key: BUCKET('DAY'),
          dims: [],
          picked: true,
        },
        {
          view: 'WEEK by provider',
          args: 'granularity: WEEK, groupBy: [PROVIDER]',
          key: sql`CONCAT(${BUCKET('WEEK')}, '|', UPPER(r.provider))`,
          dims: ['provider'],
        },
        {
          view: 'HOUR by category, cost and security',
          args: 'granularity: HOUR, groupBy: [CATEGORY], filter: { categories: [COST, SECURITY] }',
          key: sql`CONCAT(${BUCKET('HOUR')}, '|', UPPER(r.category))`,
          dims: ['category'],
          where: sql`r.category IN ('cost', 'security')`,
        },
      ].map((c) => ({ ...c, name, window })),
    ),
  )('of executionMetrics ($view) are within 1 % of the exact nearest rank: $name', async (c) => {
    const ids = [reports[0]!, reports[3]!];
    const result = await gateway.executeText(
      `query ($w: TimeWindow${c.picked ? ', $ids: [ID!]' : ''}) { executionMetrics(window: $w, ${c.args}) {
        bucketStart ${c.dims.join(' ')} executions ${P} } }`,
      c.picked ? { w: c.window, ids } : { w: c.window },
    );
    expect(result.errors).toBeUndefined();
    const where = c.picked ? sql`e.report_id IN (${ids[0]}, ${ids[1]})` : (c.where ?? sql`TRUE`);
    expectRows(
      result.data!.executionMetrics as Record<string, unknown>[],
      (row) => [row.bucketStart, ...c.dims.map((d) => row[d])].join('|'),
      await exactBy(c.window, c.key, where),
    );
  });

  it.each(
    Object.entries(WINDOWS).flatMap(([name, window]) =>
      (['provider', 'category'] as const).map((dimension) => ({ dimension, name, window })),
    ),
  )('of $dimension performance are within 1 % of the exact nearest rank: $name', async (c) => {
    const view = `${c.dimension}Performance`;
    const result = await gateway.executeText(
      `query ($w: TimeWindow) { ${view}(window: $w) { ${c.dimension} executions ${P} } }`,
      { w: c.window },
    );
    expect(result.errors).toBeUndefined();
    expectRows(
      result.data![view] as Record<string, unknown>[],
      (row) => String(row[c.dimension]),
      await exactBy(c.window, sql`UPPER(${sql.ident('r', c.dimension)})`),
    );
  });
});
