/**
 * The rollup tables and how their rows are recomputed from the raw executions:
 * the reference that REFRESH_ROLLUPS rebuilds from, INTEGRITY compares with, and
 * the bulk writers add with.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { HISTOGRAM_COLUMN, durationBucket } from './duration-histogram.js';
import { JOURNAL_SUMS, JOURNAL_TABLE, REPORT_CHANGES_TABLE } from './journal.js';

export interface RollupTable {
  table:
    | 'report_daily_rollup'
    | 'user_daily_rollup'
    | 'report_monthly_rollup'
    | 'dimension_hourly_rollup'
    | 'day_rollup';
  /** The time bucket column: DATE or DATETIME. */
  bucket: 'bucket_date' | 'bucket_month' | 'bucket_hour';
  /** The day range whose cells hold the days of `range` (whole months for a monthly rollup). */
  cellsOf?: (range: DayRange) => DayRange;
  /** The other columns that identify a cell. */
  keys: readonly string[];
  /**
   * The measure columns; those in `maxima` combine by MAX, the rest add up. Every
   * rollup row also holds the histogram of its durations (duration-histogram.ts).
   */
  columns: readonly string[];
  maxima: readonly string[];
  /** The executions `e` of the table's cells that match `rows`: a `FROM … WHERE …` clause. */
  source(rows: SQLQuery): SQLQuery;
  /** Each key column's value over the source. */
  keyOf: Readonly<Record<string, SQLQuery>>;
  /** The aggregates of the measure columns over a cell's executions, each `AS` its column. */
  measures: SQLQuery;
  /** The cell's bucket of a time (a DATETIME expression), and the span a bucket covers. */
  bucketOf(time: SQLQuery): SQLQuery;
  span: 'HOUR' | 'DAY' | 'MONTH';
  /** The table whose row each cell's key needs (the rollup's foreign key): cells of a deleted one go. */
  parent?: { table: 'reports' | 'users'; key: 'report_id' | 'executed_by' };
  /**
   * Columns that count the keys of another rollup with executions in the cell
   * (distinct reports or users of a day): recounted from that rollup for every
   * cell a batch touches, where the other columns add the journal's differences.
   */
  counts?: readonly { column: string; of: 'report_daily_rollup' | 'user_daily_rollup' }[];
}

export const bucketDate = (time: SQLQuery) => sql`DATE(${time})`;
const bucketMonth = (time: SQLQuery) => sql`CAST(DATE_FORMAT(${time}, '%Y-%m-01') AS DATE)`;
const bucketHour = (time: SQLQuery) =>
  sql`CAST(DATE_FORMAT(${time}, '%Y-%m-%d %H:00:00') AS DATETIME)`;

const SUMS = sql`COUNT(*) AS executions, SUM(e.status = 'success') AS successes,
  SUM(e.status = 'failed') AS failures, SUM(e.status = 'cancelled') AS cancelled,
  COUNT(e.duration_ms) AS duration_count, COALESCE(SUM(e.duration_ms), 0) AS duration_sum`;

const DAILY_MEASURES = sql`${SUMS}, MAX(e.duration_ms) AS max_duration_ms,
  COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes,
  MAX(e.started_at) AS last_executed_at`;

/** Per UTC day and report (or user): sums, counts and maxima. */
function daily(
  table: 'report_daily_rollup' | 'user_daily_rollup',
  key: 'report_id' | 'executed_by',
  parent: 'reports' | 'users',
): RollupTable {
  return {
    table,
    bucket: 'bucket_date',
    bucketOf: bucketDate,
    span: 'DAY',
    parent: { table: parent, key },
    keys: [key],
    columns: [
      'executions',
      'successes',
      'failures',
      'cancelled',
      'duration_count',
      'duration_sum',
      'max_duration_ms',
      'total_output_bytes',
      'last_executed_at',
    ],
    maxima: ['max_duration_ms', 'last_executed_at'],
    keyOf: { [key]: sql`e.${sql.ident(key)}` },
    measures: DAILY_MEASURES,
    // Orphans (only possible with foreign key checks off) have no rollup row.
    source: (rows) => sql`FROM report_executions e
      WHERE ${rows} AND EXISTS (SELECT 1 FROM ${sql.ident(parent)} p WHERE p.id = e.${sql.ident(key)})`,
  };
}

const monthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

/** Per calendar month and report: the daily measures over the month. */
const REPORT_MONTHLY: RollupTable = {
  ...daily('report_daily_rollup', 'report_id', 'reports'),
  table: 'report_monthly_rollup',
  bucket: 'bucket_month',
  bucketOf: bucketMonth,
  span: 'MONTH',
  cellsOf: (range) => {
    const last = new Date(range.toDay.getTime() - 1);
    return {
      fromDay: monthStart(range.fromDay),
      toDay: new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1)),
    };
  },
};

