/**
 * Exactness at the edges: executions exactly at `from`, just before it, at `to` and
 * just before it, and on hour / day / ISO week / month boundaries; plus edge data
 * (empty windows, one-millisecond windows, null durations and sizes, open runs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const ids = {} as Record<'user' | 'idle' | 'report' | 'A' | 'B' | 'C' | 'D' | 'E' | 'F', string>;

// 2026-03-02 is a Monday: the first instant of an ISO week, a day and an hour.
const A = '2026-03-02T00:00:00.000Z';
const B = '2026-03-01T23:59:59.999Z'; // Sunday, the last ms of the week before
const C = '2026-02-28T23:59:59.999Z'; // the last ms of February
const D = '2026-03-01T00:00:00.000Z'; // the first ms of March
const E = '2026-03-02T00:59:59.999Z'; // the last ms of hour 0
const F = '2026-03-02T01:00:00.000Z'; // the first ms of hour 1

beforeAll(async () => {
  gateway = await createTestGateway();
  const { db } = gateway;
  ids.user = await insertUser(db);
  ids.idle = await insertUser(db);
  ids.report = await insertReport(db, {
    owner_id: ids.user,
    created_at: new Date('2020-01-01T00:00:00Z'),
  });
  ids.A = await insertExecution(db, ids.report, A, {
    executed_by: ids.user,
    duration_ms: 100,
    output_size_bytes: 10,
  });
  ids.B = await insertExecution(db, ids.report, B, { status: 'failed', duration_ms: 300 });
  ids.C = await insertExecution(db, ids.report, C, { status: 'cancelled' });
  ids.D = await insertExecution(db, ids.report, D, { status: 'running' });
  ids.E = await insertExecution(db, ids.report, E, { status: 'queued' });
  ids.F = await insertExecution(db, ids.report, F, { output_size_bytes: 5 });
});
afterAll(() => gateway.drop());

async function data(query: string) {
  const result = await gateway.executeText(query);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const window = (from: string, to: string) => `window: { from: "${from}", to: "${to}" }`;

async function buckets(granularity: string, from: string, to: string, extra = '') {
  const result =
    await data(`{ executionMetrics(${window(from, to)}, granularity: ${granularity} ${extra}) {
    bucketStart executions } }`);
  return (result.executionMetrics as { bucketStart: string; executions: number }[]).map(
    (b) => `${b.bucketStart} ${b.executions}`,
  );
}

describe('window edges', () => {
  it('counts `from` in and `to` out (HOUR buckets)', async () => {
    expect(await buckets('HOUR', D, F)).toEqual([
      '2026-03-01T00:00:00.000Z 1',
      '2026-03-01T23:00:00.000Z 1',
      '2026-03-02T00:00:00.000Z 2',
    ]);
  });

  it('splits days, ISO weeks (Monday) and months at their first millisecond', async () => {
    const from = '2026-02-28T00:00:00.000Z';
    const to = '2026-03-03T00:00:00.000Z';
    expect(await buckets('DAY', from, to)).toEqual([
      '2026-02-28T00:00:00.000Z 1',
      '2026-03-01T00:00:00.000Z 2',
      '2026-03-02T00:00:00.000Z 3',
    ]);
    expect(await buckets('WEEK', from, to)).toEqual([
      '2026-02-23T00:00:00.000Z 3',
      '2026-03-02T00:00:00.000Z 3',
    ]);
    expect(await buckets('MONTH', from, to)).toEqual([
      '2026-02-01T00:00:00.000Z 1',
      '2026-03-01T00:00:00.000Z 5',
    ]);
  });

  it('fills gaps with empty buckets when asked', async () => {
    expect(
      await buckets(
        'HOUR',
        '2026-03-01T22:00:00.000Z',
        '2026-03-02T02:00:00.000Z',
        'fillGaps: true',
      ),
    ).toEqual([
      '2026-03-01T22:00:00.000Z 0',
      '2026-03-01T23:00:00.000Z 1',
      '2026-03-02T00:00:00.000Z 2',
      '2026-03-02T01:00:00.000Z 1',
    ]);
  });

  it('answers a one-millisecond window exactly', async () => {
    const result = await data(`{
      hit: recentExecutions(${window(A, '2026-03-02T00:00:00.001Z')}) { edges { node { id } } }
      miss: recentExecutions(${window('2026-03-02T00:00:00.001Z', '2026-03-02T00:00:00.002Z')}) { totalCount }
      summary: reportsSummary(${window(B, A)}) { edges { node { executions failures } } } }`);
    expect(result.hit).toEqual({ edges: [{ node: { id: ids.A } }] });
    expect(result.miss).toEqual({ totalCount: 0 });
    expect(result.summary).toEqual({ edges: [{ node: { executions: 1, failures: 1 } }] });
  });

  it('places slots by UTC hour and ISO weekday, the lowest slot winning a tie', async () => {
    const from = '2026-02-28T00:00:00.000Z';
    const to = '2026-03-03T00:00:00.000Z';
    const result = await data(`{
      hours: executionTrends(${window(from, to)}) { peak { slot executions } slots { slot executions } }
      days: executionTrends(${window(from, to)}, pattern: DAY_OF_WEEK) { peak { slot } slots { slot executions } }
      tie: executionTrends(${window(C, '2026-03-01T00:00:00.000Z')}) { peak { slot } } }`);
    const hours = result.hours as { peak: unknown; slots: { slot: number; executions: number }[] };
    expect(hours.slots).toHaveLength(24);
    expect(hours.slots.filter((s) => s.executions > 0)).toEqual([
      { slot: 0, executions: 3 },
      { slot: 1, executions: 1 },
      { slot: 23, executions: 2 },
    ]);
    expect(hours.peak).toEqual({ slot: 0, executions: 3 });
    const days = result.days as { peak: unknown; slots: { slot: number; executions: number }[] };
    expect(days.slots.map((s) => s.slot)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(days.slots.filter((s) => s.executions > 0)).toEqual([
      { slot: 1, executions: 3 },
      { slot: 6, executions: 1 },
      { slot: 7, executions: 2 },
    ]);
    expect(days.peak).toEqual({ slot: 1 });
    const week =
      await data(`{ executionTrends(${window(C, '2026-03-02T00:00:00.001Z')}, pattern: DAY_OF_WEEK) {
      peak { slot } } }`);
    // Saturday has C; Sunday B and D; Monday A: Sunday (7) wins outright.
    expect(week.executionTrends).toEqual({ peak: { slot: 7 } });
    expect(result.tie).toEqual({ peak: { slot: 23 } });
  });
});

describe('edge data', () => {
  it('excludes open runs from rates and null durations and sizes from means and sums', async () => {
    const result =
      await data(`{ reportsSummary(${window(C, '2026-03-03T00:00:00Z')}) { edges { node {
      executions successes failures cancelled successRate avgDurationMs maxDurationMs totalOutputBytes } } } }`);
    expect(result.reportsSummary).toEqual({
      edges: [
        {
          node: {
            executions: 6,
            successes: 2,
            failures: 1,
            cancelled: 1,
            successRate: 0.5,
            avgDurationMs: 200,
            maxDurationMs: 300,
            totalOutputBytes: '15',
          },
        },
      ],
    });
  });

  it('answers an empty window with zeros, nulls and no buckets', async () => {
    const empty = window('2019-01-01T00:00:00Z', '2019-01-03T00:00:00Z');
    const result = await data(`{
      metrics: executionMetrics(${empty}) { bucketStart }
      filled: executionMetrics(${empty}, fillGaps: true) { bucketStart executions successRate avgDurationMs totalOutputBytes }
      trends: executionTrends(${empty}) { peak { slot } slots { share } }
      providers: providerPerformance(${empty}) { provider reports activeReports executions successRate bytesPerSecond }
      users: userActivity(${empty}, orderBy: { field: ID, direction: ASC }) { edges { node {
        user { id } reportsOwned executions successRate avgDurationMs lastActiveAt segment } } }
      alerts: performanceAlerts(${empty}) { type }
      recent: recentExecutions(${empty}) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }`);
    expect(result.metrics).toEqual([]);
    expect(result.filled).toEqual([
      {
        bucketStart: '2019-01-01T00:00:00.000Z',
        executions: 0,
        successRate: null,
        avgDurationMs: null,
        totalOutputBytes: '0',
      },
      {
        bucketStart: '2019-01-02T00:00:00.000Z',
        executions: 0,
        successRate: null,
        avgDurationMs: null,
        totalOutputBytes: '0',
      },
    ]);
    const trends = result.trends as { peak: unknown; slots: { share: number }[] };
    expect(trends.peak).toBeNull();
    expect(trends.slots.every((s) => s.share === 0)).toBe(true);
    expect(result.providers).toEqual([
      {
        provider: 'AWS',
        reports: 1,
        activeReports: 1,
        executions: 0,
        successRate: null,
        bytesPerSecond: null,
      },
    ]);
    expect(result.users).toEqual({
      edges: [
        {
          node: {
            user: { id: ids.user },
            reportsOwned: 1,
            executions: 0,
            successRate: null,
            avgDurationMs: null,
            lastActiveAt: null,
            segment: 'INACTIVE',
          },
        },
        {
          node: {
            user: { id: ids.idle },
            reportsOwned: 0,
            executions: 0,
            successRate: null,
            avgDurationMs: null,
            lastActiveAt: null,
            segment: 'INACTIVE',
          },
        },
      ],
    });
    expect(result.alerts).toEqual([]);
    expect(result.recent).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('reports an idle active report as INACTIVE_REPORT with whole days since its last run', async () => {
    const result =
      await data(`{ performanceAlerts(${window('2026-04-01T00:00:00Z', '2026-04-11T12:00:00Z')},
      types: [INACTIVE_REPORT]) { type severity value threshold observedAt report { id } execution { id } } }`);
    expect(result.performanceAlerts).toEqual([
      {
        type: 'INACTIVE_REPORT',
        severity: 'INFO',
        value: 40,
        threshold: 30,
        observedAt: F,
        report: { id: ids.report },
        execution: null,
      },
    ]);
  });

  it('rejects thresholds out of range and too many buckets, naming the argument', async () => {
    const result = await gateway.executeText(`{
      a: performanceAlerts(failureRateThreshold: 1.5) { type } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'failureRateThreshold',
    });
    const hours = await gateway.executeText(
      `{ executionMetrics(window: { last: "P5Y" }, granularity: HOUR) { bucketStart } }`,
    );
    expect(hours.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'granularity',
    });
  });
});
