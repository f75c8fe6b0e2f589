/**
 * The two daily rollups and how a range of their rows is recomputed from the raw
 * executions: the reference both REFRESH_ROLLUPS and INTEGRITY use.
 */
import { sql, type SQLQuery } from '@databases/mysql';

export interface DailyRollup {
  table: 'report_daily_rollup' | 'user_daily_rollup';
  key: 'report_id' | 'executed_by';
  /** The table the key references (the rollup's foreign key). */
  parent: 'reports' | 'users';
}

export const DAILY_ROLLUPS: readonly DailyRollup[] = [
  { table: 'report_daily_rollup', key: 'report_id', parent: 'reports' },
  { table: 'user_daily_rollup', key: 'executed_by', parent: 'users' },
];

/** The measure columns of a rollup row, in table order after (bucket_date, key). */
export const ROLLUP_COLUMNS = [
  'executions',
  'successes',
  'failures',
  'cancelled',
  'duration_count',
  'duration_sum',
  'max_duration_ms',
  'total_output_bytes',
  'last_executed_at',
] as const;

/** A UTC day range [fromDay, toDay) of rollup rows. */
export interface DayRange {
  fromDay: Date;
  toDay: Date;
}

/** Executions that started inside the day range. */
export function startedIn(range: DayRange): SQLQuery {
  return sql`started_at >= ${range.fromDay} AND started_at < ${range.toDay}`;
}

/**
 * The rollup's rows computed from the executions matching `rows` (all of a day
 * range, to rebuild; or just inserted ones, to add). Orphans (only possible with
 * foreign key checks off) have no rollup row.
 */
export function recomputedRows(rollup: DailyRollup, rows: SQLQuery): SQLQuery {
  const key = sql.ident(rollup.key);
  return sql`
    SELECT DATE(started_at) AS bucket_date, ${key}, COUNT(*) AS executions,
      SUM(status = 'success') AS successes, SUM(status = 'failed') AS failures,
      SUM(status = 'cancelled') AS cancelled, COUNT(duration_ms) AS duration_count,
      COALESCE(SUM(duration_ms), 0) AS duration_sum, MAX(duration_ms) AS max_duration_ms,
      COALESCE(SUM(output_size_bytes), 0) AS total_output_bytes, MAX(started_at) AS last_executed_at
    FROM report_executions
    WHERE ${rows}
      AND EXISTS (SELECT 1 FROM ${sql.ident(rollup.parent)} p WHERE p.id = ${key})
    GROUP BY DATE(started_at), ${key}`;
}

/** Midnight UTC of the day holding `date`. */
export function dayOf(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** The days of the executions table, [first day, day after the last), or undefined when empty. */
export const EXECUTION_DAYS = sql`
  SELECT MIN(started_at) AS first, MAX(started_at) AS last FROM report_executions`;
