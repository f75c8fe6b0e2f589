/**
 * The statement timeout of the views' reads, and the one place where MariaDB and
 * MySQL differ about it. A pool opened with a timeout runs each read under it:
 *
 * - MariaDB: `SET STATEMENT max_statement_time = <seconds> FOR <the read>`, which
 *   limits that one statement and leaves the session as it was;
 * - MySQL 8 (no SET STATEMENT): `max_execution_time` (milliseconds, SELECT only) set
 *   on the session for the read and set back to DEFAULT after it, on the same
 *   connection (a `task`).
 *
 * Writes, migrations, maintenance and backups never come through here, so they keep
 * the server's own limits: a pooled connection carries no read timeout into them.
 * The dialect is detected once per pool (`SELECT VERSION()` naming MariaDB or not).
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from './pool.js';

export type Dialect = 'mariadb' | 'mysql';

interface PoolTimeout {
  ms: number;
  dialect?: Promise<Dialect>;
}

const timeouts = new WeakMap<Database, PoolTimeout>();

/** Runs every read of `db` made through timedQuery under `ms` milliseconds (0: no limit). */
export function setStatementTimeout(db: Database, ms: number): void {
  if (ms > 0) timeouts.set(db, { ms });
  else timeouts.delete(db);
}

/** The statement timeout of `db` in milliseconds, or undefined when it has none. */
export function statementTimeoutOf(db: Database): number | undefined {
  return timeouts.get(db)?.ms;
}

/** The dialect a `SELECT VERSION()` answer names. */
export function dialectOf(version: string): Dialect {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

function detectDialect(db: Database, entry: PoolTimeout): Promise<Dialect> {
  entry.dialect ??= db.query(sql`SELECT VERSION() AS version`).then(
    (rows) => {
      const version = (rows as { version?: unknown }[])[0]?.version;
      return dialectOf(typeof version === 'string' ? version : '');
    },
    (error: unknown) => {
      // The server may be down right now: ask again next time.
      entry.dialect = undefined;
      throw error;
    },
  );
  return entry.dialect;
}

/** The statements that run `query` under `ms` milliseconds on `dialect`. */
export function timedStatements(
  dialect: Dialect,
  query: SQLQuery,
  ms: number,
): { before?: SQLQuery; query: SQLQuery; after?: SQLQuery } {
  if (dialect === 'mariadb') {
    return { query: sql`SET STATEMENT max_statement_time = ${ms / 1000} FOR ${query}` };
  }
  return {
    before: sql`SET SESSION max_execution_time = ${ms}`,
    query,
    after: sql`SET SESSION max_execution_time = DEFAULT`,
  };
}

/** Runs one read statement of `db` under its statement timeout, if it has one. */
export async function timedQuery(db: Database, query: SQLQuery): Promise<unknown[]> {
  const entry = timeouts.get(db);
  if (!entry) return (await db.query(query)) as unknown[];
  const plan = timedStatements(await detectDialect(db, entry), query, entry.ms);
  const { before, after } = plan;
  if (!before || !after) return (await db.query(plan.query)) as unknown[];
  return db.task(async (connection) => {
    await connection.query(before);
    let rows: unknown[];
    try {
      rows = (await connection.query(plan.query)) as unknown[];
    } catch (error) {
      // Best effort: a lost connection cannot be reset, and the pool closes it anyway.
      await connection.query(after).catch(() => undefined);
      throw error;
    }
    await connection.query(after);
    return rows;
  });
}
