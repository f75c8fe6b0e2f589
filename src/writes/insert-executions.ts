/**
 * insertExecutions: all rows in one transaction, written with multi-row INSERTs of
 * `batchSize` rows. Report and user ids are checked first so that an unknown one is
 * a clear BAD_USER_INPUT naming its row, not a foreign-key failure.
 */
import { sql, type Transaction } from '@databases/mysql';
import { queryRows, type Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import { insertJsonRows, toDateTimeText } from '../db/json-insert.js';
import { EXECUTION_INSERT_COLUMNS } from '../db/execution-columns.js';
import { chunks, lockExisting, tuples } from './batch-sql.js';
import type { CheckedExecution } from './execution-input.js';
import { insertWithStatementRollups, type IdRange } from '../rollups/statement-rollups.js';

/** One multi-row INSERT: a JSON_TABLE batch (`bulk`) or a VALUES list. */
async function insertBatch(tx: Transaction, batch: readonly CheckedExecution[], bulk: boolean) {
  if (bulk) {
    await insertJsonRows(
      tx,
      'report_executions',
      EXECUTION_INSERT_COLUMNS,
      batch.map((r) => [
        r.reportId,
        r.executedBy,
        r.status,
        toDateTimeText(r.startedAt),
        toDateTimeText(r.completedAt),
        r.durationMs,
        r.outputSizeBytes,
        r.rowCount,
        r.errorMessage,
      ]),
    );
    return;
  }
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
}

/** Inserts the rows; returns their new ids in input order. */
export async function insertExecutions(
  db: Database,
  rows: readonly CheckedExecution[],
  batchSize: number,
  /** Forces a statement form; by default JSON_TABLE where the lock mode allows it. */
  form?: 'json' | 'values',
): Promise<string[]> {
  if (rows.length === 0) return [];
  return writeTransaction(db, async (tx) => {
    const at = (field: string) => (index: number) => `rows[${index}].${field}`;
    const reports = rows.map((r) => r.reportId);
    await lockExisting(tx, 'reports', sql`id`, reports, at('reportId'), 'shared');
    const users = rows.map((r) => r.executedBy);
    await lockExisting(tx, 'users', sql`id`, users, at('executedBy'), 'shared');
    // JSON_TABLE batches cost Node one parameter each; their auto-increment values are
    // consecutive only where bulk inserts take the table's AUTO-INC lock (lock modes 0, 1).
    const [server] = await queryRows<{ mode: number | string; step: number | string }>(
      tx,
      sql`SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step`,
    );
    const step = BigInt(server?.step ?? 1);
    const bulk = (form ?? (Number(server?.mode) <= 1 ? 'json' : 'values')) === 'json';
    const { ids } = await insertWithStatementRollups(tx, async () => {
      const inserted = { ids: [] as string[], ranges: [] as IdRange[] };
      for (const batch of chunks(rows, batchSize)) {
        await insertBatch(tx, batch, bulk);
        const [first] = await queryRows<{ id: string }>(tx, sql`SELECT LAST_INSERT_ID() AS id`);
        const base = BigInt(first!.id);
        for (let i = 0; i < batch.length; i += 1)
          inserted.ids.push((base + BigInt(i) * step).toString());
        inserted.ranges.push({ first: base, last: base + BigInt(batch.length - 1) * step, step });
      }
      return inserted;
    });
    return ids;
  });
}
