/**
 * A window's executions as parts that add up exactly: the whole UTC days inside
 * the window from the rollups (whole months of a report from the monthly one, other
 * days from a daily one), the partial days at its edges from the raw rows.
 * Each part is already grouped by its key (and by day on request), so a consumer
 * re-aggregates the union (sums of sums, maxima of maxima) and gets the same answer
 * as one aggregate over the raw rows, for any from/to, in a fraction of the reads.
 * Where only sums are asked, a partly covered month may be read as its month row
 * minus the days outside the window (a negative part), when that reads fewer rows.
 * The journal rows of the whole days not yet folded (src/rollups/journal.ts) are
 * one more part; a cell whose maximum a journal row may have lowered takes its
 * maxima from its raw rows instead.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { JOURNAL_TABLE, journalRowsFor, journalStartedIn } from '../rollups/journal.js';
import { rollupNamed, type RollupTable } from '../rollups/rollup-tables.js';
import { MEASURES, measureSelects, reaggregateColumns, type Measure } from './metrics.js';
import type { Source } from './source-chooser.js';
import type { Window } from './time-window.js';

/** The executions column a daily rollup is keyed by. */
export type RollupKey = 'report_id' | 'executed_by';

const ROLLUP_TABLES: Record<RollupKey, 'report_daily_rollup' | 'user_daily_rollup'> = {
  report_id: 'report_daily_rollup',
  executed_by: 'user_daily_rollup',
};

const DAY_MS = 86_400_000;

