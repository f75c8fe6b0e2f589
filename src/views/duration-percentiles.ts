/**
 * Duration percentiles (p50, p95, p99) of the views' groups, from the rollups'
 * histograms (src/rollups/duration-histogram.ts): a statement reads, per group,
 * the histogram texts of the rollup cells the window covers, and the bucket counts
 * of the journal rows not yet folded and of the raw rows at the window's edges; the
 * gateway adds them up per group and reads the percentiles off. Each answer is
 * within 0.78 % of the exact nearest-rank percentile (exact below 128 ms).
 */
import { sql, type Queryable, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readInSnapshot, readRows } from '../db/read.js';
import {
  HISTOGRAM_COLUMN,
  addHistogramText,
  durationBucket,
  percentiles,
  textPercentiles,
  type Histogram,
  type Percent,
} from '../rollups/duration-histogram.js';
import { JOURNAL_TABLE, journalOf, journalRowsFor, journalStartedIn } from '../rollups/journal.js';
import { DIMENSION_HOURLY, rollupNamed } from '../rollups/rollup-tables.js';
import { planWindow, rollupDays, windowEdges, type RollupKey } from './daily-parts.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import { wholeHours } from './hourly-parts.js';
import { chooseSource, type Source } from './source-chooser.js';
import { allOf } from './sql-helpers.js';
import {
  PERCENTILES,
  PERCENTILE_FIELDS,
  type DurationPercentiles,
  type MeasureRow,
} from './metrics.js';
import type { Selection } from './selection.js';
import type { Window } from './time-window.js';

/** The percents a selection asks for. */
export function selectedPercents(node: Selection, also: readonly Percent[] = []): Percent[] {
  const asked = Object.entries(PERCENTILE_FIELDS)
    .filter(([field]) => node.has(field))
    .map(([, percent]) => percent);
  return [...new Set<Percent>([...asked, ...also])].sort((a, b) => a - b);
}

/**
 * A part of a histogram statement: rows of `g` (the group's key as text), and either
 * `h` (a stored histogram text) or `b` and `n` (a bucket and its count), with `s`
 * (1, or -1 for a part taken away).
 */
type HistogramPart = SQLQuery;

/** Stored histogram texts of rollup rows `d` as a part. */
function storedPart(
  group: SQLQuery,
  from: SQLQuery,
  where: SQLQuery,
  subtract = false,
): HistogramPart {
  return sql`SELECT ${group} AS g, d.${sql.ident(HISTOGRAM_COLUMN)} AS h, NULL AS b, NULL AS n,
      ${subtract ? -1 : 1} AS s
    FROM ${from} WHERE ${where} AND d.${sql.ident(HISTOGRAM_COLUMN)} IS NOT NULL`;
}

/** Bucket counts of raw executions `e` as a part (`sign` -1 takes them away). */
function rawPart(
  group: SQLQuery,
  from: SQLQuery,
  where: SQLQuery,
  sign: 1 | -1 = 1,
): HistogramPart {
  const bucket = durationBucket(sql`e.duration_ms`);
  return sql`SELECT ${group} AS g, NULL AS h, ${bucket} AS b, COUNT(*) AS n, ${sign} AS s
    FROM ${from} WHERE ${where} AND e.duration_ms IS NOT NULL
    GROUP BY g, b`;
}

/** Bucket counts of journal rows `j` not yet folded as a part. */
function journalPart(group: SQLQuery, from: SQLQuery, where: SQLQuery): HistogramPart {
  return sql`SELECT ${group} AS g, NULL AS h, j.duration_bucket AS b,
      SUM(j.duration_count) AS n, 1 AS s
    FROM ${from} WHERE ${where} AND j.duration_bucket IS NOT NULL
    GROUP BY g, b`;
}

interface PartRow {
  g: string | number;
  h: string | null;
  b: number | null;
  n: string | number | null;
  s: number;
}

