/**
 * The source chooser's decisions, pinned: a table of the questions the views ask
 * (no database needed) with the source that must answer each. A change to any
 * decision fails here first. The second part checks that each view reads the
 * tables of the source the chooser picks for its question.
 */
import { describe, expect, it } from 'vitest';
import { compileDimensionPerformance } from '../src/views/dimension-performance.js';
import { compileExecutionMetrics } from '../src/views/execution-metrics.js';
import { compileExecutionTrends } from '../src/views/execution-trends.js';
import { statementText } from '../src/views/explain.js';
import { compilePerformanceAlerts } from '../src/views/performance-alerts.js';
import { compileReportsSummary } from '../src/views/reports-summary.js';
import type { Selection } from '../src/views/selection.js';
import { chooseSource, type Source, type SourceQuestion } from '../src/views/source-chooser.js';
import type { Window } from '../src/views/time-window.js';
import { compileUserActivity } from '../src/views/user-activity.js';

const window = (from: string, to: string, rawOnly = false): Window => ({
  from: new Date(from),
  to: new Date(to),
  ...(rawOnly ? { rawOnly } : {}),
});

/** Whole days with ragged edges. */
const LONG = window('2024-01-15T10:30:00Z', '2024-04-20T08:15:00Z');
const JANUARY = window('2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z');
const ONE_DAY = window('2024-01-10T00:00:00Z', '2024-01-11T00:00:00Z');
const RAW_ONLY = window('2024-01-15T10:30:00Z', '2024-04-20T08:15:00Z', true);
/** Whole hours but no whole day. */
const HOURS = window('2024-01-10T10:15:00Z', '2024-01-10T14:45:00Z');
const ACROSS_MIDNIGHT = window('2024-01-10T22:15:00Z', '2024-01-11T03:30:00Z');
const ONE_HOUR = window('2024-01-10T10:00:00Z', '2024-01-10T11:00:00Z');
/** Not even a whole hour. */
const MINUTES = window('2024-01-10T10:15:00Z', '2024-01-10T10:45:00Z');

const SUMS = ['executions', 'successes', 'duration_sum', 'duration_count'] as const;
const TRENDS = ['executions', 'duration_sum', 'duration_count'] as const;
const ALERTS = ['successes', 'failures', 'cancelled', 'last_executed_at'] as const;

