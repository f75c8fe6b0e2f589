/**
 * Duration histograms computed apart from the code under test: the bucket rule
 * as the README states it, and each rollup's cells read from the raw rows in
 * plain SQL.
 */
import { sql } from '@databases/mysql';
import { queryRows, type Database } from '../../src/db/pool.js';

/**
 * The duration bucket the README states, written here apart from the code: a
 * duration below 128 ms is its own bucket, a longer one keeps its 7 highest bits.
 */
export function bucketOf(duration: number): number {
  if (duration < 128) return duration;
  const dropped = 2 ** (duration.toString(2).length - 7);
  return Math.floor(duration / dropped) * dropped;
}

/** `bucket:count` pairs in ascending bucket order, or null without durations. */
export function histogramOf(durations: number[]): string | null {
  const counts = new Map<number, number>();
  for (const d of durations) counts.set(bucketOf(d), (counts.get(bucketOf(d)) ?? 0) + 1);
  const pairs = [...counts].sort(([a], [b]) => a - b).map(([b, n]) => `${b}:${n}`);
  return pairs.length === 0 ? null : pairs.join(',');
}

interface HistogramRow {
  cell: string;
  duration_ms: number | null;
}

/** Every rollup's histograms, stored and recomputed here from the raw rows: [stored, expected]. */
export async function rollupHistograms(db: Database) {
  const cells = {
    report_daily_rollup: [
      sql`DATE_FORMAT(bucket_date, '%Y-%m-%d'), '|', report_id`,
      sql`DATE_FORMAT(e.started_at, '%Y-%m-%d'), '|', e.report_id`,
    ],
    user_daily_rollup: [
      sql`DATE_FORMAT(bucket_date, '%Y-%m-%d'), '|', executed_by`,
      sql`DATE_FORMAT(e.started_at, '%Y-%m-%d'), '|', e.executed_by`,
    ],
    report_monthly_rollup: [
      sql`DATE_FORMAT(bucket_month, '%Y-%m'), '|', report_id`,
      sql`DATE_FORMAT(e.started_at, '%Y-%m'), '|', e.report_id`,
    ],
    dimension_hourly_rollup: [
      sql`DATE_FORMAT(bucket_hour, '%Y-%m-%d %H'), '|', provider, '|', category`,
      sql`DATE_FORMAT(e.started_at, '%Y-%m-%d %H'), '|', r.provider, '|', r.category`,
    ],
    day_rollup: [
      sql`DATE_FORMAT(bucket_date, '%Y-%m-%d')`,
      sql`DATE_FORMAT(e.started_at, '%Y-%m-%d')`,
    ],
  } as const;
  const result: Record<string, [string[], string[]]> = {};
  for (const [table, [storedCell, rawCell]] of Object.entries(cells)) {
    const stored = await queryRows<{ cell: string; h: string }>(
      db,
      sql`SELECT CONCAT(${storedCell}) AS cell, duration_histogram AS h FROM ${sql.ident(table)}
        WHERE duration_histogram IS NOT NULL`,
    );
    const raw = await queryRows<HistogramRow>(
      db,
      sql`SELECT CONCAT(${rawCell}) AS cell, e.duration_ms FROM report_executions e
        JOIN reports r ON r.id = e.report_id WHERE e.duration_ms IS NOT NULL`,
    );
    const byCell = new Map<string, number[]>();
    for (const row of raw) {
      if (row.cell === null) continue; // no user: no cell of user_daily_rollup
      byCell.set(row.cell, [...(byCell.get(row.cell) ?? []), row.duration_ms!]);
    }
    result[table] = [
      stored.map((r) => `${r.cell} ${r.h}`).sort(),
      [...byCell].map(([cell, durations]) => `${cell} ${histogramOf(durations)}`).sort(),
    ];
  }
  return result;
}
