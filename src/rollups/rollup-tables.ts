/**
 * The rollup tables and how their rows are recomputed from the raw executions:
 * the reference that REFRESH_ROLLUPS rebuilds from, INTEGRITY compares with, and
 * the bulk writers add with.
 */
import { sql, type SQLQuery } from '@databases/mysql';
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
  /** The measure columns; those in `maxima` combine by MAX, the rest add up. */
  columns: readonly string[];
  maxima: readonly string[];
  /** The table's rows for the executions `e` matching `rows`. */
  recompute(rows: SQLQuery): SQLQuery;
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
    // Orphans (only possible with foreign key checks off) have no rollup row.
    recompute: (rows) => sql`
      SELECT DATE(e.started_at) AS bucket_date, e.${sql.ident(key)}, ${SUMS},
        MAX(e.duration_ms) AS max_duration_ms,
        COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes,
        MAX(e.started_at) AS last_executed_at
      FROM report_executions e
      WHERE ${rows} AND EXISTS (SELECT 1 FROM ${sql.ident(parent)} p WHERE p.id = e.${sql.ident(key)})
      GROUP BY DATE(e.started_at), e.${sql.ident(key)}`,
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
  recompute: (rows) => sql`
    SELECT DATE_FORMAT(e.started_at, '%Y-%m-01') AS bucket_month, e.report_id, ${SUMS},
      MAX(e.duration_ms) AS max_duration_ms,
      COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes,
      MAX(e.started_at) AS last_executed_at
    FROM report_executions e
    WHERE ${rows} AND EXISTS (SELECT 1 FROM reports p WHERE p.id = e.report_id)
    GROUP BY bucket_month, e.report_id`,
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
  recompute: (rows) => sql`
    SELECT CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour,
      r.provider, r.category, ${SUMS}, COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes
    FROM report_executions e JOIN reports r ON r.id = e.report_id
    WHERE ${rows}
    GROUP BY bucket_hour, r.provider, r.category`,
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
  recompute: (rows) => sql`
    SELECT DATE(e.started_at) AS bucket_date, ${SUMS},
      COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes,
      COUNT(DISTINCT IF(EXISTS (SELECT 1 FROM reports p WHERE p.id = e.report_id), e.report_id, NULL))
        AS reports,
      COUNT(DISTINCT e.executed_by) AS users
    FROM report_executions e
    WHERE ${rows}
    GROUP BY bucket_date`,
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
  return [rollup.bucket, ...rollup.keys, ...rollup.columns];
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