const CASES: [string, SourceQuestion, Source][] = [
  // executionMetrics: day_rollup, then the hourly rollup, then the daily rollups.
  ['metrics: daily sums, no filter', { measures: SUMS, window: LONG, slot: 'DAY' }, 'day'],
  ['metrics: no measures at all', { measures: [], window: LONG, slot: 'MONTH' }, 'day'],
  [
    'metrics: distinct counts per day',
    { measures: ['distinct_reports', 'distinct_users'], window: JANUARY, slot: 'DAY' },
    'day',
  ],
  ['metrics: one whole day', { measures: SUMS, window: ONE_DAY, slot: 'WEEK' }, 'day'],
  [
    'metrics: empty filter object',
    { measures: SUMS, window: LONG, slot: 'DAY', filter: {} },
    'day',
  ],
  [
    'metrics: nulls in the filter narrow nothing',
    { measures: SUMS, window: LONG, slot: 'DAY', filter: { active: null, reportIds: null } },
    'day',
  ],
  [
    'metrics: distinct users per week',
    { measures: ['executions', 'distinct_users'], window: LONG, slot: 'WEEK' },
    'daily',
  ],
  [
    'metrics: distinct reports per month, provider filter',
    { measures: ['distinct_reports'], window: LONG, slot: 'MONTH', filter: { providers: ['aws'] } },
    'daily',
  ],
  [
    'metrics: distinct users per week, provider filter',
    { measures: ['distinct_users'], window: LONG, slot: 'WEEK', filter: { providers: ['aws'] } },
    'raw',
  ],
  [
    'metrics: distinct users per day, grouped by provider',
    { measures: ['distinct_users'], window: LONG, slot: 'DAY', dimensions: ['provider'] },
    'raw',
  ],
  [
    'metrics: distinct users per day, report filter',
    { measures: ['distinct_users'], window: LONG, slot: 'DAY', filter: { reportIds: ['1'] } },
    'raw',
  ],
  ['metrics: HOUR buckets', { measures: SUMS, window: LONG, slot: 'HOUR' }, 'hourly'],
  [
    'metrics: HOUR buckets, report filter',
    { measures: SUMS, window: LONG, slot: 'HOUR', filter: { reportIds: ['1'] } },
    'raw',
  ],
  [
    'metrics: HOUR buckets, distinct reports',
    { measures: ['distinct_reports'], window: LONG, slot: 'HOUR' },
    'raw',
  ],
  [
    'metrics: grouped by provider and category',
    { measures: SUMS, window: LONG, slot: 'DAY', dimensions: ['provider', 'category'] },
    'hourly',
  ],
  [
    'metrics: provider filter is not a report scope for the hourly rollup',
    { measures: SUMS, window: LONG, slot: 'DAY', filter: { providers: ['aws'] } },
    'hourly',
  ],
  [
    'metrics: an empty category list still narrows',
    { measures: SUMS, window: LONG, slot: 'DAY', filter: { categories: [] } },
    'hourly',
  ],
  [
    'metrics: active filter picks reports',
    { measures: SUMS, window: LONG, slot: 'DAY', filter: { active: false } },
    'daily',
  ],
  [
    'metrics: owner filter picks reports',
    { measures: SUMS, window: LONG, slot: 'MONTH', filter: { ownerIds: ['3'] } },
    'daily',
  ],
  ['metrics: rawOnly', { measures: SUMS, window: RAW_ONLY, slot: 'DAY' }, 'raw'],
  ['metrics: hours, no whole day', { measures: SUMS, window: HOURS, slot: 'DAY' }, 'hourly'],
  ['metrics: one whole hour', { measures: SUMS, window: ONE_HOUR, slot: 'HOUR' }, 'hourly'],
  [
    'metrics: across midnight, no whole day',
    { measures: SUMS, window: ACROSS_MIDNIGHT, slot: 'DAY' },
    'hourly',
  ],
  [
    'metrics: no whole day, report filter',
    { measures: SUMS, window: ACROSS_MIDNIGHT, slot: 'DAY', filter: { reportIds: ['1'] } },
    'raw',
  ],
  ['metrics: shorter than an hour', { measures: SUMS, window: MINUTES, slot: 'HOUR' }, 'raw'],
  [
    'metrics: distinct users, no whole day',
    { measures: ['distinct_users'], window: HOURS, slot: 'DAY' },
    'raw',
  ],
  // executionTrends: never day_rollup; weekdays only from the daily rollups.
  ['trends: hour of day', { measures: TRENDS, window: LONG, slot: 'HOUR_OF_DAY' }, 'hourly'],
  ['trends: weekday, no filter', { measures: TRENDS, window: LONG, slot: 'DAY_OF_WEEK' }, 'hourly'],
  [
    'trends: weekday, report filter',
    { measures: TRENDS, window: LONG, slot: 'DAY_OF_WEEK', filter: { reportIds: ['1'] } },
    'daily',
  ],
  [
    'trends: hour of day, report filter',
    { measures: TRENDS, window: LONG, slot: 'HOUR_OF_DAY', filter: { reportIds: ['1'] } },
    'raw',
  ],
  [
    'trends: weekday, report filter, no whole day',
    { measures: TRENDS, window: HOURS, slot: 'DAY_OF_WEEK', filter: { active: true } },
    'raw',
  ],
  ['trends: weekday, rawOnly', { measures: TRENDS, window: RAW_ONLY, slot: 'DAY_OF_WEEK' }, 'raw'],
  // providerPerformance / categoryPerformance.
  ['dimensions: sums', { measures: SUMS, window: LONG, dimensions: ['provider'] }, 'hourly'],
  [
    'dimensions: owner filter',
    { measures: SUMS, window: LONG, dimensions: ['category'], filter: { ownerIds: ['3'] } },
    'daily',
  ],
  [
    'dimensions: report filter, no whole day',
    { measures: SUMS, window: HOURS, dimensions: ['provider'], filter: { reportIds: ['1'] } },
    'raw',
  ],
  [
    'dimensions: maxima',
    { measures: ['max_duration_ms'], window: LONG, dimensions: ['provider'] },
    'daily',
  ],
  // Per report or user over the window (reportsSummary, userActivity, alerts).
  [
    'per report: sums and maxima',
    {
      measures: [...SUMS, 'max_duration_ms', 'last_executed_at'],
      window: LONG,
      perKey: 'report_id',
    },
    'daily',
  ],
  [
    'per user: last active',
    { measures: ['executions', 'last_executed_at'], window: JANUARY, perKey: 'executed_by' },
    'daily',
  ],
  ['alerts: failure rates', { measures: ALERTS, window: LONG, perKey: 'report_id' }, 'daily'],
  [
    'per report: whole hours are no help',
    { measures: SUMS, window: HOURS, perKey: 'report_id' },
    'raw',
  ],
  ['per user: rawOnly', { measures: SUMS, window: RAW_ONLY, perKey: 'executed_by' }, 'raw'],
  [
    'per report: a distinct count',
    { measures: ['executions', 'distinct_users'], window: LONG, perKey: 'report_id' },
    'raw',
  ],
  // Maxima: only the daily rollups hold them.
  [
    'metrics: maxima per month',
    { measures: ['max_duration_ms', 'executions'], window: LONG, slot: 'MONTH' },
    'daily',
  ],
  [
    'metrics: last executed per day, no whole day',
    { measures: ['last_executed_at'], window: HOURS, slot: 'DAY' },
    'raw',
  ],
];

