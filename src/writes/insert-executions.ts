/**
 * insertExecutions: all rows in one transaction, written with multi-row INSERTs of
 * `batchSize` rows. Report and user ids are checked first so that an unknown one is
 * a clear BAD_USER_INPUT naming its row, not a foreign-key failure.
 */
import { sql } from '@databases/mysql';
import { queryRows, type Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import { chunks, lockExisting, tuples } from './batch-sql.js';
import type { CheckedExecution } from './execution-input.js';

/** Inserts the rows; returns their new ids in input order. */
export async function insertExecutions(
  db: Database,
  rows: readonly CheckedExecution[],
  batchSize: number,
): Promise<string[]> {
  if (rows.length === 0) return [];
  return writeTransaction(db, async (tx) => {
    const at = (field: string) => (index: number) => `rows[${index}].${field}`;
    const reports = rows.map((r) => r.reportId);
    await lockExisting(tx, 'reports', sql`id`, reports, at('reportId'), 'shared');
    const users = rows.map((r) => r.executedBy);
    await lockExisting(tx, 'users', sql`id`, users, at('executedBy'), 'shared');
    const ids: string[] = [];
    for (const batch of chunks(rows, batchSize)) {
      await tx.query(sql`
        INSERT INTO report_executions (report_id, executed_by, status, started_at, completed_at,
          duration_ms, output_size_bytes, row_count, error_message)
        VALUES ${tuples(
          batch.map((r) => [
            r.reportId,
            r.executedBy,
            r.status,
            r.startedAt,
            r.completedAt,
            r.durationMs,
            r.outputSizeBytes,
            r.rowCount,
            r.errorMessage,
          ]),
        )}`);
      // A multi-row INSERT with a known row count takes consecutive auto-increment
      // values (InnoDB lock modes 0–2), starting at LAST_INSERT_ID().
      const [first] = await queryRows<{ id: string }>(tx, sql`SELECT LAST_INSERT_ID() AS id`);
      const base = BigInt(first!.id);
      for (let i = 0; i < batch.length; i += 1) ids.push((base + BigInt(i)).toString());
    }
    return ids;
  });
}
