/**
 * executionMetrics: executions per UTC time bucket (hour, day, ISO week, month),
 * optionally per provider and/or category, with empty buckets filled on request.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readRows } from '../db/read.js';
import { badInput } from '../errors.js';
import { bucketSql, bucketStarts, type Granularity } from './buckets.js';
import { needsReportColumns, reportConditions, type ReportFilterInput } from './filters.js';
import { keyDays, windowParts } from './daily-parts.js';
import { dayParts } from './day-parts.js';
import { readWithPercentiles } from './duration-percentiles.js';
import { hourlyParts } from './hourly-parts.js';
import {
  isMeasure,
  measureSelects,
  INTERFACE_METRICS,
  PERCENTILE_COLUMNS,
  metricFields,
  reaggregateColumns,
  type Measure,
  type MeasureRow,
} from './metrics.js';
import type { RowModel } from './model.js';
import { planProjection } from './projection.js';
import { CATEGORIES, PROVIDERS, type Category, type ProviderName } from './rows.js';
import type { Selection } from './selection.js';
import { chooseSource } from './source-chooser.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

export const EXECUTION_METRICS_DEFAULT_WINDOW = 'P365D';
/** No request may ask for more buckets than this (a year of hours fits). */
export const MAX_BUCKETS = 10_000;

export type MetricDimension = 'PROVIDER' | 'CATEGORY';

export type MetricsBucketRow = MeasureRow & {
  bucket_start: Date;
  provider?: ProviderName;
  category?: Category;
};

export const METRICS_BUCKET_ROW: RowModel = {
  fields: {
    ...metricFields(...INTERFACE_METRICS, 'distinctReports', 'distinctUsers'),
    ...PERCENTILE_COLUMNS,
    bucketStart: ['bucket_start'],
  },
  relations: {},
};

export interface ExecutionMetricsArgs {
  window: Window;
  granularity: Granularity;
  groupBy: readonly MetricDimension[];
  filter?: ReportFilterInput | null;
  fillGaps: boolean;
}

const DIMENSION_COLUMNS = { PROVIDER: 'provider', CATEGORY: 'category' } as const;

/** The bucket starts of the window, or BAD_USER_INPUT when there would be too many. */
export function windowBuckets(args: Pick<ExecutionMetricsArgs, 'window' | 'granularity'>) {
  const starts = bucketStarts(args.granularity, args.window.from, args.window.to, MAX_BUCKETS);
  if (!starts) {
    throw badInput(
      'granularity',
      `${args.granularity} buckets over this window exceed ${MAX_BUCKETS}; use a coarser granularity or a shorter window`,
    );
  }
  return starts;
}

interface BucketSource {
  /** FROM clause with any join. */
  from: SQLQuery;
  /** The column each row is bucketed by. */
  time: SQLQuery;
  /** A grouping dimension's column. */
  dimension: (name: string) => SQLQuery;
  measures: SQLQuery[];
  conditions: SQLQuery[];
}

/**
 * A dimension in its enum's order. Spelled out because a UNION of enum columns
 * (the hourly parts) yields strings, which would sort alphabetically.
 */
function enumOrder(dimension: 'provider' | 'category'): SQLQuery {
  const values = dimension === 'provider' ? PROVIDERS : CATEGORIES;
  return sql`FIELD(${sql.ident(dimension)}, ${sql.join(
    values.map((v) => sql`${v}`),
    ', ',
  )})`;
}

/** Raw executions `e` inside the window (reports `r` joined when needed). */
function rawSource(args: ExecutionMetricsArgs, measures: Measure[], joinReports: boolean) {
  return {
    from: sql`report_executions e ${joinReports ? sql`JOIN reports r ON r.id = e.report_id` : sql``}`,
    time: sql`e.started_at`,
    dimension: (d: string) => sql.ident('r', d),
    measures: measureSelects(measures),
    conditions: [
      sql`e.started_at >= ${args.window.from} AND e.started_at < ${args.window.to}`,
      ...reportConditions('r', args.filter, sql`e.report_id`),
    ],
  } satisfies BucketSource;
}

