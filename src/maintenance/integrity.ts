/**
 * INTEGRITY: rows whose references point nowhere (possible only where foreign key
 * checks were switched off) and rollup cells that drifted from the raw rows.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readOne } from '../db/read.js';
import { rollupDrift } from '../rollups/rollup-drift.js';
import type { TaskOutcome } from './table-commands.js';

const ORPHANS: { what: string; query: SQLQuery }[] = [
  {
    what: 'executions of a missing report',
    query: sql`SELECT COUNT(*) AS n FROM report_executions e
               LEFT JOIN reports r ON r.id = e.report_id WHERE r.id IS NULL`,
  },
  {
    what: 'executions by a missing user',
    query: sql`SELECT COUNT(*) AS n FROM report_executions e
               LEFT JOIN users u ON u.id = e.executed_by
               WHERE e.executed_by IS NOT NULL AND u.id IS NULL`,
  },
  {
    what: 'reports owned by a missing user',
    query: sql`SELECT COUNT(*) AS n FROM reports r
               LEFT JOIN users u ON u.id = r.owner_id WHERE r.owner_id IS NOT NULL AND u.id IS NULL`,
  },
];

export async function checkIntegrity(db: Database): Promise<TaskOutcome> {
  const problems: string[] = [];
  const messages: string[] = [];
  for (const { what, query } of ORPHANS) {
    const count = Number((await readOne<{ n: number }>(db, query))?.n ?? 0);
    (count > 0 ? problems : messages).push(`${count} ${what}`);
  }
  for (const drift of await rollupDrift(db)) {
    const text = `${drift.table}: ${drift.driftingCells} cells differ from the raw rows`;
    if (drift.driftingCells === 0) messages.push(text);
    else {
      problems.push(`${text} (e.g. ${drift.examples.join('; ')}); run REFRESH_ROLLUPS`);
    }
  }
  return { rowsAffected: 0, problems, messages };
}
