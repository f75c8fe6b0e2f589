/**
 * INTEGRITY for rollups: the cells where a rollup row differs from what it must
 * hold (the raw rows less the journal rows not yet folded, read in one statement),
 * is missing, or exists without executions behind it. A row of zeros left by an
 * emptied cell counts as absent, as it does for the views. A cell with journal
 * rows is checked on its sums only: its maxima and distinct counts are settled
 * when the applier folds them.
 */
import { sql } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readOne, readRows } from '../db/read.js';
import { JOURNAL_SUMS, journalOf, journalRowsFor, journalStartedIn } from './journal.js';
import { HISTOGRAM_COLUMN, HISTOGRAM_TEXT_LIMIT } from './duration-histogram.js';
import { ROLLUP_TABLES, startedIn, type DayRange } from './rollup-tables.js';
import { expectedRollupRows } from './expected-rows.js';
import { executionDays } from './refresh-rollups.js';

export interface RollupDrift {
  table: string;
  /** Cells that differ, are missing or are stale. */
  driftingCells: number;
  /** A few of them, for the report: the bucket and the cell's keys. */
  examples: string[];
}

/** Compares every rollup row in `range` (default: all days) with a recomputation. */
export async function rollupDrift(db: Database, range?: DayRange): Promise<RollupDrift[]> {
  const days = range ??
    (await executionDays(db)) ??
      // No executions: any rollup row with executions is drift.
      { fromDay: new Date(0), toDay: new Date(Date.UTC(9999, 0, 1)) };
  const results: RollupDrift[] = [];
  for (const rollup of ROLLUP_TABLES) {
    const cells = rollup.cellsOf?.(days) ?? days;
    const table = sql.ident(rollup.table);
    const bucket = sql.ident(rollup.bucket);
    const cell = [rollup.bucket, ...rollup.keys].map((c) => sql.ident(c));
    const on = sql.join(
      cell.map((c) => sql`t.${c} = x.${c}`),
      ' AND ',
    );
    const journaled = sql`SELECT DISTINCT ${sql.join(
      [
        sql`${rollup.bucketOf(sql`j.started_at`)} AS ${sql.ident(rollup.bucket)}`,
        ...rollup.keys.map((k) => sql`j.${sql.ident(k)}`),
      ],
      ', ',
    )} FROM ${journalOf(rollup)} j
      WHERE ${journalStartedIn(cells.fromDay, cells.toDay)} AND ${journalRowsFor(rollup)}`;
    // Histograms are exact like sums: the journal rows carry their buckets.
    const same = sql.join(
      [...rollup.columns, HISTOGRAM_COLUMN].map((c) =>
        c === HISTOGRAM_COLUMN || (JOURNAL_SUMS as readonly string[]).includes(c)
          ? sql`t.${sql.ident(c)} <=> x.${sql.ident(c)}`
          : sql`(t.${sql.ident(c)} <=> x.${sql.ident(c)} OR jc.${sql.ident(rollup.bucket)} IS NOT NULL)`,
      ),
      ' AND ',
    );
    const journalOn = sql.join(
      cell.map((c) => sql`jc.${c} = x.${c}`),
      ' AND ',
    );
    const label = sql`CONCAT_WS(' ', ${sql.join(
      cell.map((c) => sql`x.${c}`),
      ', ',
    )})`;
    const recomputed = sql`SELECT * FROM (${expectedRollupRows(
      rollup,
      startedIn(cells),
      journalStartedIn(cells.fromDay, cells.toDay),
    )}) y WHERE y.executions <> 0`;
    const drifting = sql`
      SELECT ${label} AS cell FROM (${recomputed}) x LEFT JOIN ${table} t ON ${on}
        LEFT JOIN (${journaled}) jc ON ${journalOn}
      WHERE t.executions IS NULL OR NOT (${same})
      UNION ALL
      SELECT ${sql`CONCAT_WS(' ', ${sql.join(
        cell.map((c) => sql`t.${c}`),
        ', ',
      )})`} FROM ${table} t LEFT JOIN (${recomputed}) x ON ${on}
      WHERE t.${bucket} >= ${cells.fromDay} AND t.${bucket} < ${cells.toDay}
        AND t.executions <> 0 AND x.executions IS NULL`;
    const [count, examples] = await db.task(async (connection) => {
      await connection.query(HISTOGRAM_TEXT_LIMIT);
      return [
        await readOne<{ n: number }>(
          db,
          sql`SELECT COUNT(*) AS n FROM (${drifting}) d`,
          connection,
        ),
        await readRows<{ cell: string }>(
          db,
          sql`SELECT cell FROM (${drifting}) d ORDER BY cell LIMIT 5`,
          connection,
        ),
      ] as const;
    });
    results.push({
      table: rollup.table,
      driftingCells: Number(count?.n ?? 0),
      examples: examples.map((e) => e.cell),
    });
  }
  return results;
}
