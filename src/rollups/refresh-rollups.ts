/**
 * REFRESH_ROLLUPS: rebuilds the rollup rows of a day range from the raw rows less
 * the journal rows not yet folded (so that rollup plus journal is the raw rows
 * again), at most a month per transaction. It runs at READ COMMITTED: each rebuild
 * reads raw rows and journal in one snapshot without locking them, so neither the
 * application's writes nor the applier wait for it, and an applier batch that
 * folds meanwhile adds exactly what the rebuild took off.
 */
import { sql, type Queryable } from '@databases/mysql';
import { queryOne, type Database } from '../db/pool.js';
import { readOne } from '../db/read.js';
import { readCommittedTransaction } from '../db/retry.js';
import { HISTOGRAM_TEXT_LIMIT } from './duration-histogram.js';
import { expectedRollupRows } from './expected-rows.js';
import { journalStartedIn } from './journal.js';
import {
  EXECUTION_DAYS,
  ROLLUP_TABLES,
  allColumns,
  dayOf,
  startedIn,
  type DayRange,
} from './rollup-tables.js';

const DAY_MS = 86_400_000;

export interface RefreshResult {
  fromDay: Date | null;
  toDay: Date | null;
  chunks: number;
  /** Rollup rows written. */
  rows: number;
}

/** The whole executions table's day range, or undefined when it is empty. */
export async function executionDays(db: Database): Promise<DayRange | undefined> {
  const row = await readOne<{ first: Date | null; last: Date | null }>(db, EXECUTION_DAYS);
  if (!row?.first || !row.last) return undefined;
  return { fromDay: dayOf(row.first), toDay: new Date(dayOf(row.last).getTime() + DAY_MS) };
}

/** Rebuilds every rollup's rows of one day range inside the caller's transaction; returns rows written. */
export async function rebuildChunk(tx: Queryable, chunk: DayRange): Promise<number> {
  let written = 0;
  await tx.query(HISTOGRAM_TEXT_LIMIT);
  for (const rollup of ROLLUP_TABLES) {
    // A monthly rollup rebuilds the whole months the chunk touches.
    const cells = rollup.cellsOf?.(chunk) ?? chunk;
    const table = sql.ident(rollup.table);
    const bucket = sql.ident(rollup.bucket);
    const columns = sql.join(
      allColumns(rollup).map((c) => sql.ident(c)),
      ', ',
    );
    await tx.query(
      sql`DELETE FROM ${table} WHERE ${bucket} >= ${cells.fromDay} AND ${bucket} < ${cells.toDay}`,
    );
    await tx.query(sql`
      INSERT INTO ${table} (${columns})
      SELECT ${columns} FROM (${expectedRollupRows(
        rollup,
        startedIn(cells),
        journalStartedIn(cells.fromDay, cells.toDay),
      )}) x`);
    const count = await queryOne<{ n: number }>(tx, sql`SELECT ROW_COUNT() AS n`);
    written += Number(count?.n ?? 0);
  }
  return written;
}

/**
 * Rebuilds every rollup for `range` (default: every day with executions), at most
 * `chunkDays` per transaction and never across a month boundary, so that a monthly
 * rollup's cells are rebuilt once per month.
 */
export async function refreshRollups(
  db: Database,
  range?: DayRange,
  chunkDays = 31,
): Promise<RefreshResult> {
  const days = range ?? (await executionDays(db));
  if (!days) return { fromDay: null, toDay: null, chunks: 0, rows: 0 };
  let chunks = 0;
  let rows = 0;
  for (let start = days.fromDay; start < days.toDay;) {
    const nextMonth = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    const end = new Date(
      Math.min(start.getTime() + chunkDays * DAY_MS, nextMonth, days.toDay.getTime()),
    );
    rows += await readCommittedTransaction(db, (tx) =>
      rebuildChunk(tx, { fromDay: start, toDay: end }),
    );
    chunks += 1;
    start = end;
  }
  return { ...days, chunks, rows };
}
