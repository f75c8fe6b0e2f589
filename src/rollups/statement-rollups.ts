/**
 * Rollup upkeep per statement instead of per row, for the bulk writers (the
 * gateway's insertExecutions and the seeder): with `@rollups_by_statement` set the
 * journal's insert trigger stands aside, and one INSERT … SELECT … GROUP BY
 * journals the inserted rows per hour, report and user. Same transaction, same
 * result, one journal row per group instead of one per execution.
 */
import { sql, type Transaction } from '@databases/mysql';
import { durationBucket } from './duration-histogram.js';
import { JOURNAL_TABLE } from './journal.js';

/** The ids one multi-row INSERT took: first, first + step, …, last. */
export interface IdRange {
  first: bigint;
  last: bigint;
  step: bigint;
}

async function journalInserted(tx: Transaction, ranges: readonly IdRange[]) {
  if (ranges.length === 0) return;
  const inserted = sql.join(
    ranges.map((r) => {
      const between = sql`e.id BETWEEN ${r.first.toString()} AND ${r.last.toString()}`;
      // With auto_increment_increment > 1 the ids in between belong to other servers.
      return r.step === 1n
        ? between
        : sql`(${between} AND (e.id - ${r.first.toString()}) % ${r.step.toString()} = 0)`;
    }),
    ' OR ',
  );
  // The same differences the per-row trigger would journal, summed per hour, report,
  // user and duration bucket (a journal row counts its durations in one bucket).
  const bucket = durationBucket(sql`e.duration_ms`);
  await tx.query(sql`
    INSERT INTO ${sql.ident(JOURNAL_TABLE)} (id, started_at, report_id, executed_by,
      executions, successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers, duration_bucket)
    SELECT UUID_SHORT(), MAX(e.started_at), e.report_id, e.executed_by, COUNT(*),
      SUM(e.status = 'success'), SUM(e.status = 'failed'), SUM(e.status = 'cancelled'),
      COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), COALESCE(SUM(e.output_size_bytes), 0),
      MAX(e.duration_ms), MAX(e.started_at), FALSE, ${bucket}
    FROM report_executions e
    WHERE ${inserted}
    GROUP BY DATE_FORMAT(e.started_at, '%Y-%m-%d %H'), e.report_id, e.executed_by, ${bucket}`);
}

/**
 * Runs `insert` (which returns the id ranges it inserted) with the per-row insert
 * trigger off, then journals them in one statement.
 */
export async function insertWithStatementRollups<T extends { ranges: IdRange[] }>(
  tx: Transaction,
  insert: () => Promise<T>,
): Promise<T> {
  // The connection goes back to the pool: never leave the trigger off on it.
  const triggersOn = () => tx.query(sql`SET @rollups_by_statement = NULL`);
  await tx.query(sql`SET @rollups_by_statement = 1`);
  let result: T;
  try {
    result = await insert();
  } catch (error) {
    await triggersOn().catch(() => undefined); // the insert's error is the one to report
    throw error;
  }
  await triggersOn();
  await journalInserted(tx, result.ranges);
  return result;
}
