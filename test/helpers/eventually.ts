/** Waiting on a condition instead of a fixed sleep, for tests on a busy machine. */
import { poolStats } from '../../src/db/pool-stats.js';
import type { Database } from '../../src/db/pool.js';

/** Resolves once `check` holds; throws after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True once no connection of `db` is checked out (closing ones included). */
export const poolIdle = (db: Database) => () => poolStats(db)?.inUse === 0;
