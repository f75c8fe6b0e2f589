/**
 * The result budget: before any SQL, each root field's rows are estimated from its
 * arguments (time buckets × groupBy values, page sizes) and a request whose fields
 * together exceed MAX_RESULT_ROWS (default 50 000) is refused with BAD_USER_INPUT
 * naming the argument; list sizes also weigh in the query cost. Expected row counts
 * are worked out by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import type { createGateway } from '../src/server/yoga.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  extensions?: { cache?: { field: string; hit: boolean }[] };
}

type Yoga = ReturnType<typeof createGateway>;

const PROVIDERS = ['aws', 'azure', 'gcp', 'oci', 'multi'];
// 2024-01-01 plus 10 000 hours (416 days and 16 hours; 2024 has 366 days).
const START = '2024-01-01T00:00:00Z';
const AFTER_10_000_HOURS = '2025-02-20T16:00:00Z';
// Plus 700 hours (29 days and 4 hours).
const AFTER_700_HOURS = '2024-01-30T04:00:00Z';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway();
  // One report per provider, each run once in the first hour: every provider occurs.
  for (const provider of PROVIDERS) {
    const report = await insertReport(gateway.db, { provider });
    await insertExecution(gateway.db, report, '2024-01-01T00:30:00Z');
  }
});
afterAll(() => gateway.drop());

/** A gateway over the same database and cache (statements recorded) with other settings. */
function instance(overrides: Partial<Config> = {}): Yoga {
  return gateway.variant(overrides);
}

/** POSTs a query; returns the body, its size and the number of SQL statements it caused. */
async function send(
  query: string,
  { variables, yoga = instance(), useCache = false } = {} as {
    variables?: Record<string, unknown>;
    yoga?: Yoga;
    useCache?: boolean;
  },
) {
  gateway.statements.length = 0;
  const response = await yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(useCache ? {} : { 'cache-control': 'no-cache' }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    body: JSON.parse(text) as GraphQLBody,
    bytes: Buffer.byteLength(text),
    statements: gateway.statements.length,
  };
}

/** Asserts a refusal: one BAD_USER_INPUT error naming `argument`, no data, no SQL. */
function expectRefused(
  result: Awaited<ReturnType<typeof send>>,
  argument: string,
  message: RegExp,
) {
  expect(result.statements).toBe(0);
  expect(result.body.data ?? undefined).toBeUndefined();
  expect(result.body.errors).toHaveLength(1);
  const [error] = result.body.errors!;
  expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  expect(error!.message.startsWith(`${argument}: `)).toBe(true);
  expect(error!.message).toMatch(message);
}

describe('the issue’s 50 MB request', () => {
  it('is refused before any SQL, naming executionMetrics.granularity', async () => {
    // 416 days from midnight: 9 984 hours, × 5 providers × 6 categories = 299 520 rows.
    const result = await send(`{
      executionMetrics(window: { from: "2025-01-01T00:00:00Z", to: "2026-02-21T00:00:00Z" },
        granularity: HOUR, groupBy: [PROVIDER, CATEGORY], fillGaps: true) {
        bucketStart provider category executions successRate
      }
    }`);
    expectRefused(
      result,
      'executionMetrics.granularity',
      /9984 HOUR buckets × 30 groupBy values = 299520 rows.*299520 rows in all; at most 50000 \(MAX_RESULT_ROWS\)/,
    );
    expect(result.body.errors![0]!.path).toEqual(['executionMetrics']);
  });

  it('is refused in the issue’s own words (last: "P416D"), also through variables', async () => {
    const query = `query ($window: TimeWindow, $granularity: Granularity!, $groupBy: [MetricDimension!], $fill: Boolean!) {
      m: executionMetrics(window: $window, granularity: $granularity, groupBy: $groupBy, fillGaps: $fill) {
        bucketStart executions
      }
    }`;
    const result = await send(query, {
      variables: {
        window: { last: 'P416D' },
        granularity: 'HOUR',
        groupBy: ['PROVIDER', 'CATEGORY'],
        fill: true,
      },
    });
    expectRefused(result, 'executionMetrics.granularity', /groupBy values/);
    expect(result.body.errors![0]!.path).toEqual(['m']);
  });

  it('is refused again when repeated with the response cache on: nothing was stored', async () => {
    const query = `{ executionMetrics(window: { last: "P416D" }, granularity: HOUR,
      groupBy: [PROVIDER, CATEGORY], fillGaps: true) { bucketStart executions } }`;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await send(query, { useCache: true });
      expectRefused(result, 'executionMetrics.granularity', /MAX_RESULT_ROWS/);
      expect(result.body.extensions?.cache).toBeUndefined();
    }
  });
});