/** Reads the parts (in one statement, one snapshot), per group. */
async function readParts(
  db: Database,
  parts: readonly HistogramPart[],
  connection?: Queryable,
): Promise<Map<string, PartRow[]>> {
  const rows = await readRows<PartRow>(
    db,
    sql.join(
      parts.map((p) => sql`(${p})`),
      sql` UNION ALL `,
    ),
    connection,
  );
  const groups = new Map<string, PartRow[]>();
  for (const row of rows) {
    const key = String(row.g);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** A group's parts added up. */
function histogramOf(rows: readonly PartRow[]): Histogram {
  const histogram: Histogram = new Map();
  for (const row of rows) {
    if (row.h !== null) addHistogramText(histogram, row.h, row.s > 0 ? 1 : -1);
    else {
      const bucket = Number(row.b);
      histogram.set(bucket, (histogram.get(bucket) ?? 0) + row.s * Number(row.n));
    }
  }
  return histogram;
}

/** A group's percentiles; a group of one stored text is read off the text itself. */
function partsPercentiles(rows: readonly PartRow[], percents: readonly Percent[]) {
  const [only] = rows;
  const values =
    rows.length === 1 && only!.h !== null && only!.s > 0
      ? textPercentiles(only!.h, percents)
      : percentiles(histogramOf(rows), percents);
  return Object.fromEntries(values) as DurationPercentiles;
}

/** A group without durations: every asked percentile null. */
export function noPercentiles(percents: readonly Percent[]): DurationPercentiles {
  return Object.fromEntries(percents.map((p) => [p, null]));
}

/**
 * The parts of the per-key histograms of a window the source chooser gave to the
 * daily rollups (`daily`), or of its raw rows: rollup ranges as the measures plan
 * them, the journal rows of the whole days, the raw edges, for the groups `keys`;
 * `asOf` takes away the executions newer than a list's first page.
 */
function perKeyParts(
  key: RollupKey,
  window: Window,
  daily: boolean,
  keys: readonly string[],
  asOf?: string,
): HistogramPart[] {
  const only = (column: SQLQuery) =>
    keys.length === 0
      ? sql`FALSE`
      : sql`${column} IN (${sql.join(
          keys.map((k) => sql`${k}`),
          ', ',
        )})`;
  const raw = (from: Date, to: Date, extra = sql`TRUE`, sign: 1 | -1 = 1) =>
    rawPart(
      sql.ident('e', key),
      sql`report_executions e`,
      sql`e.started_at >= ${from} AND e.started_at < ${to} AND ${sql.ident('e', key)} IS NOT NULL
        AND ${only(sql.ident('e', key))} AND ${extra}`,
      sign,
    );
  const parts: HistogramPart[] = [];
  if (!daily) parts.push(raw(window.from, window.to));
  else {
    const plan = planWindow(key, window, false, true);
    for (const range of plan.ranges) {
      const bucket = sql.ident('d', range.bucket);
      parts.push(
        storedPart(
          sql.ident('d', key),
          sql`${sql.ident(range.table)} d`,
          sql`${bucket} >= ${range.from} AND ${bucket} < ${range.to} AND ${only(sql.ident('d', key))}`,
          range.subtract,
        ),
      );
    }
    const { firstDay, lastDay } = plan.wholeDays;
    const rollup = rollupNamed(key === 'report_id' ? 'report_daily_rollup' : 'user_daily_rollup');
    parts.push(
      journalPart(
        sql.ident('j', key),
        sql`${sql.ident(JOURNAL_TABLE)} j`,
        sql`${journalStartedIn(firstDay, lastDay)} AND ${journalRowsFor(rollup)}
          AND ${only(sql.ident('j', key))}`,
      ),
    );
    for (const [from, to] of plan.edges) parts.push(raw(from, to));
  }
  if (asOf !== undefined) {
    parts.push(raw(window.from, window.to, sql`e.id > CAST(${asOf} AS UNSIGNED)`, -1));
  }
  return parts;
}

/** How a view groups its rows: a time slot of each execution's start, and dimensions. */
export interface HistogramGrouping {
  /** The slot's start (a DATETIME expression) of a start time, or none. */
  slot?: (time: SQLQuery) => SQLQuery;
  dimensions: readonly ('provider' | 'category')[];
}

/** The group key as the parts' `g`: the slot's start, then the dimensions, joined by `|`. */
function groupKey(grouping: HistogramGrouping, time: SQLQuery, alias: string): SQLQuery {
  const items = [
    ...(grouping.slot ? [sql`DATE_FORMAT(${grouping.slot(time)}, '%Y-%m-%d %H:%i:%s')`] : []),
    ...grouping.dimensions.map((d) => sql.ident(alias, d)),
  ];
  return items.length === 0 ? sql`''` : sql`CONCAT_WS('|', ${sql.join(items, ', ')})`;
}

/** The same key of a row of the view: its slot start (UTC) and dimension values. */
function rowGroupKey(
  grouping: HistogramGrouping,
  row: { bucket_start?: Date } & Partial<Record<'provider' | 'category', string>>,
): string {
  return [
    ...(grouping.slot ? [row.bucket_start!.toISOString().slice(0, 19).replace('T', ' ')] : []),
    ...grouping.dimensions.map((d) => String(row[d])),
  ].join('|');
}

/**
 * The parts of the histograms of a view grouped by time slot and dimensions, from
 * the source the chooser picked for its measures: day_rollup (whole days of all
 * reports), the hourly rollup (whole hours per provider and category), the daily
 * report rollup (whole days per report), each with the journal rows of those days
 * or hours and the raw rows at the edges; else the raw rows of the window.
 */
function groupedParts(
  source: Source,
  window: Window,
  filter: ReportFilterInput | null | undefined,
  grouping: HistogramGrouping,
): HistogramPart[] {
  const raw = (from: Date, to: Date) =>
    rawPart(
      groupKey(grouping, sql`e.started_at`, 'r'),
      sql`report_executions e JOIN reports r ON r.id = e.report_id`,
      sql`e.started_at >= ${from} AND e.started_at < ${to}
        AND ${allOf(reportConditions('r', filter, sql`e.report_id`))}`,
    );
  const journal = sql.ident(JOURNAL_TABLE);
  if (source === 'day') {
    const { firstDay, lastDay } = rollupDays(window)!;
    const edges = windowEdges(window, firstDay, lastDay);
    // Orphans count here as in day_rollup: no join to reports.
    const rawDays = (from: Date, to: Date) =>
      rawPart(
        groupKey(grouping, sql`e.started_at`, 'e'),
        sql`report_executions e`,
        sql`e.started_at >= ${from} AND e.started_at < ${to}`,
      );
    return [
      storedPart(
        groupKey(grouping, sql`d.bucket_date`, 'd'),
        sql`day_rollup d`,
        sql`d.bucket_date >= ${firstDay} AND d.bucket_date < ${lastDay}`,
      ),
      journalPart(
        groupKey(grouping, sql`j.started_at`, 'j'),
        sql`${journal} j`,
        journalStartedIn(firstDay, lastDay),
      ),
      ...edges.map(([from, to]) => rawDays(from, to)),
    ];
  }
  if (source === 'hourly') {
    const { firstHour, lastHour } = wholeHours(window)!;
    const edges = windowEdges(window, firstHour, lastHour);
    return [
      storedPart(
        groupKey(grouping, sql`d.bucket_hour`, 'd'),
        sql`dimension_hourly_rollup d`,
        sql`d.bucket_hour >= ${firstHour} AND d.bucket_hour < ${lastHour}
          AND ${allOf(reportConditions('d', filter))}`,
      ),
      journalPart(
        groupKey(grouping, sql`j.started_at`, 'j'),
        sql`${journalOf(DIMENSION_HOURLY)} j`,
        sql`${journalStartedIn(firstHour, lastHour)} AND ${journalRowsFor(DIMENSION_HOURLY)}
          AND ${allOf(reportConditions('j', filter))}`,
      ),
      ...edges.map(([from, to]) => raw(from, to)),
    ];
  }
  if (source === 'daily') {
    const plan = planWindow('report_id', window, true, false);
    const { firstDay, lastDay } = plan.wholeDays;
    const daily = rollupNamed('report_daily_rollup');
    return [
      ...plan.ranges.map((range) =>
        storedPart(
          groupKey(grouping, sql`d.bucket_date`, 'r'),
          sql`report_daily_rollup d JOIN reports r ON r.id = d.report_id`,
          sql`d.bucket_date >= ${range.from} AND d.bucket_date < ${range.to}
            AND ${allOf(reportConditions('r', filter, sql`d.report_id`))}`,
        ),
      ),
      journalPart(
        groupKey(grouping, sql`j.started_at`, 'r'),
        sql`${journal} j JOIN reports r ON r.id = j.report_id`,
        sql`${journalStartedIn(firstDay, lastDay)} AND ${journalRowsFor(daily)}
          AND ${allOf(reportConditions('r', filter, sql`j.report_id`))}`,
      ),
      ...plan.edges.map(([from, to]) => raw(from, to)),
    ];
  }
  return [raw(window.from, window.to)];
}

/** What a grouped view's histograms are read from: the source chosen for its question, and its groups. */
interface GroupedHistograms {
  source: Source;
  window: Window;
  filter?: ReportFilterInput | null;
  grouping: HistogramGrouping;
}

type GroupedRow = MeasureRow & { bucket_start?: Date } & Partial<
    Record<'provider' | 'category', string>
  >;

/**
 * Reads a grouped view's rows with `read` and, when the selection asks for
 * percentiles, each group's in the same snapshot, attached to its row.
 */
export async function readWithPercentiles<Row extends GroupedRow>(
  db: Database,
  selection: Selection,
  histograms: GroupedHistograms,
  read: (connection?: Queryable) => Promise<Row[]>,
): Promise<Row[]> {
  const percents = selectedPercents(selection);
  if (percents.length === 0) return read();
  const { source, window, filter, grouping } = histograms;
  return readInSnapshot(db, async (connection) => {
    const rows = await read(connection);
    const groups = await readParts(db, groupedParts(source, window, filter, grouping), connection);
    for (const row of rows) {
      const parts = groups.get(rowGroupKey(grouping, row));
      row[PERCENTILES] = parts ? partsPercentiles(parts, percents) : noPercentiles(percents);
    }
    return rows;
  });
}

const isIdList = (reports: unknown): reports is readonly string[] => Array.isArray(reports);

/** Reports per statement when every report's histogram is read: bounds the texts held at once. */
const REPORTS_PER_READ = 1_000;

/**
 * The histogram over the window (as of `asOf` when set) of each report given, or
 * of every report the filter matches, handed to `visit` a chunk of reports at a time, on
 * `connection` (the caller's snapshot): a five-year window of thousands of reports
 * never holds all their texts at once.
 */
export async function forEachReportHistogram(
  db: Database,
  connection: Queryable,
  window: Window,
  asOf: string | undefined,
  visit: (reportId: string, histogram: Histogram) => void,
  reports: readonly string[] | ReportFilterInput | null | undefined,
): Promise<void> {
  const daily = chooseSource({ measures: [], window, perKey: 'report_id' }).source === 'daily';
  const ids = isIdList(reports)
    ? reports
    : (
        await readRows<{ id: string | number }>(
          db,
          sql`SELECT r.id FROM reports r WHERE ${allOf(reportConditions('r', reports))}
            ORDER BY r.id`,
          connection,
        )
      ).map((r) => String(r.id));
  for (let i = 0; i < ids.length; i += REPORTS_PER_READ) {
    const parts = perKeyParts('report_id', window, daily, ids.slice(i, i + REPORTS_PER_READ), asOf);
    for (const [id, rows] of await readParts(db, parts, connection)) visit(id, histogramOf(rows));
  }
}

/**
 * Each report's percentiles (of the reports given, or of every report the filter
 * matches): a report without durations has none.
 */
export async function reportPercentiles(
  db: Database,
  connection: Queryable,
  window: Window,
  asOf: string | undefined,
  percents: readonly Percent[],
  reports: readonly string[] | ReportFilterInput | null | undefined,
): Promise<Map<string, DurationPercentiles>> {
  const found = new Map<string, DurationPercentiles>();
  await forEachReportHistogram(
    db,
    connection,
    window,
    asOf,
    (id, histogram) => found.set(id, Object.fromEntries(percentiles(histogram, percents))),
    reports,
  );
  return found;
}
