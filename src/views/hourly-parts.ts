/**
 * A window's executions per UTC hour, provider and category, as parts that add up
 * exactly: whole hours from dimension_hourly_rollup, the partial hours at the edges
 * from the raw rows. It answers the sums of views that are not scoped to particular
 * reports (no filter, or only providers and categories), whatever their window.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { reportConditions, type ReportFilterInput } from './filters.js';
import { measureSelects, type Measure } from './metrics.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

const HOURLY_MEASURES: ReadonlySet<Measure> = new Set([
  'executions',
  'successes',
  'failures',
  'cancelled',
  'duration_sum',
  'duration_count',
  'total_output_bytes',
]);

const HOUR_MS = 3_600_000;

/** The whole UTC hours inside [from, to), if any: [firstHour, lastHour). */
function wholeHours(window: Window) {
  const firstHour = new Date(Math.ceil(window.from.getTime() / HOUR_MS) * HOUR_MS);
  const lastHour = new Date(Math.floor(window.to.getTime() / HOUR_MS) * HOUR_MS);
  return firstHour < lastHour ? { firstHour, lastHour } : undefined;
}

/** True when the hourly rollup can answer these measures over this window and filter. */
export function hourlyServes(
  measures: Iterable<Measure>,
  window: Window,
  filter: ReportFilterInput | null | undefined,
): boolean {
  const scoped = Boolean(
    filter &&
    (filter.reportIds ||
      filter.ownerIds ||
      (filter.active !== undefined && filter.active !== null)),
  );
  return (
    !window.rawOnly &&
    !scoped &&
    wholeHours(window) !== undefined &&
    [...measures].every((m) => HOURLY_MEASURES.has(m))
  );
}

const HOUR_OF = sql`CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME)`;

function rawPart(measures: Measure[], from: Date, to: Date, filter?: ReportFilterInput | null) {
  return sql`
    SELECT ${HOUR_OF} AS bucket_hour, r.provider, r.category, ${sql.join(measureSelects(measures), ', ')}
    FROM report_executions e JOIN reports r ON r.id = e.report_id
    WHERE e.started_at >= ${from} AND e.started_at < ${to} AND ${allOf(reportConditions('r', filter))}
    GROUP BY bucket_hour, r.provider, r.category`;
}

/**
 * The parts as one UNION ALL of rows (bucket_hour, provider, category, measures).
 * Call only where `hourlyServes` holds; consumers re-aggregate with SUM.
 */
export function hourlyParts(
  measures: readonly Measure[],
  window: Window,
  filter?: ReportFilterInput | null,
): SQLQuery {
  const hours = wholeHours(window)!;
  const list = [...measures];
  // A cell whose executions all went is a row of zeros: no part.
  const rollup = sql`
    SELECT h.bucket_hour, h.provider, h.category,
      ${sql.join(
        list.map((m) => sql`${sql.ident('h', m)} AS ${sql.ident(m)}`),
        ', ',
      )}
    FROM dimension_hourly_rollup h
    WHERE h.bucket_hour >= ${hours.firstHour} AND h.bucket_hour < ${hours.lastHour}
      AND h.executions <> 0 AND ${allOf(reportConditions('h', filter))}`;
  const parts = [rollup];
  if (window.from < hours.firstHour)
    parts.push(rawPart(list, window.from, hours.firstHour, filter));
  if (hours.lastHour < window.to) parts.push(rawPart(list, hours.lastHour, window.to, filter));
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` UNION ALL `,
  );
}
