/**
 * ANALYZE, OPTIMIZE and CHECK TABLE over the gateway's tables: each returns one
 * line per table and message; a message that is not a plain success is a problem.
 */
import { sql } from '@databases/mysql';
import { queryRows, type Database } from '../db/pool.js';
import { MAINTAINED_TABLES } from './tables.js';

export type TableCommand = 'ANALYZE' | 'OPTIMIZE' | 'CHECK';

export interface TaskOutcome {
  rowsAffected: number;
  problems: string[];
  messages: string[];
}

interface AdminRow {
  Table: string;
  Op: string;
  Msg_type: string;
  Msg_text: string;
}

// OPTIMIZE on InnoDB rebuilds the table and says so in a note: that is success.
const FINE = new Set(['OK', 'Table is already up to date']);

/** Runs the command on every maintained table. */
export async function runTableCommand(db: Database, command: TableCommand): Promise<TaskOutcome> {
  const tables = sql.join(
    MAINTAINED_TABLES.map((t) => sql.ident(t)),
    ', ',
  );
  const statement = {
    ANALYZE: sql`ANALYZE TABLE ${tables}`,
    OPTIMIZE: sql`OPTIMIZE TABLE ${tables}`,
    CHECK: sql`CHECK TABLE ${tables}`,
  }[command];
  const rows = await queryRows<AdminRow>(db, statement);
  const line = (row: AdminRow) =>
    `${row.Table.replace(/^.*\./, '')}: ${row.Msg_type} ${row.Msg_text}`;
  const problems = rows.filter(
    (row) => row.Msg_type === 'error' || (row.Msg_type === 'status' && !FINE.has(row.Msg_text)),
  );
  return {
    rowsAffected: 0,
    problems: problems.map(line),
    messages: rows.filter((row) => !problems.includes(row)).map(line),
  };
}