/**
 * Per report and UTC day parts `p` (rollup days plus raw edges): exact for day,
 * week and month buckets. A report has a part only on days it ran, so counting
 * distinct report ids over parts counts the reports that ran in the bucket.
 */
function dailySource(args: ExecutionMetricsArgs, measures: Measure[], joinReports: boolean) {
  const summed = measures.filter((m) => m !== 'distinct_reports');
  // Counting distinct reports needs each report's day as one row.
  const parts = measures.includes('distinct_reports')
    ? keyDays('report_id', summed, args.window)
    : windowParts('report_id', summed.length > 0 ? summed : ['executions'], args.window, true);
  return {
    from: sql`(${parts}) p ${joinReports ? sql`JOIN reports r ON r.id = p.report_id` : sql``}`,
    time: sql`p.bucket_date`,
    dimension: (d: string) => sql.ident('r', d),
    measures: [
      ...reaggregateColumns(summed, 'p'),
      ...(measures.includes('distinct_reports')
        ? [sql`COUNT(DISTINCT p.report_id) AS distinct_reports`]
        : []),
    ],
    conditions: reportConditions('r', args.filter, sql`p.report_id`),
  } satisfies BucketSource;
}

/** Parts `p` per bucket and dimension from the hourly rollup plus raw edge hours, filtered inside. */
function hourlySource(
  args: ExecutionMetricsArgs,
  measures: Measure[],
  dimensions: ('provider' | 'category')[],
) {
  const parts = hourlyParts(
    measures.length > 0 ? measures : ['executions'],
    args.window,
    args.filter,
    {
      slot: (time) => bucketSql(args.granularity, time),
      dimensions,
    },
  );
  return {
    from: sql`(${parts}) p`,
    // Already a bucket start: bucketing it again changes nothing.
    time: sql`p.slot`,
    dimension: (d: string) => sql.ident('p', d),
    measures: reaggregateColumns(measures, 'p'),
    conditions: [],
  } satisfies BucketSource;
}

/** Per-day parts `p` over all reports (day_rollup plus raw edge days). */
function daySource(args: ExecutionMetricsArgs, measures: Measure[]) {
  return {
    from: sql`(${dayParts(measures.length > 0 ? measures : ['executions'], args.window)}) p`,
    time: sql`p.bucket_date`,
    dimension: (d: string) => sql.ident('p', d),
    // Distinct counts add up too: a bucket's parts are whole days, one each.
    measures: measures.map((m) => sql`COALESCE(SUM(${sql.ident('p', m)}), 0) AS ${sql.ident(m)}`),
    conditions: [],
  } satisfies BucketSource;
}

/**
 * Distinct users per bucket from per user and day parts (rollup days plus raw
 * edges): a user has a part only on days they ran something.
 */
function distinctUsersPerBucket(args: ExecutionMetricsArgs): SQLQuery {
  return sql`
    SELECT ${bucketSql(args.granularity, sql`q.bucket_date`)} AS bucket_start,
      COUNT(DISTINCT q.executed_by) AS distinct_users
    FROM (${keyDays('executed_by', [], args.window)}) q
    GROUP BY bucket_start`;
}

/**
 * Compiles the bucket query for a selection of bucket fields, from the source the
 * chooser picks (day_rollup, the hourly rollup, the daily rollups or raw rows).
 */
