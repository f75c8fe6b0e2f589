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
import { sql, type Queryable, type SQLQuery } from '@databases/mysql';
import mysql from 'mysql2/promise';
import { isStatementTimeout } from './database-errors.js';
import type { Database } from './pool.js';
import { budgetOf, dbBudgetExceededError, type RequestDbBudget } from './request-budget.js';
import { poolOfConnection, routeOf } from './replication/read-route.js';

export type Dialect = 'mariadb' | 'mysql';

// Each pool's statement timeout, the server's dialect (asked once), and its URL, from
// which a read that ran out of budget is stopped (on a connection of its own).
const timeouts = new WeakMap<Database, number>();
const dialects = new WeakMap<Database, Promise<Dialect>>();
const poolUrls = new WeakMap<Database, string>();

/** Runs every read of `db` made through timedQuery under `ms` milliseconds (0: no limit). */
export function setStatementTimeout(db: Database, ms: number, url?: string): void {
  if (ms > 0) timeouts.set(db, ms);
  else timeouts.delete(db);
  if (url) poolUrls.set(db, url);
}

/** The statement timeout of `db` in milliseconds, or undefined when it has none. */
export function statementTimeoutOf(db: Database): number | undefined {
  const { pool } = budgetOf(db);
  // A routed request's servers are opened with the same timeout as the primary.
  return timeouts.get(routeOf(pool)?.primary ?? pool);
}

/** The dialect a `SELECT VERSION()` answer names. */
export function dialectOf(version: string): Dialect {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

export function detectDialect(db: Database): Promise<Dialect> {
  let dialect = dialects.get(db);
  if (!dialect) {
    dialect = db.query(sql`SELECT VERSION() AS version`).then(
      (rows) => {
        const version = (rows as { version?: unknown }[])[0]?.version;
        return dialectOf(typeof version === 'string' ? version : '');
      },
      (error: unknown) => {
        // The server may be down right now: ask again next time.
        dialects.delete(db);
        throw error;
      },
    );
    dialects.set(db, dialect);
  }
  return dialect;
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

/** The server's id of the session a pooled connection holds (mysql2 keeps it as threadId). */
function threadIdOf(connection: Queryable): number | undefined {
  // @databases/mysql 7 does not expose it: read from its driver's mysql2 connection.
  const driver = (connection as unknown as { _driver?: { client?: { connection?: unknown } } })
    ._driver;
  const threadId = (driver?.client?.connection as { threadId?: unknown } | undefined)?.threadId;
  return typeof threadId === 'number' ? threadId : undefined;
}

/** Stops the statement running in session `threadId` of `db`'s server, from a connection of its own. */
async function killQuery(db: Database, threadId: number): Promise<void> {
  const url = poolUrls.get(db);
  if (!url) return;
  const connection = await mysql.createConnection(url);
  try {
    await connection.query('KILL QUERY ?', [threadId]);
  } finally {
    await connection.end();
  }
}

/** The statements of `query` on one connection (or the pool, for MariaDB), under `ms`. */
async function runTimed(
  connection: Queryable,
  dialect: Dialect,
  query: SQLQuery,
  ms: number,
): Promise<unknown[]> {
  const { before, query: timed, after } = timedStatements(dialect, query, ms);
  if (before) await connection.query(before);
  try {
    return (await connection.query(timed)) as unknown[];
  } finally {
    // Best effort: a lost connection cannot be reset, and the pool closes it anyway.
    if (after) await connection.query(after).catch(() => undefined);
  }
}

/**
 * Runs one read statement of `db` (on `connection` when given, else on a pooled one)
 * under its statement timeout, if it has one, and within the database budget of the
 * request it serves (request-budget.ts), if any: the statement then gets what is left
 * of the budget when that is less. A request routed to read replicas runs it on the
 * server its route chose (replication/read-route.ts).
 */
export async function timedQuery(
  request: Database,
  query: SQLQuery,
  connection?: Queryable,
): Promise<unknown[]> {
  const { pool: requested, budget } = budgetOf(request);
  const route = routeOf(requested);
  if (route && !connection) return route.run((server) => timedOn(server, budget, query));
  const db = (connection && poolOfConnection(connection)) || requested;
  return timedOn(db, budget, query, connection);
}

async function timedOn(
  db: Database,
  budget: RequestDbBudget | undefined,
  query: SQLQuery,
  connection?: Queryable,
): Promise<unknown[]> {
  const poolMs = timeouts.get(db);
  const leftMs = budget ? Math.floor(budget.remainingMs()) : undefined;
  const ms = poolMs === undefined ? undefined : Math.max(1, Math.min(poolMs, leftMs ?? Infinity));
  const dialect = ms === undefined ? undefined : await detectDialect(db);
  const read = async (on: Queryable): Promise<unknown[]> =>
    ms === undefined || !dialect
      ? ((await on.query(query)) as unknown[])
      : runTimed(on, dialect, query, ms);
  if (!budget) {
    // One statement (no timeout, or MariaDB's SET STATEMENT) needs no connection of its own.
    return connection || dialect !== 'mysql' ? read(connection ?? db) : db.task(read);
  }
  const run = async (on: Queryable) => {
    const threadId = threadIdOf(on);
    const finished = budget.started(() => {
      if (threadId !== undefined) void killQuery(db, threadId).catch(() => undefined);
    });
    try {
      return await read(on);
    } catch (error) {
      if (budget.exhausted || (ms === leftMs && isStatementTimeout(error))) {
        budget.exhausted = true;
        throw dbBudgetExceededError(budget.budgetMs);
      }
      throw error;
    } finally {
      finished();
    }
  };
  return connection ? run(connection) : db.task(run);
}
