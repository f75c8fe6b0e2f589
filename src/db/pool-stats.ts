/**
 * How busy the connection pool is. @databases/mysql keeps its pool
 * (@databases/connection-pool) in a protected `_pool` field and offers no public
 * accessor, so this reads that field defensively: if a future version drops it,
 * the stats are simply unavailable (undefined), never wrong. The pool size it was
 * opened with is not exposed at all.
 */
import type { Database } from './pool.js';

export interface PoolStats {
  /** Connections checked out by a query or transaction. */
  inUse: number;
  /** Open connections waiting in the pool. */
  idle: number;
  /** Callers waiting for a connection because all are in use. */
  waiting: number;
}

interface ConnectionCounts {
  getConnectionsCount(): number;
  getIdleConnectionsCount(): number;
  getQueueLength(): number;
}

function isConnectionCounts(value: unknown): value is ConnectionCounts {
  const pool = value as Partial<Record<keyof ConnectionCounts, unknown>> | null | undefined;
  return (
    typeof pool?.getConnectionsCount === 'function' &&
    typeof pool.getIdleConnectionsCount === 'function' &&
    typeof pool.getQueueLength === 'function'
  );
}

/** The pool's current counts, or undefined when the driver does not expose them. */
export function poolStats(db: Database): PoolStats | undefined {
  const pool: unknown = Reflect.get(db, '_pool');
  if (!isConnectionCounts(pool)) return undefined;
  const idle = pool.getIdleConnectionsCount();
  return { inUse: pool.getConnectionsCount() - idle, idle, waiting: pool.getQueueLength() };
}
