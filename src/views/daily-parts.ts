/**
 * A window's executions as parts that add up exactly: the whole UTC days inside
 * the window from the rollups (whole months of a report from the monthly one, other
 * days from a daily one), the partial days at its edges from the raw rows.
 * Each part is already grouped by its key (and by day on request), so a consumer
 * re-aggregates the union (sums of sums, maxima of maxima) and gets the same answer
 * as one aggregate over the raw rows, for any from/to, in a fraction of the reads.
 * Where only sums are asked, a partly covered month may be read as its month row
 * minus the days outside the window (a negative part), when that reads fewer rows.
 * Every rollup part comes with the journal rows of its days not yet folded
 * (src/rollups/journal.ts); a cell whose maximum a journal row may have lowered
 * takes its maxima from its raw rows instead.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { JOURNAL_TABLE, journalRowsFor, journalStartedIn } from '../rollups/journal.js';
import { ROLLUP_TABLES as ROLLUPS, type RollupTable } from '../rollups/rollup-tables.js';
import { MEASURES, measureSelects, reaggregateColumns, type Measure } from './metrics.js';
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

const MAXIMA: ReadonlySet<Measure> = new Set(['max_duration_ms', 'last_executed_at']);

function declaration(table: string): RollupTable {
  return ROLLUPS.find((r) => r.table === table)!;
}

/** The cells (`key`, bucket) of `rollup` in [from, to) whose maxima a journal row may have lowered. */
function loweredCells(rollup: RollupTable, key: RollupKey, from: Date, to: Date) {
  return sql`
    SELECT DISTINCT j.${sql.ident(key)} AS cell_key, ${rollup.bucketOf(sql`j.started_at`)} AS cell_bucket
    FROM ${sql.ident(JOURNAL_TABLE)} j
    WHERE ${journalStartedIn(from, to)} AND j.lowers AND j.${sql.ident(key)} IS NOT NULL`;
}

/**
 * The rollup rows of [from, to) from `table` (bucketed by `bucket`), grouped by key
 * unless `byDay`; negated when `subtract` (only sums can be). With them, the
 * journal rows of the same days, and where maxima are asked, the raw maxima of the
 * cells whose rollup maxima may be too high.
 */
function rollupPart(
  key: RollupKey,
  measures: Measure[],
  from: Date,
  to: Date,
  byDay: boolean,
  table = ROLLUP_TABLES[key],
  bucket = 'bucket_date',
  subtract = false,
): SQLQuery[] {
  const rollup = declaration(table);
  const k = sql.ident(key);
  const maxima = measures.some((m) => MAXIMA.has(m));
  const lowered = maxima ? loweredCells(rollup, key, from, to) : undefined;
  const sign = subtract ? sql`-` : sql``;
  const dayColumn = (time: SQLQuery) => (byDay ? [sql`DATE(${time}) AS bucket_date`] : []);
  const groupBy = byDay ? sql`GROUP BY ${k}, bucket_date` : sql`GROUP BY ${k}`;

  // A row of zeros stands for an emptied cell: it is no execution, so no group.
  const clean = (value: SQLQuery) =>
    lowered ? sql`CASE WHEN lc.cell_key IS NULL THEN ${value} END` : value;
  const rollupColumn = (m: Measure) => {
    const value = MAXIMA.has(m) ? clean(sql.ident('d', m)) : sql.ident('d', m);
    if (byDay) return sql`${value} AS ${sql.ident(m)}`;
    return sql`${sign}${MAXIMA.has(m) ? sql`MAX(${value})` : sql`SUM(${value})`} AS ${sql.ident(m)}`;
  };
  const loweredJoin = (alias: string, time: SQLQuery) =>
    lowered
      ? sql`LEFT JOIN (${lowered}) lc ON lc.cell_key = ${sql.ident(alias, key)}
          AND lc.cell_bucket = ${time}`
      : sql``;
  const rollupRows = sql`
    SELECT ${sql.ident('d', key)} AS ${k}, ${sql.join(
      [...(byDay ? [sql`d.bucket_date`] : []), ...measures.map(rollupColumn)],
      ', ',
    )}
    FROM ${sql.ident(table)} d ${loweredJoin('d', sql.ident('d', bucket))}
    WHERE ${sql.ident('d', bucket)} >= ${from} AND ${sql.ident('d', bucket)} < ${to}
      AND d.executions > 0
    ${byDay ? sql`` : sql`GROUP BY ${sql.ident('d', key)}`}`;

  const journalColumn = (m: Measure) =>
    MAXIMA.has(m)
      ? sql`MAX(${clean(sql.ident('j', m))}) AS ${sql.ident(m)}`
      : sql`${sign}COALESCE(SUM(${sql.ident('j', m)}), 0) AS ${sql.ident(m)}`;
  const journalRows = sql`
    SELECT ${sql.join(
      [sql`j.${k} AS ${k}`, ...dayColumn(sql`j.started_at`), ...measures.map(journalColumn)],
      ', ',
    )}
    FROM ${sql.ident(JOURNAL_TABLE)} j ${loweredJoin('j', rollup.bucketOf(sql`j.started_at`))}
    WHERE ${journalStartedIn(from, to)} AND ${journalRowsFor(rollup)}
    ${groupBy}`;
  if (!lowered) return [rollupRows, journalRows];

  const rawColumn = (m: Measure) =>
    MAXIMA.has(m) ? sql`${MEASURES[m]} AS ${sql.ident(m)}` : sql`0 AS ${sql.ident(m)}`;
  const rawMaxima = sql`
    SELECT ${sql.join(
      [sql`e.${k} AS ${k}`, ...dayColumn(sql`e.started_at`), ...measures.map(rawColumn)],
      ', ',
    )}
    FROM (${lowered}) lc JOIN report_executions e ON e.${k} = lc.cell_key
      AND e.started_at >= lc.cell_bucket AND e.started_at < lc.cell_bucket + INTERVAL 1 ${sql.__dangerous__rawValue(rollup.span)}
    WHERE e.started_at >= ${from} AND e.started_at < ${to}
    ${groupBy}`;
  return [rollupRows, journalRows, rawMaxima];
}

const monthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
const nextMonth = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
const days = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / DAY_MS);

// Measures that a month row minus some of its days gives exactly (no maxima).
const SUBTRACTABLE: ReadonlySet<Measure> = new Set([
  'executions',
  'successes',
  'failures',
  'cancelled',
  'duration_sum',
  'duration_count',
  'total_output_bytes',
]);

/**
 * The rollup parts of the whole days [firstDay, lastDay): per report, whole
 * calendar months come from the monthly rollup and the days around them from the
 * daily one (a 90-day window reads a few month rows per report instead of 90).
 * When only sums are asked (executions among them, so that a group netting to
 * zero can be dropped), a partly covered month is its month row minus the days
 * outside the window whenever those are fewer than the days inside.
 */
function wholeDayParts(
  key: RollupKey,
  measures: Measure[],
  firstDay: Date,
  lastDay: Date,
  byDay: boolean,
) {
  if (byDay || key !== 'report_id') return rollupPart(key, measures, firstDay, lastDay, byDay);
  const subtractable =
    measures.includes('executions') && measures.every((m) => SUBTRACTABLE.has(m));
  const month = (from: Date, to: Date, subtract = false) =>
    rollupPart(key, measures, from, to, false, 'report_monthly_rollup', 'bucket_month', subtract);
  const day = (from: Date, to: Date, subtract = false) =>
    rollupPart(key, measures, from, to, false, ROLLUP_TABLES[key], 'bucket_date', subtract);
  const parts: SQLQuery[] = [];
  // [start, end): the days of one calendar month that the window covers.
  const partialMonth = (start: Date, end: Date) => {
    const [monthFrom, monthTo] = [monthStart(start), nextMonth(start)];
    const outside = days(monthFrom, start) + days(end, monthTo);
    if (subtractable && outside + 1 < days(start, end)) {
      parts.push(...month(monthFrom, monthTo));
      if (monthFrom < start) parts.push(...day(monthFrom, start, true));
      if (end < monthTo) parts.push(...day(end, monthTo, true));
    } else {
      parts.push(...day(start, end));
    }
  };
  const firstWholeMonth =
    firstDay.getTime() === monthStart(firstDay).getTime() ? firstDay : nextMonth(firstDay);
  const lastWholeMonth = monthStart(lastDay);
  if (firstWholeMonth >= lastWholeMonth) {
    // No whole month: the days lie in one month or straddle the boundary of two.
    const boundary = nextMonth(firstDay);
    if (boundary >= lastDay) partialMonth(firstDay, lastDay);
    else {
      partialMonth(firstDay, boundary);
      partialMonth(boundary, lastDay);
    }
    return parts;
  }
  parts.push(...month(firstWholeMonth, lastWholeMonth));
  if (firstDay < firstWholeMonth) partialMonth(firstDay, firstWholeMonth);
  if (lastWholeMonth < lastDay) partialMonth(lastWholeMonth, lastDay);
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
 * The window's parts per key and day merged into one row each, for the days the
 * key ran something: where distinct keys are counted over parts, a journal part
 * that nets a rollup day to no executions must not count. Carries `executions`.
 */
export function keyDays(key: RollupKey, measures: readonly Measure[], window: Window): SQLQuery {
  const list = [...new Set<Measure>(['executions', ...measures])];
  return sql`
    SELECT m.${sql.ident(key)}, m.bucket_date, ${sql.join(reaggregateColumns(list, 'm'), ', ')}
    FROM (${windowParts(key, list, window, true)}) m
    GROUP BY m.${sql.ident(key)}, m.bucket_date
    HAVING SUM(m.executions) > 0`;
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
    // A group whose parts net to no executions had none in the window (month minus days).
    const having = list.includes('executions') ? sql`HAVING executions <> 0` : sql``;
    return sql`
      SELECT p.${group}, ${sql.join(reaggregateColumns(list, 'p'), ', ')}
      FROM (${windowParts(groupColumn, list, window)}) p
      GROUP BY p.${group} ${having}`;
  }
  return sql`
    SELECT ${sql.ident('e', groupColumn)}, ${sql.join(measureSelects(list), ', ')}
    FROM report_executions e
    WHERE e.started_at >= ${window.from} AND e.started_at < ${window.to}
      AND ${sql.ident('e', groupColumn)} IS NOT NULL
    GROUP BY ${sql.ident('e', groupColumn)}`;
}
