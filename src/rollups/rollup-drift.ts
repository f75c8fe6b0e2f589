/**
 * INTEGRITY for rollups: the cells where a rollup row differs from the raw rows,
 * is missing, or exists without executions behind it. A row of zeros left by an
 * emptied cell counts as absent, as it does for the views.
 */
import { sql } from '@databases/mysql';
import { queryOne, queryRows, type Database } from '../db/pool.js';
import {
  DAILY_ROLLUPS,
  ROLLUP_COLUMNS,
  recomputedRows,
  startedIn,
  type DayRange,
} from './daily-rollups.js';
import { executionDays } from './refresh-rollups.js';

export interface RollupDrift {
  table: string;
  /** Cells that differ, are missing or are stale. */
  driftingCells: number;
  /** A few of them, for the report. */
  examples: { day: string; key: string }[];
}

/** Compares every rollup row in `range` (default: all days) with a recomputation. */
export async function rollupDrift(db: Database, range?: DayRange): Promise<RollupDrift[]> {
  const days = range ??
    (await executionDays(db)) ??
      // No executions: any rollup row with executions is drift.
      { fromDay: new Date(0), toDay: new Date(Date.UTC(9999, 0, 1)) };
  const results: RollupDrift[] = [];
  for (const rollup of DAILY_ROLLUPS) {
    const key = sql.ident(rollup.key);
    const table = sql.ident(rollup.table);
    const same = sql.join(
      ROLLUP_COLUMNS.map((c) => sql`t.${sql.ident(c)} <=> x.${sql.ident(c)}`),
      ' AND ',
    );
    const drifting = sql`
      SELECT x.bucket_date AS day, x.${key} AS id FROM (${recomputedRows(rollup, startedIn(days))}) x
        LEFT JOIN ${table} t ON t.bucket_date = x.bucket_date AND t.${key} = x.${key}
      WHERE NOT (${same}) OR t.${key} IS NULL
      UNION ALL
      SELECT t.bucket_date, t.${key} FROM ${table} t
        LEFT JOIN (${recomputedRows(rollup, startedIn(days))}) x
          ON x.bucket_date = t.bucket_date AND x.${key} = t.${key}
      WHERE t.bucket_date >= ${days.fromDay} AND t.bucket_date < ${days.toDay}
        AND t.executions > 0 AND x.${key} IS NULL`;
    const count = await queryOne<{ n: number }>(db, sql`SELECT COUNT(*) AS n FROM (${drifting}) d`);
    const examples = await queryRows<{ day: Date; id: string }>(
      db,
      sql`SELECT * FROM (${drifting}) d ORDER BY day, id LIMIT 5`,
    );
    results.push({
      table: rollup.table,
      driftingCells: Number(count?.n ?? 0),
      examples: examples.map((e) => ({
        day: e.day instanceof Date ? e.day.toISOString().slice(0, 10) : String(e.day),
        key: String(e.id),
      })),
    });
  }
  return results;
}
