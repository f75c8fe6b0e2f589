/**
 * insertExecutions: all rows in one transaction, written with multi-row INSERTs of
 * `batchSize` rows. Report and user ids are checked first so that an unknown one is
 * a clear BAD_USER_INPUT naming its row, not a foreign-key failure.
 */
import { sql, type Transaction } from '@databases/mysql';
import { queryRows, type Database } from '../db/pool.js';
import { badInput } from '../errors.js';
import { inList } from '../views/sql-helpers.js';
import type { CheckedExecution } from './execution-input.js';

async function assertExisting(
  tx: Transaction,
  table: 'reports' | 'users',
  ids: (string | null)[],
  field: string,
) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return;
  // FOR SHARE keeps the rows from being deleted before this transaction commits.
  const found = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM ${sql.ident(table)} WHERE ${inList(sql.ident('id'), wanted)} LOCK IN SHARE MODE`,
  );
  const existing = new Set(found.map((row) => row.id));
  const missing = ids.findIndex((id) => id !== null && !existing.has(id));
  if (missing >= 0) {
    throw badInput(
      `rows[${missing}].${field}`,
      `no ${table === 'reports' ? 'report' : 'user'} has id ${ids[missing]}`,
    );
  }
}

/** Inserts the rows; returns their new ids in input order. */
export async function insertExecutions(
  db: Database,
  rows: readonly CheckedExecution[],
  batchSize: number,
): Promise<string[]> {
  if (rows.length === 0) return [];
  return db.tx(async (tx) => {
    await assertExisting(
      tx,
      'reports',
      rows.map((r) => r.reportId),
      'reportId',
    );
    await assertExisting(
      tx,
      'users',
      rows.map((r) => r.executedBy),
      'executedBy',
    );
    const ids: string[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      await tx.query(sql`
        INSERT INTO report_executions (report_id, executed_by, status, started_at, completed_at,
          duration_ms, output_size_bytes, row_count, error_message)
        VALUES ${sql.join(
          batch.map(
            (r) =>
              sql`(${r.reportId}, ${r.executedBy}, ${r.status}, ${r.startedAt}, ${r.completedAt},
                ${r.durationMs}, ${r.outputSizeBytes}, ${r.rowCount}, ${r.errorMessage})`,
          ),
          ', ',
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
