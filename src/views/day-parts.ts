/**
 * A window's executions per UTC day, over all reports: whole days from day_rollup
 * (one row a day, with the day's distinct report and user counts), the partial
 * days at the edges from the raw rows. Every part is one whole day or one partial
 * day, so summing parts per day is exact even for the distinct counts; per week or
 * month only the sums add up.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { rollupDays } from './daily-parts.js';
import { MEASURES, type Measure } from './metrics.js';
import type { Window } from './time-window.js';

const DAY_MEASURES: ReadonlySet<Measure> = new Set([
  'executions',
  'successes',
  'failures',
  'cancelled',
  'duration_sum',
  'duration_count',
  'total_output_bytes',
  'distinct_reports',
  'distinct_users',
]);

const DAY_COLUMNS: Partial<Record<Measure, string>> = {
  distinct_reports: 'reports',
  distinct_users: 'users',
};

const DISTINCT_MEASURES: ReadonlySet<Measure> = new Set(['distinct_reports', 'distinct_users']);

/** True when day_rollup plus raw edges can answer these measures, per day or (sums only) coarser. */
export function dayPartsServe(measures: readonly Measure[], window: Window, perDay: boolean) {
  return (
    rollupDays(window) !== undefined &&
    measures.every((m) => DAY_MEASURES.has(m) && (perDay || !DISTINCT_MEASURES.has(m)))
  );
}

/** The parts as one UNION ALL of rows (bucket_date, measures…). Call only where `dayPartsServe` holds. */
export function dayParts(measures: readonly Measure[], window: Window): SQLQuery {
  const days = rollupDays(window)!;
  const rollupColumns = measures.map(
    (m) => sql`d.${sql.ident(DAY_COLUMNS[m] ?? m)} AS ${sql.ident(m)}`,
  );
  // A day whose executions all went is a row of zeros: no part.
  const parts = [
    sql`
    SELECT d.bucket_date, ${sql.join(rollupColumns, ', ')}
    FROM day_rollup d
    WHERE d.bucket_date >= ${days.firstDay} AND d.bucket_date < ${days.lastDay}
      AND d.executions > 0`,
  ];
  const rawColumns = measures.map((m) => sql`${MEASURES[m]} AS ${sql.ident(m)}`);
  for (const [from, to] of [
    [window.from, days.firstDay],
    [days.lastDay, window.to],
  ] as const) {
    if (from >= to) continue;
    parts.push(sql`
      SELECT DATE(e.started_at) AS bucket_date, ${sql.join(rawColumns, ', ')}
      FROM report_executions e
      WHERE e.started_at >= ${from} AND e.started_at < ${to}
      GROUP BY bucket_date`);
  }
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` UNION ALL `,
  );
}