describe('the budget counts the whole request, aliases included', () => {
  // 700 HOUR buckets × 5 providers = 3 500 rows per alias.
  const alias = (name: string) =>
    `${name}: executionMetrics(window: { from: "${START}", to: "${AFTER_700_HOURS}" },
      granularity: HOUR, groupBy: [PROVIDER]) { executions }`;
  const aliases = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => alias(`m${i}`)).join('\n')} }`;

  it('refuses 15 aliases of 3 500 rows (52 500 in all) though each is small; answers 14', async () => {
    const refused = await send(aliases(15));
    expectRefused(
      refused,
      'executionMetrics.granularity',
      /700 HOUR buckets × 5 groupBy values = 3500 rows.*52500 rows in all; at most 50000/,
    );
    // 14 of them: 49 000 rows in all.
    const result = await send(aliases(14));
    expect(result.body.errors).toBeUndefined();
    // Without fillGaps each alias lists the one bucket with executions, per provider.
    expect(result.body.data?.m13).toEqual(PROVIDERS.map(() => ({ executions: 1 })));
  });

  it('answers a request of exactly 50 000 rows, and refuses it with five rows more', async () => {
    // 10 000 HOUR buckets × 5 providers, every gap filled: exactly the budget.
    const metrics = `executionMetrics(window: { from: "${START}", to: "${AFTER_10_000_HOURS}" },
      granularity: HOUR, groupBy: [PROVIDER], fillGaps: true) { bucketStart provider executions }`;
    const full = await send(`{ ${metrics} }`);
    expect(full.body.errors).toBeUndefined();
    const buckets = full.body.data?.executionMetrics as { executions: number }[];
    expect(buckets).toHaveLength(50_000);
    expect(buckets.reduce((sum, b) => sum + b.executions, 0)).toBe(5);
    // The answer the budget allows stays far from 100 MB.
    expect(full.bytes).toBeLessThan(10 * 1024 * 1024);

    // providerPerformance adds one row per provider: 50 005.
    const over = await send(`{ ${metrics} providerPerformance { provider } }`);
    expectRefused(over, 'executionMetrics.granularity', /50005 rows in all; at most 50000/);
  });
});

describe('pages count with their size', () => {
  const small = () => instance({ maxResultRows: 1_000 });

  it('refuses pages that add up past the budget, naming first of the largest', async () => {
    // 400 + 300 + 400 = 1 100 rows against a budget of 1 000.
    const query = `query ($n: Int) {
      a: recentExecutions(first: $n) { totalCount }
      b: userActivity(first: 300) { totalCount }
      c: reportsSummary(first: 400) { totalCount }
    }`;
    const result = await send(query, { variables: { n: 400 }, yoga: small() });
    expectRefused(
      result,
      'recentExecutions.first',
      /a page of 400 rows.*1100 rows in all; at most 1000/,
    );
    expect(result.body.errors![0]!.path).toEqual(['a']);
    // 300 + 300 + 400 = 1 000 fits.
    const fits = await send(query, { variables: { n: 300 }, yoga: small() });
    expect(fits.body.errors).toBeUndefined();
    expect(fits.statements).toBeGreaterThan(0);
  });

  it('counts performanceAlerts at its default (the page-size cap) and at first', async () => {
    // Without first, alerts are limited by the page-size cap: 500 + 500 + 5 = 1 005.
    const result = await send(
      '{ a: performanceAlerts { type } b: performanceAlerts(first: 500) { type } providerPerformance { provider } }',
      { yoga: small() },
    );
    expectRefused(result, 'performanceAlerts.first', /up to 500 alerts.*1005 rows in all/);
    const fits = await send(
      '{ a: performanceAlerts(first: 400) { type } b: performanceAlerts(first: 500) { type } }',
      { yoga: small() },
    );
    expect(fits.body.errors).toBeUndefined();
  });

  it('does not count fields left out by @skip', async () => {
    // 500 + 500 + 5 = 1 005 rows; without b, 505.
    const query = `query ($skip: Boolean!) {
      a: recentExecutions(first: 500) { totalCount }
      b: reportsSummary(first: 500) @skip(if: $skip) { totalCount }
      providerPerformance { provider }
    }`;
    expectRefused(
      await send(query, { variables: { skip: false }, yoga: small() }),
      'recentExecutions.first',
      /1005 rows in all/,
    );
    const skipped = await send(query, { variables: { skip: true }, yoga: small() });
    expect(skipped.body.errors).toBeUndefined();
  });
});

describe('the response a request can build is bounded (100 MiB)', () => {
  // Per row: edges 64 + node 64 + errorMessage 64 + 65 535 (TEXT) + report 64 +
  // description 64 + 65 535 = 131 390 bytes; × 500 rows = 62.7 MiB per alias.
  const page = (name: string) =>
    `${name}: recentExecutions(first: 500) { edges { node { errorMessage report { description } } } }`;

  it('refuses two pages of 500 rows with text fields (125.3 MiB), answers one', async () => {
    const result = await send(`{ ${page('a')} ${page('b')} }`);
    expectRefused(
      result,
      'recentExecutions.first',
      /a page of 500 rows.*up to 126 MiB in all \(text fields hold up to 64 KiB\); at most 100 MiB/,
    );
    const one = await send(`{ ${page('a')} }`);
    expect(one.body.errors).toBeUndefined();
    expect(one.statements).toBeGreaterThan(0);
  });
});

describe('list sizes count in the query cost', () => {
  // Twelve leaves: a bucket costs 2 + 1.5 × 12 = 20 as a shape.
  const wide = `avgDurationMs bucketStart category distinctReports distinctUsers executions
    failureRate failures provider successRate successes totalOutputBytes`;
  const aliases = (to: string) =>
    `{ ${Array.from(
      { length: 14 },
      (_, i) => `m${i}: executionMetrics(window: { from: "${START}", to: "${to}" },
        granularity: HOUR, groupBy: [PROVIDER]) { ${wide} }`,
    ).join('\n')} }`;

  it('refuses 14 wide aliases of 3 500 rows each (49 000 rows, within the budget), not of 5', async () => {
    // Each weighs 3 500 / 500 = 7 pages: 2 + 1.5 × 7 × 12 = 128; × 14 = 1 792 > 1 500.
    const result = await send(aliases(AFTER_700_HOURS));
    expect(result.statements).toBe(0);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: 'Query cost limit of 1500 exceeded, found 1792 (list sizes counted).',
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 1500 },
      }),
    ]);
    // The same shape over one hour: 5 rows each, 14 × 20 = 280.
    const small = await send(aliases('2024-01-01T01:00:00Z'));
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data?.m0).toHaveLength(5);
  });
});