describe('chooseSource', () => {
  it.each(CASES)('%s', (_label, question, expected) => {
    expect(chooseSource(question).source).toBe(expected);
  });

  it('says what serves, or why each rollup declined', () => {
    expect(chooseSource({ measures: SUMS, window: LONG, slot: 'DAY' }).reason).toMatch(
      /^day_rollup/,
    );
    const raw = chooseSource({ measures: SUMS, window: RAW_ONLY, slot: 'DAY' }).reason;
    expect(raw).toContain('day_rollup: the window is read from raw rows only');
    expect(raw).toContain('dimension_hourly_rollup: the window is read from raw rows only');
    expect(raw).toContain('daily rollups: the window is read from raw rows only');
    const scoped = chooseSource({
      measures: ['distinct_users'],
      window: LONG,
      slot: 'WEEK',
      filter: { providers: ['aws'] },
    }).reason;
    expect(scoped).toContain('day_rollup: it covers all reports, and the filter narrows them');
    expect(scoped).toContain('dimension_hourly_rollup: holds no distinct_users');
    expect(scoped).toContain('daily rollups: its distinct users know nothing of reports');
  });
});

// Each source by the tables its SQL reads (day_rollup is read unquoted, the others quoted).
const READS: Record<Source, RegExp[]> = {
  day: [/\bday_rollup\b/],
  hourly: [/dimension_hourly_rollup/],
  daily: [/report_daily_rollup|user_daily_rollup/],
  raw: [],
};
const ROLLUPS = /\bday_rollup\b|dimension_hourly_rollup|report_daily_rollup|user_daily_rollup/;

function expectReads(statement: Parameters<typeof statementText>[0], source: Source) {
  const { text } = statementText(statement);
  if (source === 'raw') expect(text).not.toMatch(ROLLUPS);
  for (const pattern of READS[source]) expect(text).toMatch(pattern);
  for (const [other, patterns] of Object.entries(READS)) {
    if (other === source || other === 'raw') continue;
    // A daily answer may add per-user parts; it never reads the others' tables.
    for (const pattern of patterns) expect(text).not.toMatch(pattern);
  }
}

