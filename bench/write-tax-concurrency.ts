/**
 * Shape d of the write tax: concurrent writers, each doing what an application's
 * job runner does per job: INSERT a running execution (now), then UPDATE it to
 * completed, both autocommit. Deadlocks and lock wait timeouts are counted, as an
 * application would meet them, not thrown; a pair with one counts as not done.
 * The time is split into four segments, upkeep–plain–plain–upkeep, so that
 * machine noise falls on both sides alike.
 */
import type { Connection } from 'mysql2/promise';
import { Random } from '../src/seed/random.js';
import {
  connect,
  dateTime,
  ER_LOCK_DEADLOCK,
  ER_LOCK_WAIT_TIMEOUT,
  errorNumber,
  write,
  type Pair,
  type ShapeContext,
  type Side,
} from './write-tax-sessions.js';

export interface ConcurrentPairs {
  connections: number;
  seconds: number;
  pairs: number;
  pairsPerSecond: number;
  deadlocks: number;
  lockWaitTimeouts: number;
}

interface Tally {
  pairs: number;
  deadlocks: number;
  lockWaitTimeouts: number;
  seconds: number;
}

/** Runs `statement`; false when the server chose it as a deadlock victim or it timed out. */
async function attempt(tally: Tally, conn: Connection, statement: string, values: unknown[]) {
  try {
    return await write(conn, statement, values);
  } catch (error) {
    const errno = errorNumber(error);
    if (errno === ER_LOCK_DEADLOCK) tally.deadlocks += 1;
    else if (errno === ER_LOCK_WAIT_TIMEOUT) tally.lockWaitTimeouts += 1;
    else throw error;
    return undefined;
  }
}

async function segment(
  ctx: ShapeContext,
  conns: Connection[],
  tally: Tally,
  seconds: number,
  seed: number,
) {
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    conns.map(async (conn, worker) => {
      const random = new Random(seed * 100 + worker);
      while (performance.now() < end) {
        const at = Date.now();
        const inserted = await attempt(
          tally,
          conn,
          `INSERT INTO report_executions (report_id, executed_by, status, started_at)
           VALUES (?, ?, 'running', ?)`,
          [random.int(...ctx.reports), random.int(...ctx.users), dateTime(at)],
        );
        if (!inserted) continue;
        const durationMs = random.int(200, 30_000);
        const completed = await attempt(
          tally,
          conn,
          `UPDATE report_executions SET status = 'success', completed_at = ?, duration_ms = ?,
             output_size_bytes = ?, row_count = ?
           WHERE id = ?`,
          [
            dateTime(at + durationMs),
            durationMs,
            random.int(0, 50_000_000),
            random.int(0, 10_000),
            inserted.insertId,
          ],
        );
        if (completed) tally.pairs += 1;
      }
    }),
  );
  // Until the last writer finished: a statement still waiting at the end counts in.
  tally.seconds += (performance.now() - started) / 1000;
}

/** d: `connections` writers per side for `seconds` in all, in four alternating segments. */
export async function measureConcurrentPairs(
  ctx: ShapeContext,
  connections: number,
  seconds: number,
): Promise<Pair<ConcurrentPairs>> {
  const conns: Pair<Connection[]> = { upkeep: [], plain: [] };
  const tallies: Pair<Tally> = {
    upkeep: { pairs: 0, deadlocks: 0, lockWaitTimeouts: 0, seconds: 0 },
    plain: { pairs: 0, deadlocks: 0, lockWaitTimeouts: 0, seconds: 0 },
  };
  try {
    for (const label of ['upkeep', 'plain'] as const) {
      for (let i = 0; i < connections; i += 1) conns[label].push(await connect(ctx[label]));
    }
    const order: Side['label'][] = ['upkeep', 'plain', 'plain', 'upkeep'];
    for (const [i, label] of order.entries()) {
      await segment(ctx, conns[label], tallies[label], seconds / 2, i + 1);
    }
  } finally {
    for (const conn of [...conns.upkeep, ...conns.plain]) await conn.end();
  }
  const result = (tally: Tally): ConcurrentPairs => ({
    connections,
    seconds: Math.round(tally.seconds * 100) / 100,
    pairs: tally.pairs,
    pairsPerSecond: Math.round(tally.pairs / tally.seconds),
    deadlocks: tally.deadlocks,
    lockWaitTimeouts: tally.lockWaitTimeouts,
  });
  return { upkeep: result(tallies.upkeep), plain: result(tallies.plain) };
}
