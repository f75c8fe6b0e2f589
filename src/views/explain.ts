/**
 * Explaining a request without running it: a stand-in pool records the statements
 * the view compiler would send (returning no rows), then the server's
 * EXPLAIN FORMAT=JSON plan of each is read from the real database, like any view
 * read: under the statement timeout.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readOne } from '../db/read.js';

export interface Recorder {
  db: Database;
  statements: SQLQuery[];
}

/**
 * A pool look-alike that records the statements that read and answers each with no
 * rows. Session settings (a snapshot's isolation level) are not reads: not recorded.
 */
export function recordingDatabase(): Recorder {
  const statements: SQLQuery[] = [];
  const query = (statement: SQLQuery) => {
    if (!/^\s*SET\s/i.test(statementText(statement).text)) statements.push(statement);
    return Promise.resolve([]);
  };
  // Resolvers only call query(), on the pool or a connection or transaction of it.
  const db = { query } as unknown as Database;
  Object.assign(db, {
    task: <T>(fn: (connection: Database) => Promise<T>) => fn(db),
    tx: <T>(fn: (connection: Database) => Promise<T>) => fn(db),
  });
  return { db, statements };
}

/** The statement as MySQL receives it: text with `?` placeholders, and the values. */
export function statementText(statement: SQLQuery): { text: string; values: unknown[] } {
  return statement.format({
    escapeIdentifier: (name) => `\`${name.replace(/`/g, '``')}\``,
    formatValue: (value) => ({ placeholder: '?', value }),
  });
}

/** The server's plan of a statement (EXPLAIN FORMAT=JSON, parsed), read under the statement timeout. */
export async function explainPlan(db: Database, statement: SQLQuery): Promise<unknown> {
  const row = await readOne<Record<string, string>>(db, sql`EXPLAIN FORMAT=JSON ${statement}`);
  const [plan] = Object.values(row ?? {});
  return plan === undefined ? null : (JSON.parse(plan) as unknown);
}
