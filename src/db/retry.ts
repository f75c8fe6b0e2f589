/**
 * Retries a whole transaction when MySQL resolves a deadlock by rolling it back, or
 * gives up waiting for a lock: a bounded number of attempts, with jittered backoff
 * so that the transactions that collided do not collide again in step.
 */
import { sql, type Connection, type Transaction } from '@databases/mysql';
import { log } from '../logger.js';
import type { Database } from './pool.js';

// ER_LOCK_DEADLOCK (1213) and ER_LOCK_WAIT_TIMEOUT (1205): the transaction was
// rolled back (or its statement failed) and running it again may succeed.
// ER_AUTOINC_READ_FAILED (1467) is how InnoDB reports either of them when the lock
// in question is a bulk insert's table-level auto-increment lock.
const RETRYABLE = new Set([1213, 1205, 1467]);

function errno(error: unknown): number | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'errno' in error &&
    typeof error.errno === 'number'
    ? error.errno
    : undefined;
}

/** Runs `transaction`, again on a deadlock or lock-wait timeout, up to `attempts` times. */
export async function retryTransaction<T>(
  transaction: () => Promise<T>,
  { attempts = 4, baseDelayMs = 25 }: { attempts?: number; baseDelayMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      const code = errno(error);
      if (code === undefined || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      const delay = baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      log.warn('retrying a transaction', { errno: code, attempt, delayMs: Math.round(delay) });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** One write transaction, retried whole on deadlocks and lock-wait timeouts. */
export function writeTransaction<T>(
  db: Database,
  body: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return retryTransaction(() => db.tx(body));
}

/**
 * One write transaction at READ COMMITTED, retried like writeTransaction: its
 * INSERT … SELECTs read a snapshot per statement instead of locking what they read.
 */
export function readCommittedTransaction<T>(
  db: Database,
  body: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return retryTransaction(() => db.task((conn) => readCommittedOn(conn, body)));
}

/** One transaction at READ COMMITTED on `conn` (a connection the caller holds). */
export async function readCommittedOn<T>(
  conn: Connection,
  body: (tx: Transaction) => Promise<T>,
): Promise<T> {
  await conn.query(sql`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`);
  return conn.tx(body);
}
