/**
 * executionTrends: how executions spread over the UTC hours of the day (0–23) or
 * the ISO weekdays (Monday = 1 … Sunday = 7), every slot listed, zeros included.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readRows } from '../db/read.js';
import { needsReportColumns, reportConditions, type ReportFilterInput } from './filters.js';
import { windowParts } from './daily-parts.js';
import { hourlyParts } from './hourly-parts.js';
import { reaggregateColumns, type Measure } from './metrics.js';
import { chooseSource } from './source-chooser.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

export const EXECUTION_TRENDS_DEFAULT_WINDOW = 'P30D';

export type TrendPattern = 'HOUR_OF_DAY' | 'DAY_OF_WEEK';

export interface TrendSlot {
  slot: number;
  executions: number;
  share: number;
  avgDurationMs: number | null;
}

export interface Trends {
  pattern: TrendPattern;
  slots: TrendSlot[];
  peak: TrendSlot | null;
}

export interface ExecutionTrendsArgs {
  window: Window;
  pattern: TrendPattern;
  filter?: ReportFilterInput | null;
}

const SLOTS = {
  HOUR_OF_DAY: { of: (time: SQLQuery) => sql`HOUR(${time})`, first: 0, count: 24 },
  DAY_OF_WEEK: { of: (time: SQLQuery) => sql`WEEKDAY(${time}) + 1`, first: 1, count: 7 },
} as const;

/** How many slots a pattern lists (24 hours or 7 weekdays). */
export function trendSlotCount(pattern: TrendPattern): number {
  return SLOTS[pattern].count;
}

const TREND_MEASURES: Measure[] = ['executions', 'duration_sum', 'duration_count'];

/**
 * Compiles the per-slot aggregate from the source the chooser picks: the hourly
 * rollup, weekdays from the daily rollups, or raw rows.
 */
export function compileExecutionTrends(args: ExecutionTrendsArgs) {
  const join = needsReportColumns(args.filter);
  const { source } = chooseSource({
    measures: TREND_MEASURES,
    window: args.window,
    filter: args.filter,
    slot: args.pattern,
  });
  if (source === 'hourly') {
    return sql`
      SELECT p.slot, ${sql.join(reaggregateColumns(TREND_MEASURES, 'p'), ', ')}
      FROM (${hourlyParts(TREND_MEASURES, args.window, args.filter, {
        slot: SLOTS[args.pattern].of,
        dimensions: [],
      })}) p
      GROUP BY slot
      ORDER BY slot`;
  }
  // The daily rollups answer weekdays only (the chooser declines hours of the day).
  if (source === 'daily') {
    return sql`
      SELECT ${SLOTS.DAY_OF_WEEK.of(sql`p.bucket_date`)} AS slot,
        ${sql.join(reaggregateColumns(TREND_MEASURES, 'p'), ', ')}
      FROM (${windowParts('report_id', TREND_MEASURES, args.window, true)}) p
        ${join ? sql`JOIN reports r ON r.id = p.report_id` : sql``}
      WHERE ${allOf(reportConditions('r', args.filter, sql`p.report_id`))}
      GROUP BY slot
      ORDER BY slot`;
  }
  const conditions = [
    sql`e.started_at >= ${args.window.from} AND e.started_at < ${args.window.to}`,
    ...reportConditions('r', args.filter, sql`e.report_id`),
  ];
  return sql`
    SELECT ${SLOTS[args.pattern].of(sql`e.started_at`)} AS slot, COUNT(*) AS executions,
      SUM(e.duration_ms) AS duration_sum, COUNT(e.duration_ms) AS duration_count
    FROM report_executions e ${join ? sql`JOIN reports r ON r.id = e.report_id` : sql``}
    WHERE ${allOf(conditions)}
    GROUP BY slot
    ORDER BY slot`;
}

/** Runs the view: every slot, shares of the window's executions, and the peak. */
export async function fetchExecutionTrends(
  db: Database,
  args: ExecutionTrendsArgs,
): Promise<Trends> {
  const rows = await readRows<{
    slot: number | string;
    executions: string;
    duration_sum: string | null;
    duration_count: string;
  }>(db, compileExecutionTrends(args));
  const bySlot = new Map(rows.map((row) => [Number(row.slot), row]));
  const total = rows.reduce((sum, row) => sum + Number(row.executions), 0);
  const { first, count } = SLOTS[args.pattern];
  const slots: TrendSlot[] = [];
  for (let slot = first; slot < first + count; slot += 1) {
    const row = bySlot.get(slot);
    const executions = Number(row?.executions ?? 0);
    const durations = Number(row?.duration_count ?? 0);
    slots.push({
      slot,
      executions,
      share: total === 0 ? 0 : executions / total,
      avgDurationMs: durations === 0 ? null : Number(row?.duration_sum) / durations,
    });
  }
  // The busiest slot; the lowest slot wins a tie (reduce keeps the first maximum).
  const peak =
    total === 0 ? null : slots.reduce((best, s) => (s.executions > best.executions ? s : best));
  return { pattern: args.pattern, slots, peak };
}
