/**
 * The read path of the views, the entity loaders, databaseHealth and maintenance
 * checks: each statement runs under the pool's statement timeout (and the request's
 * database budget), and a database failure a client can act on (timeout,
 * server unavailable, pool busy) becomes a GraphQL error with a code. Writes use
 * pool.ts directly and get neither.
 */
import { sql, type Queryable, type SQLQuery } from '@databases/mysql';
import { log } from '../logger.js';
import { clientErrorOf } from './database-errors.js';
import type { Database } from './pool.js';
import { statementTimeoutOf, timedQuery } from './statement-timeout.js';

/** Runs a view, loader or maintenance read (on `connection` when given) and types its rows. */
export async function readRows<Row>(
  db: Database,
  query: SQLQuery,
  connection?: Queryable,
): Promise<Row[]> {
  const started = performance.now();
  try {
    return (await timedQuery(db, query, connection)) as Row[];
  } catch (error) {
    const elapsedMs = performance.now() - started;
    const timeoutMs = statementTimeoutOf(db);
    const clientError = clientErrorOf(error, { timeoutMs, elapsedMs });
    if (!clientError) throw error;
    const { code, errno, message } = error as {
      code?: unknown;
      errno?: unknown;
      message?: unknown;
    };
    log.warn('database read failed', {
      reason: clientError.extensions.code,
      code,
      errno,
      detail: message,
      elapsedMs: Math.round(elapsedMs),
    });
    throw clientError;
  }
}

/** Runs a read expected to return at most one row. */
export async function readOne<Row>(
  db: Database,
  query: SQLQuery,
  connection?: Queryable,
): Promise<Row | undefined> {
  const [row] = await readRows<Row>(db, query, connection);
  return row;
}

/**
 * Runs reads that must agree with each other (several statements, one moment) in
 * a read-only transaction with a consistent snapshot, at REPEATABLE READ whatever
 * the session's default, on one connection passed to `fn`.
 */
export function readInSnapshot<T>(
  db: Database,
  fn: (connection: Queryable) => Promise<T>,
): Promise<T> {
  return db.task(async (connection) => {
    await connection.query(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    return connection.tx(fn, { readOnly: true, withConsistentSnapshot: true });
  });
}
