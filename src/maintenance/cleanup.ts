/**
 * CLEANUP: deletes executions that started before now − retentionDays, oldest
 * first, `chunkRows` per transaction: locks stay short and the server responsive.
 * The delete triggers keep the rollups exact as the rows go.
 */
import { sql } from '@databases/mysql';
import { queryOne, type Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import type { TaskOutcome } from './table-commands.js';

export async function deleteOldExecutions(
  db: Database,
  retentionDays: number,
  now: Date,
  chunkRows: number,
): Promise<TaskOutcome & { chunks: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let deleted = 0;
  let chunks = 0;
  for (;;) {
    const count = await writeTransaction(db, async (tx) => {
      await tx.query(sql`DELETE FROM report_executions WHERE started_at < ${cutoff}
                         ORDER BY started_at, id LIMIT ${chunkRows}`);
      return Number((await queryOne<{ n: number }>(tx, sql`SELECT ROW_COUNT() AS n`))?.n ?? 0);
    });
    deleted += count;
    chunks += 1;
    if (count < chunkRows) break;
  }
  return {
    rowsAffected: deleted,
    chunks,
    problems: [],
    messages: [
      `deleted ${deleted} executions started before ${cutoff.toISOString()} in ${chunks} chunks`,
    ],
  };
}
