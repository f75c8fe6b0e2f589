/**
 * A window's executions per UTC hour, provider and category, as parts that add up
 * exactly: whole hours from dimension_hourly_rollup, the partial hours at the edges
 * from the raw rows. It answers the sums of views that are not scoped to particular
 * reports (no filter, or only providers and categories), whatever their window.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { journalOf, journalRowsFor, journalStartedIn } from '../rollups/journal.js';
import { DIMENSION_HOURLY } from '../rollups/rollup-tables.js';
import { windowEdges } from './daily-parts.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import { measureSelects, type Measure } from './metrics.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

const HOUR_MS = 3_600_000;

/** The whole UTC hours inside [from, to), if any: [firstHour, lastHour). */
export function wholeHours(window: Window) {
  const firstHour = new Date(Math.ceil(window.from.getTime() / HOUR_MS) * HOUR_MS);
  const lastHour = new Date(Math.floor(window.to.getTime() / HOUR_MS) * HOUR_MS);
  return firstHour < lastHour ? { firstHour, lastHour } : undefined;
}

/** How the parts are grouped: by a time slot of the hour (a bucket, an hour of day…) and dimensions. */
export interface HourlyGrouping {
  slot?: (time: SQLQuery) => SQLQuery;
  dimensions: readonly ('provider' | 'category')[];
}

function groupedSelect(
  grouping: HourlyGrouping,
  time: SQLQuery,
  alias: string,
  measures: SQLQuery[],
) {
  const keys = [
    ...(grouping.slot ? [sql`${grouping.slot(time)} AS slot`] : []),
    ...grouping.dimensions.map((d) => sql`${sql.ident(alias, d)} AS ${sql.ident(d)}`),
  ];
  const names = [
    ...(grouping.slot ? [sql`slot`] : []),
    ...grouping.dimensions.map((d) => sql.ident(d)),
  ];
  return {
    select: sql.join([...keys, ...measures], ', '),
    groupBy: names.length > 0 ? sql`GROUP BY ${sql.join(names, ', ')}` : sql``,
  };
}

/**
 * The parts as one UNION ALL of rows (slot, dimensions…, measures), each part
 * already grouped so that no large intermediate result is built. Call only where
 * the source chooser picked `hourly`; consumers re-aggregate with SUM by the same keys.
 */
export function hourlyParts(
  measures: readonly Measure[],
  window: Window,
  filter: ReportFilterInput | null | undefined,
  grouping: HourlyGrouping,
): SQLQuery {
  const hours = wholeHours(window)!;
  const list = [...measures];
  const rollup = groupedSelect(
    grouping,
    sql`h.bucket_hour`,
    'h',
    list.map((m) => sql`SUM(${sql.ident('h', m)}) AS ${sql.ident(m)}`),
  );
  // A cell whose executions all went is a row of zeros: it adds nothing.
  const parts = [
    sql`
    SELECT ${rollup.select}
    FROM dimension_hourly_rollup h
    WHERE h.bucket_hour >= ${hours.firstHour} AND h.bucket_hour < ${hours.lastHour}
      AND h.executions <> 0 AND ${allOf(reportConditions('h', filter))}
    ${rollup.groupBy}`,
  ];
  const journal = groupedSelect(
    grouping,
    sql`j.started_at`,
    'j',
    list.map((m) => sql`SUM(${sql.ident('j', m)}) AS ${sql.ident(m)}`),
  );
  parts.push(sql`
    SELECT ${journal.select}
    FROM ${journalOf(DIMENSION_HOURLY)} j
    WHERE ${journalStartedIn(hours.firstHour, hours.lastHour)} AND ${journalRowsFor(DIMENSION_HOURLY)}
      AND ${allOf(reportConditions('j', filter))}
    ${journal.groupBy}`);
  const raw = groupedSelect(grouping, sql`e.started_at`, 'r', measureSelects(list));
  for (const [from, to] of windowEdges(window, hours.firstHour, hours.lastHour)) {
    parts.push(sql`
      SELECT ${raw.select}
      FROM report_executions e JOIN reports r ON r.id = e.report_id
      WHERE e.started_at >= ${from} AND e.started_at < ${to} AND ${allOf(reportConditions('r', filter))}
      ${raw.groupBy}`);
  }
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` UNION ALL `,
  );
}