export const DIMENSION_HOURLY: RollupTable = {
  table: 'dimension_hourly_rollup',
  bucket: 'bucket_hour',
  bucketOf: bucketHour,
  span: 'HOUR',
  keys: ['provider', 'category'],
  // Sums only: the journal's summed columns, in table order.
  columns: JOURNAL_SUMS,
  maxima: [],
  keyOf: { provider: sql`r.provider`, category: sql`r.category` },
  measures: sql`${SUMS}, COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes`,
  source: (rows) =>
    sql`FROM report_executions e JOIN reports r ON r.id = e.report_id WHERE ${rows}`,
};

/**
 * Per UTC day: the sums over all executions (an orphan's too, as a raw read of
 * the day counts it), and how many reports and users ran anything.
 */
const DAY_TOTALS: RollupTable = {
  table: 'day_rollup',
  bucket: 'bucket_date',
  bucketOf: bucketDate,
  span: 'DAY',
  keys: [],
  columns: [...DIMENSION_HOURLY.columns, 'reports', 'users'],
  maxima: [],
  counts: [
    { column: 'reports', of: 'report_daily_rollup' },
    { column: 'users', of: 'user_daily_rollup' },
  ],
  keyOf: {},
  measures: sql`${SUMS}, COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes,
    COUNT(DISTINCT IF(EXISTS (SELECT 1 FROM reports p WHERE p.id = e.report_id), e.report_id, NULL))
      AS reports,
    COUNT(DISTINCT e.executed_by) AS users`,
  source: (rows) => sql`FROM report_executions e WHERE ${rows}`,
};

// In the order a refresh rebuilds them: a rollup that counts another's keys after it.
export const ROLLUP_TABLES: readonly RollupTable[] = [
  daily('report_daily_rollup', 'report_id', 'reports'),
  daily('user_daily_rollup', 'executed_by', 'users'),
  REPORT_MONTHLY,
  DIMENSION_HOURLY,
  DAY_TOTALS,
];

/** The declaration of the rollup stored in `table`. */
export function rollupNamed(table: RollupTable['table']): RollupTable {
  return ROLLUP_TABLES.find((r) => r.table === table)!;
}

/** Every table the rollup upkeep writes: the rollups, the journal and its record of report changes. */
export const ROLLUP_STORAGE_TABLES = [
  ...ROLLUP_TABLES.map((r) => r.table),
  JOURNAL_TABLE,
  REPORT_CHANGES_TABLE,
];

/** The columns of a rollup that add the journal's differences (all but its counts). */
export function journaledColumns(rollup: RollupTable): string[] {
  const counted = new Set(rollup.counts?.map((c) => c.column));
  return rollup.columns.filter((c) => !counted.has(c));
}

/** Every column of a rollup row, in table order. */
export function allColumns(rollup: RollupTable): string[] {
  return [rollup.bucket, ...rollup.keys, ...rollup.columns, HISTOGRAM_COLUMN];
}

/** The cell columns over the source, `AS` their names, and the expressions to group by. */
function cellOf(rollup: RollupTable): { selects: SQLQuery[]; groups: SQLQuery[] } {
  const groups = [rollup.bucketOf(sql`e.started_at`), ...rollup.keys.map((k) => rollup.keyOf[k]!)];
  const names = [rollup.bucket, ...rollup.keys];
  return { selects: groups.map((g, i) => sql`${g} AS ${sql.ident(names[i]!)}`), groups };
}

/** The table's rows (without their histograms) for the executions `e` matching `rows`. */
export function recompute(rollup: RollupTable, rows: SQLQuery): SQLQuery {
  const { selects, groups } = cellOf(rollup);
  return sql`SELECT ${sql.join(selects, ', ')}, ${rollup.measures} ${rollup.source(rows)}
    GROUP BY ${sql.join(groups, ', ')}`;
}

/** Per cell and duration bucket, how many executions `e` matching `rows` have a duration there. */
export function recomputeBuckets(rollup: RollupTable, rows: SQLQuery): SQLQuery {
  const { selects, groups } = cellOf(rollup);
  const bucket = durationBucket(sql`e.duration_ms`);
  return sql`SELECT ${sql.join(selects, ', ')}, ${bucket} AS duration_bucket, COUNT(*) AS n
    ${rollup.source(sql`${rows} AND e.duration_ms IS NOT NULL`)}
    GROUP BY ${sql.join([...groups, bucket], ', ')}`;
}

/** A UTC day range [fromDay, toDay). */
export interface DayRange {
  fromDay: Date;
  toDay: Date;
}

/** Executions `e` that started inside the day range. */
export function startedIn(range: DayRange): SQLQuery {
  return sql`e.started_at >= ${range.fromDay} AND e.started_at < ${range.toDay}`;
}

/** Midnight UTC of the day holding `date`. */
export function dayOf(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/**
 * The first and last start of any execution, or of any journal row not yet
 * folded (a cell whose executions all went still holds them in its rollup row).
 */
export const EXECUTION_DAYS = sql`
  SELECT MIN(started_at) AS first, MAX(started_at) AS last FROM (
    (SELECT MIN(started_at) AS started_at FROM report_executions)
    UNION ALL (SELECT MAX(started_at) FROM report_executions)
    UNION ALL (SELECT MIN(started_at) FROM rollup_journal)
    UNION ALL (SELECT MAX(started_at) FROM rollup_journal)
  ) bounds`;
