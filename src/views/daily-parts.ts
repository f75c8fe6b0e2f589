/**
 * A window's executions as parts that add up exactly: the whole UTC days inside
 * the window from the rollups (whole months of a report from the monthly one, other
 * days from a daily one), the partial days at its edges from the raw rows.
 * Each part is already grouped by its key (and by day on request), so a consumer
 * re-aggregates the union (sums of sums, maxima of maxima) and gets the same answer
 * as one aggregate over the raw rows, for any from/to, in a fraction of the reads.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { measureSelects, reaggregateColumns, type Measure } from './metrics.js';
import type { Window } from './time-window.js';

/** The executions column a daily rollup is keyed by. */
export type RollupKey = 'report_id' | 'executed_by';

const ROLLUP_TABLES: Record<RollupKey, string> = {
  report_id: 'report_daily_rollup',
  executed_by: 'user_daily_rollup',
};

// Each rollup column combines over days like the measure it holds.
const ROLLUP_AGGREGATES: Partial<Record<Measure, SQLQuery>> = {
  executions: sql`SUM(d.executions)`,
  successes: sql`SUM(d.successes)`,
  failures: sql`SUM(d.failures)`,
  cancelled: sql`SUM(d.cancelled)`,
  duration_sum: sql`SUM(d.duration_sum)`,
  duration_count: sql`SUM(d.duration_count)`,
  max_duration_ms: sql`MAX(d.max_duration_ms)`,
  total_output_bytes: sql`SUM(d.total_output_bytes)`,
  last_executed_at: sql`MAX(d.last_executed_at)`,
};

const DAY_MS = 86_400_000;

/** The whole UTC days inside [from, to) the rollups may answer, if any: [firstDay, lastDay). */
export function rollupDays(window: Window): { firstDay: Date; lastDay: Date } | undefined {
  if (window.rawOnly) return undefined;
  const firstDay = new Date(Math.ceil(window.from.getTime() / DAY_MS) * DAY_MS);
  const lastDay = new Date(Math.floor(window.to.getTime() / DAY_MS) * DAY_MS);
  return firstDay < lastDay ? { firstDay, lastDay } : undefined;
}

/** True when the rollups can answer these measures over this window. */
export function rollupsServe(measures: Iterable<Measure>, window: Window): boolean {
  if (!rollupDays(window)) return false;
  return [...measures].every((m) => m in ROLLUP_AGGREGATES);
}

function rawPart(key: RollupKey, measures: Measure[], from: Date, to: Date, byDay: boolean) {
  const day = byDay ? sql`, DATE(e.started_at) AS bucket_date` : sql``;
  return sql`
    SELECT ${sql.ident('e', key)} AS ${sql.ident(key)} ${day}, ${sql.join(measureSelects(measures), ', ')}
    FROM report_executions e
    WHERE e.started_at >= ${from} AND e.started_at < ${to} AND ${sql.ident('e', key)} IS NOT NULL
    GROUP BY ${sql.ident(key)} ${byDay ? sql`, bucket_date` : sql``}`;
}

/** The rollup rows of [from, to) from `table` (bucketed by `bucket`), grouped by key unless `byDay`. */
function rollupPart(
  key: RollupKey,
  measures: Measure[],
  from: Date,
  to: Date,
  byDay: boolean,
  table = ROLLUP_TABLES[key],
  bucket = 'bucket_date',
) {
  // A row of zeros stands for an emptied cell: it is no execution, so no group.
  const rows = sql`
    FROM ${sql.ident(table)} d
    WHERE ${sql.ident('d', bucket)} >= ${from} AND ${sql.ident('d', bucket)} < ${to}
      AND d.executions > 0`;
  if (byDay) {
    // Each rollup row already is one (key, day) part: no grouping, no temporary table.
    const columns = measures.map((m) => sql`${sql.ident('d', m)} AS ${sql.ident(m)}`);
    return sql`
      SELECT ${sql.ident('d', key)} AS ${sql.ident(key)}, d.bucket_date, ${sql.join(columns, ', ')}
      ${rows}`;
  }
  const selects = measures.map((m) => sql`${ROLLUP_AGGREGATES[m]!} AS ${sql.ident(m)}`);
  return sql`
    SELECT ${sql.ident('d', key)} AS ${sql.ident(key)}, ${sql.join(selects, ', ')}
    ${rows}
    GROUP BY ${sql.ident(key)}`;
}

const monthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

/**
 * The rollup parts of the whole days [firstDay, lastDay): per report, whole
 * calendar months come from the monthly rollup and the days around them from the
 * daily one (a 90-day window reads a few month rows per report instead of 90).
 */
function wholeDayParts(
  key: RollupKey,
  measures: Measure[],
  firstDay: Date,
  lastDay: Date,
  byDay: boolean,
) {
  const firstMonth =
    firstDay.getTime() === monthStart(firstDay).getTime()
      ? firstDay
      : new Date(Date.UTC(firstDay.getUTCFullYear(), firstDay.getUTCMonth() + 1, 1));
  const lastMonth = monthStart(lastDay);
  if (byDay || key !== 'report_id' || firstMonth >= lastMonth) {
    return [rollupPart(key, measures, firstDay, lastDay, byDay)];
  }
  const parts = [
    rollupPart(
      key,
      measures,
      firstMonth,
      lastMonth,
      false,
      'report_monthly_rollup',
      'bucket_month',
    ),
  ];
  if (firstDay < firstMonth) parts.push(rollupPart(key, measures, firstDay, firstMonth, false));
  if (lastMonth < lastDay) parts.push(rollupPart(key, measures, lastMonth, lastDay, false));
  return parts;
}

/**
 * The parts of the window as one UNION ALL: rows of `key` (and `bucket_date` when
 * `byDay`) with the measure columns. Call only where `rollupsServe` holds.
 */
export function windowParts(
  key: RollupKey,
  measures: readonly Measure[],
  window: Window,
  byDay = false,
): SQLQuery {
  const days = rollupDays(window)!;
  const list = [...measures];
  const parts = wholeDayParts(key, list, days.firstDay, days.lastDay, byDay);
  if (window.from < days.firstDay)
    parts.push(rawPart(key, list, window.from, days.firstDay, byDay));
  if (days.lastDay < window.to) parts.push(rawPart(key, list, days.lastDay, window.to, byDay));
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` UNION ALL `,
  );
}

/**
 * Per-group executions inside the window, grouped by `groupColumn` of `e`: from the
 * daily rollups plus raw edges where they hold every measure, else from raw rows.
 */
export function aggregateExecutions(
  groupColumn: RollupKey,
  measures: Iterable<Measure>,
  window: Window,
): SQLQuery {
  const list = [...measures];
  const group = sql.ident(groupColumn);
  if (rollupsServe(list, window)) {
    return sql`
      SELECT p.${group}, ${sql.join(reaggregateColumns(list, 'p'), ', ')}
      FROM (${windowParts(groupColumn, list, window)}) p
      GROUP BY p.${group}`;
  }
  return sql`
    SELECT ${sql.ident('e', groupColumn)}, ${sql.join(measureSelects(list), ', ')}
    FROM report_executions e
    WHERE e.started_at >= ${window.from} AND e.started_at < ${window.to}
      AND ${sql.ident('e', groupColumn)} IS NOT NULL
    GROUP BY ${sql.ident('e', groupColumn)}`;
}
