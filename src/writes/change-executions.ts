/**
 * updateExecutions and deleteExecutions. An update names the execution by id and
 * gives only the fields that change; the merged row must still be consistent
 * (completedAt not before startedAt, a status that fits its times). Deletes take
 * ids, or everything started before a time, in chunks of `batchSize`.
 */
import { sql } from '@databases/mysql';
import { queryRows, type Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import { badInput } from '../errors.js';
import { parseId, parseIds } from '../views/ids.js';
import { EXECUTION_COLUMNS, type ExecutionRow, type Status } from '../views/rows.js';
import { inList } from '../views/sql-helpers.js';
import { chunks, lockExisting, tuples } from './batch-sql.js';
import { checkExecutions, type ExecutionInput } from './execution-input.js';

export interface ExecutionUpdate {
  id: string | number;
  status?: Status | null;
  completedAt?: Date | null;
  durationMs?: number | null;
  outputSizeBytes?: string | null;
  rowCount?: number | null;
  errorMessage?: string | null;
}

const UPDATABLE = [
  'status',
  'completedAt',
  'durationMs',
  'outputSizeBytes',
  'rowCount',
  'errorMessage',
] as const;

/** Applies the updates in one transaction; returns the ids updated. */
export async function updateExecutions(
  db: Database,
  updates: readonly ExecutionUpdate[],
  maxRows: number,
  batchSize: number,
): Promise<string[]> {
  if (updates.length > maxRows)
    throw badInput('rows', `at most ${maxRows} rows per call, got ${updates.length}`);
  const ids = updates.map((update, index) => parseId(`rows[${index}].id`, update.id));
  ids.forEach((id, index) => {
    const first = ids.indexOf(id);
    if (first !== index)
      throw badInput(`rows[${index}].id`, `execution ${id} is also given in rows[${first}]`);
    if (updates[index]!.status === null) throw badInput(`rows[${index}].status`, 'cannot be null');
  });
  if (ids.length === 0) return [];
  return writeTransaction(db, async (tx) => {
    const columns = sql.join(
      EXECUTION_COLUMNS.map((c) => sql.ident(c)),
      ', ',
    );
    const current = await lockExisting<ExecutionRow>(
      tx,
      'report_executions',
      columns,
      ids,
      (i) => `rows[${i}].id`,
    );
    // Merge each update into its row, then check the result like an insert.
    const merged: ExecutionInput[] = updates.map((update, index) => {
      const row = current.get(ids[index]!)!;
      const input: ExecutionInput = {
        reportId: row.report_id,
        executedBy: row.executed_by,
        status: row.status,
        startedAt: row.started_at,
        completedAt: row.completed_at,
        durationMs: row.duration_ms,
        outputSizeBytes: row.output_size_bytes,
        rowCount: row.row_count,
        errorMessage: row.error_message,
      };
      for (const field of UPDATABLE) {
        if (update[field] !== undefined) Object.assign(input, { [field]: update[field] });
      }
      return input;
    });
    const checked = checkExecutions(merged, maxRows);
    for (const batch of chunks(
      checked.map((row, i) => ({ row, id: ids[i]! })),
      batchSize,
    )) {
      await tx.query(sql`
        INSERT INTO report_executions (id, report_id, executed_by, status, started_at, completed_at,
          duration_ms, output_size_bytes, row_count, error_message)
        VALUES ${tuples(
          batch.map(({ row, id }) => [
            id,
            row.reportId,
            row.executedBy,
            row.status,
            row.startedAt,
            row.completedAt,
            row.durationMs,
            row.outputSizeBytes,
            row.rowCount,
            row.errorMessage,
          ]),
        )}
        ON DUPLICATE KEY UPDATE status = VALUES(status), completed_at = VALUES(completed_at),
          duration_ms = VALUES(duration_ms), output_size_bytes = VALUES(output_size_bytes),
          row_count = VALUES(row_count), error_message = VALUES(error_message)`);
    }
    return ids;
  });
}

/** Deletes by ids and/or started before `before`; returns the ids deleted. */
export async function deleteExecutions(
  db: Database,
  args: { ids?: readonly (string | number)[] | null; before?: Date | null },
  batchSize: number,
  maxIds: number,
): Promise<string[]> {
  if (!args.ids && !args.before) throw badInput('ids', 'give ids, before, or both');
  const before = args.before ? sql`started_at < ${args.before}` : sql`TRUE`;
  // Ids go batchSize at a time: one IN list of every id would be a statement too large
  // to build (the SQL template overflows the stack near 60 000 values).
  const scopes = args.ids
    ? chunks(parseIds('ids', args.ids, maxIds), batchSize).map((ids) =>
        inList(sql.ident('id'), ids),
      )
    : [sql`TRUE`];
  return writeTransaction(db, async (tx) => {
    const deleted: string[] = [];
    // Chunks keep each statement small; the transaction still makes the call all-or-nothing.
    for (const scope of scopes) {
      for (;;) {
        const found = await queryRows<{ id: string }>(
          tx,
          sql`SELECT id FROM report_executions WHERE ${scope} AND ${before} ORDER BY id LIMIT ${batchSize} FOR UPDATE`,
        );
        if (found.length === 0) break;
        const ids = found.map((row) => row.id);
        await tx.query(sql`DELETE FROM report_executions WHERE ${inList(sql.ident('id'), ids)}`);
        deleted.push(...ids);
        if (found.length < batchSize) break;
      }
    }
    return deleted;
  });
}