/** The whole UTC days inside [from, to) the rollups may answer, if any: [firstDay, lastDay). */
export function rollupDays(window: Window): { firstDay: Date; lastDay: Date } | undefined {
  if (window.rawOnly) return undefined;
  const firstDay = new Date(Math.ceil(window.from.getTime() / DAY_MS) * DAY_MS);
  const lastDay = new Date(Math.floor(window.to.getTime() / DAY_MS) * DAY_MS);
  return firstDay < lastDay ? { firstDay, lastDay } : undefined;
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

/** The cells (`key`, bucket) of `rollup` in [from, to) whose maxima a journal row may have lowered. */
function loweredCells(rollup: RollupTable, key: RollupKey, from: Date, to: Date) {
  return sql`
    SELECT DISTINCT j.${sql.ident(key)} AS cell_key, ${rollup.bucketOf(sql`j.started_at`)} AS cell_bucket
    FROM ${sql.ident(JOURNAL_TABLE)} j
    WHERE ${journalStartedIn(from, to)} AND j.lowers AND j.${sql.ident(key)} IS NOT NULL`;
}

/** `e`, `j` or `d` rows grouped by key (and by day when `byDay`). */
const groupedBy = (key: RollupKey, byDay: boolean) =>
  byDay ? sql`GROUP BY ${sql.ident(key)}, bucket_date` : sql`GROUP BY ${sql.ident(key)}`;

/** Maxima of cells in `lowered` (rows `lc`) are taken from elsewhere: NULL here. */
const unlessLowered = (value: SQLQuery) => sql`CASE WHEN lc.cell_key IS NULL THEN ${value} END`;

function loweredJoin(lowered: SQLQuery, key: RollupKey, alias: string, bucket: SQLQuery) {
  return sql`LEFT JOIN (${lowered}) lc ON lc.cell_key = ${sql.ident(alias, key)}
    AND lc.cell_bucket = ${bucket}`;
}

/**
 * The rollup rows of [from, to) from `table` (bucketed by `bucket`), grouped by key
 * unless `byDay`; negated when `subtract` (only sums can be). Where maxima are
 * asked, a cell a journal row may have lowered has its maxima from its raw rows
 * (a second part) instead.
 */
function rollupPart(
  key: RollupKey,
  measures: Measure[],
  from: Date,
  to: Date,
  byDay: boolean,
  table: RollupTable['table'] = ROLLUP_TABLES[key],
  bucket = 'bucket_date',
  subtract = false,
): SQLQuery[] {
  const rollup = rollupNamed(table);
  const k = sql.ident(key);
  const lowered = measures.some((m) => MAXIMA.has(m))
    ? loweredCells(rollup, key, from, to)
    : undefined;
  const sign = subtract ? sql`-` : sql``;
  // A row of zeros stands for an emptied cell: it is no execution, so no group.
  const rollupColumn = (m: Measure) => {
    const column = sql.ident('d', m);
    const value = lowered && MAXIMA.has(m) ? unlessLowered(column) : column;
    if (byDay) return sql`${value} AS ${sql.ident(m)}`;
    return sql`${sign}${MAXIMA.has(m) ? sql`MAX(${value})` : sql`SUM(${value})`} AS ${sql.ident(m)}`;
  };
  const rollupRows = sql`
    SELECT ${sql.ident('d', key)} AS ${k}, ${sql.join(
      [...(byDay ? [sql`d.bucket_date`] : []), ...measures.map(rollupColumn)],
      ', ',
    )}
    FROM ${sql.ident(table)} d
      ${lowered ? loweredJoin(lowered, key, 'd', sql.ident('d', bucket)) : sql``}
    WHERE ${sql.ident('d', bucket)} >= ${from} AND ${sql.ident('d', bucket)} < ${to}
      AND d.executions > 0
    ${byDay ? sql`` : sql`GROUP BY ${sql.ident('d', key)}`}`;
  if (!lowered) return [rollupRows];

  const rawColumn = (m: Measure) =>
    MAXIMA.has(m) ? sql`${MEASURES[m]} AS ${sql.ident(m)}` : sql`0 AS ${sql.ident(m)}`;
  const rawMaxima = sql`
    SELECT ${sql.join(
      [
        sql`e.${k} AS ${k}`,
        ...(byDay ? [sql`DATE(e.started_at) AS bucket_date`] : []),
        ...measures.map(rawColumn),
      ],
      ', ',
    )}
    FROM (${lowered}) lc JOIN report_executions e ON e.${k} = lc.cell_key
      AND e.started_at >= lc.cell_bucket
      AND e.started_at < lc.cell_bucket + INTERVAL 1 ${sql.__dangerous__rawValue(rollup.span)}
    WHERE e.started_at >= ${from} AND e.started_at < ${to}
    ${groupedBy(key, byDay)}`;
  return [rollupRows, rawMaxima];
}

/**
 * The journal rows of the whole days [from, to) not yet folded, grouped like the
 * rollup parts: one part for all of them, whichever rollups answer those days.
 * A row's candidate maxima count unless its day a journal row may have lowered;
 * such a day's maxima come from its raw rows (the rollup parts' second part).
 */
function journalPart(
  key: RollupKey,
  measures: Measure[],
  from: Date,
  to: Date,
  byDay: boolean,
): SQLQuery {
  const rollup = rollupNamed(ROLLUP_TABLES[key]);
  const lowered = measures.some((m) => MAXIMA.has(m))
    ? loweredCells(rollup, key, from, to)
    : undefined;
  const column = (m: Measure) => {
    const value = sql.ident('j', m);
    if (!MAXIMA.has(m)) return sql`COALESCE(SUM(${value}), 0) AS ${sql.ident(m)}`;
    return sql`MAX(${lowered ? unlessLowered(value) : value}) AS ${sql.ident(m)}`;
  };
  return sql`
    SELECT ${sql.join(
      [
        sql`j.${sql.ident(key)} AS ${sql.ident(key)}`,
        ...(byDay ? [sql`DATE(j.started_at) AS bucket_date`] : []),
        ...measures.map(column),
      ],
      ', ',
    )}
    FROM ${sql.ident(JOURNAL_TABLE)} j
      ${lowered ? loweredJoin(lowered, key, 'j', rollup.bucketOf(sql`j.started_at`)) : sql``}
    WHERE ${journalStartedIn(from, to)} AND ${journalRowsFor(rollup)}
    ${groupedBy(key, byDay)}`;
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

/** Rollup rows of one table over a day range, added (or, when `subtract`, taken away). */
export interface RollupRange {
  table: RollupTable['table'];
  bucket: 'bucket_date' | 'bucket_month';
  from: Date;
  to: Date;
  subtract: boolean;
}

/**
 * Which rollup rows make up the whole days [firstDay, lastDay): per report, whole
 * calendar months from the monthly rollup and the days around them from the daily
 * one (a 90-day window reads a few month rows per report instead of 90). Where
 * parts may be subtracted (`subtractable`), a partly covered month is its month
 * row minus the days outside the window whenever those are fewer than the days inside.
 */
function wholeDayRanges(
  key: RollupKey,
  firstDay: Date,
  lastDay: Date,
  byDay: boolean,
  subtractable: boolean,
): RollupRange[] {
  const day = (from: Date, to: Date, subtract = false): RollupRange => ({
    table: ROLLUP_TABLES[key],
    bucket: 'bucket_date',
    from,
    to,
    subtract,
  });
  if (byDay || key !== 'report_id') return [day(firstDay, lastDay)];
  const month = (from: Date, to: Date): RollupRange => ({
    table: 'report_monthly_rollup',
    bucket: 'bucket_month',
    from,
    to,
    subtract: false,
  });
  const ranges: RollupRange[] = [];
  // [start, end): the days of one calendar month that the window covers.
  const partialMonth = (start: Date, end: Date) => {
    const [monthFrom, monthTo] = [monthStart(start), nextMonth(start)];
    const outside = days(monthFrom, start) + days(end, monthTo);
    if (subtractable && outside + 1 < days(start, end)) {
      ranges.push(month(monthFrom, monthTo));
      if (monthFrom < start) ranges.push(day(monthFrom, start, true));
      if (end < monthTo) ranges.push(day(end, monthTo, true));
    } else {
      ranges.push(day(start, end));
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
    return ranges;
  }
  ranges.push(month(firstWholeMonth, lastWholeMonth));
  if (firstDay < firstWholeMonth) partialMonth(firstDay, firstWholeMonth);
  if (lastWholeMonth < lastDay) partialMonth(lastWholeMonth, lastDay);
  return ranges;
}

/** A window as rollup ranges for its whole days, and the partial days at its edges for the raw rows. */
export interface WindowPlan {
  wholeDays: { firstDay: Date; lastDay: Date };
  ranges: RollupRange[];
  edges: [Date, Date][];
}

/** The plan of a window the source chooser gave to the daily rollups. */
export function planWindow(
  key: RollupKey,
  window: Window,
  byDay: boolean,
  subtractable: boolean,
): WindowPlan {
  const wholeDays = rollupDays(window)!;
  return {
    wholeDays,
    ranges: wholeDayRanges(key, wholeDays.firstDay, wholeDays.lastDay, byDay, subtractable),
    edges: windowEdges(window, wholeDays.firstDay, wholeDays.lastDay),
  };
}

/** The parts of a window outside [first, last), its whole days or hours: the raw edges. */
export function windowEdges(window: Window, first: Date, last: Date): [Date, Date][] {
  const edges: [Date, Date][] = [];
  if (window.from < first) edges.push([window.from, first]);
  if (last < window.to) edges.push([last, window.to]);
  return edges;
}

/**
 * The parts of the window as one UNION ALL: rows of `key` (and `bucket_date` when
 * `byDay`) with the measure columns. Call only where the source chooser picked `daily`.
 */
export function windowParts(
  key: RollupKey,
  measures: readonly Measure[],
  window: Window,
  byDay = false,
): SQLQuery {
  const list = [...measures];
  // Only sums subtract, and a group netting to zero is dropped by its executions.
  const subtractable =
    list.includes('executions') && list.every((m) => SUBTRACTABLE.has(m)) && !byDay;
  const { wholeDays, ranges, edges } = planWindow(key, window, byDay, subtractable);
  const parts = [
    ...ranges.flatMap((r) =>
      rollupPart(key, list, r.from, r.to, byDay, r.table, r.bucket, r.subtract),
    ),
    journalPart(key, list, wholeDays.firstDay, wholeDays.lastDay, byDay),
    ...edges.map(([from, to]) => rawPart(key, list, from, to, byDay)),
  ];
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
 * daily rollups plus raw edges where the source chooser picked them, else from raw rows.
 */
export function aggregateExecutions(
  groupColumn: RollupKey,
  measures: Iterable<Measure>,
  window: Window,
  source: Source,
): SQLQuery {
  const list = [...measures];
  const group = sql.ident(groupColumn);
  if (source === 'daily') {
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