const fields = (...names: string[]): Selection =>
  new Map(names.map((name) => [name, new Map() as Selection]));

describe('the views read the chosen source', () => {
  const metrics: [Window, 'HOUR' | 'DAY' | 'WEEK', object | undefined, string[]][] = [
    [LONG, 'DAY', undefined, ['executions']],
    [LONG, 'HOUR', undefined, ['executions']],
    [LONG, 'WEEK', undefined, ['distinctUsers']],
    [LONG, 'WEEK', { providers: ['aws'] }, ['distinctUsers']],
    [LONG, 'DAY', { active: true }, ['executions']],
    [RAW_ONLY, 'DAY', undefined, ['executions']],
  ];
  it.each(metrics)('executionMetrics %#', (w, granularity, filter, selected) => {
    const args = { window: w, granularity, groupBy: [], filter, fillGaps: false };
    const { query } = compileExecutionMetrics(args, fields('bucketStart', ...selected));
    const measures = selected.map((f) =>
      f === 'distinctUsers' ? ('distinct_users' as const) : ('executions' as const),
    );
    expectReads(query, chooseSource({ measures, window: w, filter, slot: granularity }).source);
  });

  const trends: [Window, 'HOUR_OF_DAY' | 'DAY_OF_WEEK', object | undefined][] = [
    [LONG, 'HOUR_OF_DAY', undefined],
    [LONG, 'DAY_OF_WEEK', { reportIds: ['1'] }],
    [LONG, 'HOUR_OF_DAY', { reportIds: ['1'] }],
  ];
  it.each(trends)('executionTrends %#', (w, pattern, filter) => {
    const expected = chooseSource({ measures: TRENDS, window: w, filter, slot: pattern }).source;
    expectReads(compileExecutionTrends({ window: w, pattern, filter }), expected);
  });

  it.each([
    [LONG, undefined],
    [LONG, { ownerIds: ['3'] }],
    [HOURS, { reportIds: ['1'] }],
  ] as [Window, object | undefined][])('providerPerformance %#', (w, filter) => {
    const { query } = compileDimensionPerformance(
      'provider',
      { window: w, filter },
      fields('provider', 'executions'),
    );
    const expected = chooseSource({
      measures: ['executions'],
      window: w,
      filter,
      dimensions: ['provider'],
    }).source;
    expectReads(query, expected);
  });

  it.each([LONG, HOURS, RAW_ONLY])('reportsSummary, userActivity and alerts %#', (w) => {
    const expected = chooseSource({ measures: ['executions'], window: w, perKey: 'report_id' });
    const summary = compileReportsSummary(
      {
        window: w,
        orderBy: { field: 'EXECUTIONS', direction: 'DESC' },
        page: { backward: false, limit: 5 },
      },
      fields('executions'),
    );
    expectReads(summary.query, expected.source);
    const users = compileUserActivity(
      {
        window: w,
        orderBy: { field: 'EXECUTIONS', direction: 'DESC' },
        page: { backward: false, limit: 5 },
      },
      fields('executions'),
    );
    const byUser = chooseSource({ measures: ['executions'], window: w, perKey: 'executed_by' });
    expectReads(users.query, byUser.source);
    const alerts = compilePerformanceAlerts(
      {
        window: w,
        types: ['HIGH_FAILURE_RATE'],
        minSeverity: 'INFO',
        longRunningMs: 1000,
        failureRateThreshold: 0.5,
        minExecutions: 1,
        p95ThresholdMs: 60_000,
        inactiveDays: 7,
        limit: 10,
      },
      fields('type'),
    );
    const alertSource = chooseSource({ measures: ALERTS, window: w, perKey: 'report_id' });
    expectReads(alerts.query!, alertSource.source);
  });
});