export function compileExecutionMetrics(args: ExecutionMetricsArgs, selection: Selection) {
  windowBuckets(args);
  const plan = planProjection(METRICS_BUCKET_ROW, selection);
  const measures = [...plan.rootColumns].filter(isMeasure);
  const dimensions = [...new Set(args.groupBy)].map((d) => DIMENSION_COLUMNS[d]);
  const joinReports = dimensions.length > 0 || needsReportColumns(args.filter);
  const { source: chosen } = chooseSource({
    measures,
    window: args.window,
    filter: args.filter,
    slot: args.granularity,
    dimensions,
  });
  // The daily rollups count distinct users apart, from the user rollup.
  const userCount = chosen === 'daily' && measures.includes('distinct_users');
  const sources: Record<typeof chosen, () => BucketSource> = {
    day: () => daySource(args, measures),
    hourly: () => hourlySource(args, measures, dimensions),
    daily: () =>
      dailySource(
        args,
        userCount ? measures.filter((m) => m !== 'distinct_users') : measures,
        joinReports,
      ),
    raw: () => rawSource(args, measures, joinReports),
  };
  const source = sources[chosen]();
  const keys: SQLQuery[] = [sql`bucket_start`, ...dimensions.map((d) => sql.ident(d))];
  const buckets = sql`
    SELECT ${bucketSql(args.granularity, source.time)} AS bucket_start
      ${sql.join(
        dimensions.map((d) => sql`, ${source.dimension(d)} AS ${sql.ident(d)}`),
        sql``,
      )}
      ${source.measures.length > 0 ? sql`, ${sql.join(source.measures, ', ')}` : sql``}
    FROM ${source.from}
    WHERE ${allOf(source.conditions)}
    GROUP BY ${sql.join(keys, ', ')}
    ORDER BY bucket_start ${sql.join(
      dimensions.map((d) => sql`, ${enumOrder(d)}`),
      sql``,
    )}`;
  const query = userCount
    ? sql`
      SELECT b.*, COALESCE(u.distinct_users, 0) AS distinct_users
      FROM (${buckets}) b LEFT JOIN (${distinctUsersPerBucket(args)}) u ON u.bucket_start = b.bucket_start
      ORDER BY b.bucket_start`
    : buckets;
  return { plan, query, dimensions };
}

/** The SQL order: bucket start, then provider and category in their enum order. */
function compareBuckets(a: MetricsBucketRow, b: MetricsBucketRow): number {
  return (
    a.bucket_start.getTime() - b.bucket_start.getTime() ||
    PROVIDERS.indexOf(a.provider!) - PROVIDERS.indexOf(b.provider!) ||
    CATEGORIES.indexOf(a.category!) - CATEGORIES.indexOf(b.category!)
  );
}

/** Adds an empty bucket for every bucket start × dimension combination the result lacks. */
function fillGaps(rows: MetricsBucketRow[], starts: Date[], dimensions: readonly string[]) {
  const comboKey = (row: Record<string, unknown>) =>
    dimensions.map((d) => String(row[d])).join('|');
  const combos = new Map<string, Record<string, unknown>>();
  if (dimensions.length === 0) combos.set('', {});
  for (const row of rows) {
    combos.set(
      comboKey(row),
      Object.fromEntries(dimensions.map((d) => [d, (row as Record<string, unknown>)[d]])),
    );
  }
  const present = new Set(rows.map((row) => `${row.bucket_start.getTime()}#${comboKey(row)}`));
  const filled = [...rows];
  for (const start of starts) {
    for (const [key, values] of combos) {
      if (!present.has(`${start.getTime()}#${key}`))
        filled.push({ bucket_start: start, ...values });
    }
  }
  return filled.sort(compareBuckets);
}

/** Runs the view; percentiles, when asked, per bucket (and dimension) from the same moment. */
export async function fetchExecutionMetrics(
  db: Database,
  args: ExecutionMetricsArgs,
  selection: Selection,
): Promise<MetricsBucketRow[]> {
  const { query, dimensions } = compileExecutionMetrics(args, selection);
  const slot = args.granularity;
  const { source } = chooseSource({
    measures: [],
    window: args.window,
    filter: args.filter,
    slot,
    dimensions,
  });
  return readWithPercentiles(
    db,
    selection,
    {
      source,
      window: args.window,
      filter: args.filter,
      grouping: { slot: (time) => bucketSql(slot, time), dimensions },
    },
    async (connection) => {
      const rows = await readRows<MetricsBucketRow>(db, query, connection);
      return args.fillGaps ? fillGaps(rows, windowBuckets(args), dimensions) : rows;
    },
  );
}
