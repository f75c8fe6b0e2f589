/**
 * Explaining a request without running it: a stand-in pool records the statements
 * the view compiler would send (returning no rows), then the server's
 * EXPLAIN FORMAT=JSON plan of each is read from the real database.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { queryOne, type Database } from '../db/pool.js';

export interface Recorder {
  db: Database;
  statements: SQLQuery[];
}

/** A pool look-alike that records statements and answers each with no rows. */
export function recordingDatabase(): Recorder {
  const statements: SQLQuery[] = [];
  const query = (statement: SQLQuery) => {
    statements.push(statement);
    return Promise.resolve([]);
  };
  // Resolvers only call query(); nothing else of the pool is reachable in explain mode.
  return { db: { query } as unknown as Database, statements };
}

/** The statement as MySQL receives it: text with `?` placeholders, and the values. */
export function statementText(statement: SQLQuery): { text: string; values: unknown[] } {
  return statement.format({
    escapeIdentifier: (name) => `\`${name.replace(/`/g, '``')}\``,
    formatValue: (value) => ({ placeholder: '?', value }),
  });
}

/** The server's plan of a statement (EXPLAIN FORMAT=JSON, parsed). */
export async function explainPlan(db: Database, statement: SQLQuery): Promise<unknown> {
  const row = await queryOne<Record<string, string>>(db, sql`EXPLAIN FORMAT=JSON ${statement}`);
  const [plan] = Object.values(row ?? {});
  return plan === undefined ? null : (JSON.parse(plan) as unknown);
}
