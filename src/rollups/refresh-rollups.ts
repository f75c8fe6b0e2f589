/**
 * REFRESH_ROLLUPS: rebuilds the rollup rows of a day range from the raw rows, a
 * few days per transaction. Readers are never blocked (InnoDB reads a snapshot);
 * a writer into the chunk being rebuilt waits at most one chunk's transaction.
 */
import { sql, type Queryable } from '@databases/mysql';
import { queryOne, type Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import {
  DAILY_ROLLUPS,
  EXECUTION_DAYS,
  ROLLUP_COLUMNS,
  dayOf,
  recomputedRows,
  startedIn,
  type DayRange,
} from './daily-rollups.js';

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
  const row = await queryOne<{ first: Date | null; last: Date | null }>(db, EXECUTION_DAYS);
  if (!row?.first || !row.last) return undefined;
  return { fromDay: dayOf(row.first), toDay: new Date(dayOf(row.last).getTime() + DAY_MS) };
}

/** Rebuilds both rollups' rows of one day range inside the caller's transaction; returns rows written. */
export async function rebuildChunk(tx: Queryable, chunk: DayRange): Promise<number> {
  const columns = sql.join(
    ['bucket_date', ...ROLLUP_COLUMNS].map((c) => sql.ident(c)),
    ', ',
  );
  let written = 0;
  for (const rollup of DAILY_ROLLUPS) {
    const key = sql.ident(rollup.key);
    const table = sql.ident(rollup.table);
    await tx.query(
      sql`DELETE FROM ${table} WHERE bucket_date >= ${chunk.fromDay} AND bucket_date < ${chunk.toDay}`,
    );
    await tx.query(sql`
      INSERT INTO ${table} (${key}, ${columns})
      SELECT ${key}, ${columns} FROM (${recomputedRows(rollup, startedIn(chunk))}) x`);
    const count = await queryOne<{ n: number }>(tx, sql`SELECT ROW_COUNT() AS n`);
    written += Number(count?.n ?? 0);
  }
  return written;
}

/** Rebuilds both rollups for `range` (default: every day with executions), `chunkDays` at a time. */
export async function refreshRollups(
  db: Database,
  range?: DayRange,
  chunkDays = 7,
): Promise<RefreshResult> {
  const days = range ?? (await executionDays(db));
  if (!days) return { fromDay: null, toDay: null, chunks: 0, rows: 0 };
  let chunks = 0;
  let rows = 0;
  for (let start = days.fromDay; start < days.toDay;) {
    const end = new Date(Math.min(start.getTime() + chunkDays * DAY_MS, days.toDay.getTime()));
    rows += await writeTransaction(db, (tx) => rebuildChunk(tx, { fromDay: start, toDay: end }));
    chunks += 1;
    start = end;
  }
  return { ...days, chunks, rows };
}
