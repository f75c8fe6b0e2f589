/**
 * Issue 14, point 2, at the finest grain: a read is exact between any two batches
 * of the applier, not only once it has folded everything. Journal rows of every
 * kind wait (inserts, completions, a lowered maximum, moves across days and
 * reports, deletes, a report changing provider and category, a user and a report
 * deleted); the test folds them one row per batch, in the applier's order, and
 * after every batch reads reportsSummary (a window of whole days and one of a whole
 * month, both with raw edges), providerPerformance and daily executionMetrics
 * through the gateway, comparing each with plain SQL over the raw rows.
 */
import { sql } from '@databases/mysql';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../src/db/pool.js';
import { readCommittedOn } from '../src/db/retry.js';
import { foldBatch } from '../src/rollups/fold-journal.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const DAY = 86_400_000;
const MARCH = Date.UTC(2026, 2, 1);
const WINDOWS = [
  { from: '2026-03-02T06:00:00.000Z', to: '2026-03-12T18:00:00.000Z' },
  { from: '2026-02-27T12:00:00.000Z', to: '2026-04-02T03:00:00.000Z' },
];

const at = (day: number, hour: number) => new Date(MARCH + day * DAY + hour * 3_600_000);

beforeAll(async () => {
  gateway = await createTestGateway();
});
afterAll(() => gateway.drop());

const iso = (value: unknown) => (value === null ? null : (value as Date).toISOString());

/** What the views must answer now, from the raw rows. */
async function expected() {
  const { db } = gateway;
  const perWindow = [];
  for (const w of WINDOWS) {
    const inWindow = sql`e.started_at >= ${new Date(w.from)} AND e.started_at < ${new Date(w.to)}`;
    const reports = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT e.report_id AS id, COUNT(*) AS executions, SUM(e.status = 'success') AS successes,
        MAX(e.duration_ms) AS max, MAX(e.started_at) AS last
        FROM report_executions e WHERE ${inWindow} GROUP BY e.report_id ORDER BY e.report_id`,
    );
    const providers = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT r.provider, COUNT(*) AS executions, COALESCE(SUM(e.duration_ms), 0) AS duration
        FROM report_executions e JOIN reports r ON r.id = e.report_id
        WHERE ${inWindow} GROUP BY r.provider ORDER BY r.provider`,
    );
    const days = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT DATE(e.started_at) AS day, COUNT(*) AS executions,
        COUNT(DISTINCT e.report_id) AS reports, COUNT(DISTINCT e.executed_by) AS users
        FROM report_executions e WHERE ${inWindow} GROUP BY day ORDER BY day`,
    );
    perWindow.push({
      reports: reports.map((r) => [
        String(r.id),
        Number(r.executions),
        Number(r.successes),
        r.max === null ? null : Number(r.max),
        iso(r.last),
      ]),
      providers: providers.map((p) => [
        String(p.provider).toUpperCase(),
        Number(p.executions),
        Number(p.duration),
      ]),
      days: days.map((d) => [iso(d.day), Number(d.executions), Number(d.reports), Number(d.users)]),
    });
  }
  return perWindow;
}

const QUERY = `query ($w: TimeWindow) {
  reportsSummary(window: $w, first: 100) {
    edges { node { report { id } executions successes maxDurationMs lastExecutedAt } }
  }
  providerPerformance(window: $w) { provider executions avgDurationMs }
  executionMetrics(window: $w, granularity: DAY) {
    bucketStart executions distinctReports distinctUsers
  }
}`;

interface Answer {
  reportsSummary: {
    edges: {
      node: {
        report: { id: string };
        executions: number;
        successes: number;
        maxDurationMs: number | null;
        lastExecutedAt: string | null;
      };
    }[];
  };
  providerPerformance: { provider: string; executions: number; avgDurationMs: number | null }[];
  executionMetrics: {
    bucketStart: string;
    executions: number;
    distinctReports: number;
    distinctUsers: number;
  }[];
}

/** What the gateway answers now, shaped like `expected`. */
async function answered() {
  const perWindow = [];
  for (const w of WINDOWS) {
    const result = await gateway.executeText(QUERY, { w });
    expect(result.errors).toBeUndefined();
    const data = result.data as unknown as Answer;
    perWindow.push({
      reports: data.reportsSummary.edges
        .map((e) => e.node)
        .filter((n) => n.executions > 0)
        .sort((a, b) => Number(a.report.id) - Number(b.report.id))
        .map((n) => [n.report.id, n.executions, n.successes, n.maxDurationMs, n.lastExecutedAt]),
      providers: data.providerPerformance
        .filter((p) => p.executions > 0)
        .sort((a, b) => a.provider.localeCompare(b.provider))
        // The mean times the count is the exact integer sum of durations.
        .map((p) => [p.provider, p.executions, Math.round((p.avgDurationMs ?? 0) * p.executions)]),
      days: data.executionMetrics
        .filter((d) => d.executions > 0)
        .map((d) => [d.bucketStart, d.executions, d.distinctReports, d.distinctUsers]),
    });
  }
  return perWindow;
}

describe('reads between any two batches of the applier', () => {
  it('are exact after every single journal row folded, whatever the rows do', async () => {
    const { db } = gateway;
    const [alice, bob] = [await insertUser(db), await insertUser(db)];
    const a = await insertReport(db, { provider: 'aws', category: 'cost' });
    const b = await insertReport(db, { provider: 'aws', category: 'security' });
    const c = await insertReport(db, { provider: 'gcp', category: 'compliance' });
    const made: string[] = [];
    // Days -2 … 32 around March, several runs a day, some long ones.
    for (let day = -2; day <= 32; day += 3) {
      for (const [report, user, hour] of [
        [a, alice, 1],
        [a, bob, 9],
        [b, alice, 13],
        [c, bob, 20],
      ] as const) {
        made.push(
          await insertExecution(db, report, at(day, hour), {
            executed_by: user,
            duration_ms: ((day + 3) * 7_919 + hour * 104_729) % 900_000,
            status: hour === 20 ? 'failed' : 'success',
          }),
        );
      }
    }
    await gateway.fold();
    expect(await answered()).toEqual(await expected());

    // Writes of every kind, all waiting in the journal.
    for (const day of [4, 19]) {
      await insertExecution(db, a, at(day, 5), { executed_by: bob, status: 'running' });
    }
    await db.query(sql`UPDATE report_executions SET status = 'success', duration_ms = 950000
      WHERE status = 'running'`);
    await db.query(sql`UPDATE report_executions SET duration_ms = 1
      WHERE report_id = ${a} ORDER BY duration_ms DESC LIMIT 1`);
    await db.query(sql`UPDATE report_executions SET started_at = started_at + INTERVAL 1 DAY,
      report_id = ${a} WHERE id = ${made[2]}`);
    await db.query(sql`DELETE FROM report_executions WHERE id = ${made[7]}`);
    await db.query(sql`UPDATE reports SET provider = 'gcp', category = 'security' WHERE id = ${a}`);
    await insertExecution(db, a, at(7, 22), { executed_by: alice, duration_ms: 12 });
    await db.query(sql`DELETE FROM users WHERE id = ${bob}`);
    await db.query(sql`DELETE FROM reports WHERE id = ${c}`);
    await db.query(sql`UPDATE reports SET provider = 'azure' WHERE id = ${b}`);

    const journal = await queryRows<{ id: string; lowers: number }>(
      db,
      sql`SELECT id, lowers FROM rollup_journal ORDER BY id`,
    );
    expect(journal.length).toBeGreaterThan(40);
    const want = await expected();
    expect(await answered()).toEqual(want);
    for (const row of journal) {
      const id = String(row.id);
      await db.task((conn) =>
        readCommittedOn(conn, (tx) =>
          foldBatch(tx, [{ first: id, last: id }], Boolean(row.lowers)),
        ),
      );
      expect(await answered(), `after folding journal row ${id}`).toEqual(want);
    }
    const left = await queryRows<{ n: number }>(
      db,
      sql`SELECT (SELECT COUNT(*) FROM rollup_journal) + (SELECT COUNT(*) FROM rollup_report_changes) AS n`,
    );
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('counts a row under the pair its report had when it was written, at READ COMMITTED too', async () => {
    const { db } = gateway;
    const report = await insertReport(db, { provider: 'oci', category: 'custom' });
    const runs = [];
    for (const hour of [1, 2, 3]) runs.push(await insertExecution(db, report, at(40, hour)));
    await gateway.fold();
    // The application's sessions at READ COMMITTED, a common setting: no gap locks,
    // and a plain INSERT … SELECT reads a snapshot instead of locking.
    const session = async () => {
      const c = await mysql.createConnection(gateway.url);
      await c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      return c;
    };
    const writer = await session();
    const changer = await session();
    try {
      await writer.query('START TRANSACTION');
      await writer.query("UPDATE report_executions SET status = 'failed' WHERE id = ?", [runs[0]]);
      // The report changes kind while that update is open: its move must wait for it.
      let changed = false;
      const change = changer
        .query("UPDATE reports SET provider = 'multi' WHERE id = ?", [report])
        .then(() => (changed = true));
      for (let polls = 0; !changed; polls += 1) {
        const state = await queryOne<{ trx: string | null; process: string | null }>(
          db,
          sql`SELECT (SELECT trx_state FROM information_schema.innodb_trx
              WHERE trx_mysql_thread_id = ${changer.threadId}) AS trx,
            (SELECT CONCAT_WS(': ', state, info) FROM information_schema.processlist
              WHERE id = ${changer.threadId}) AS process`,
        );
        if (state?.trx === 'LOCK WAIT') break;
        // Not waiting on a row lock after 10 s: say on what, instead of timing out mutely.
        if (polls === 1_000)
          throw new Error(`the change neither waits nor ends: ${JSON.stringify(state)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await writer.query('COMMIT');
      await change;
    } finally {
      await Promise.all([writer.end(), changer.end()]);
    }
    const window = { from: at(40, 0).toISOString(), to: at(41, 0).toISOString() };
    const read = async () => {
      const result = await gateway.executeText(
        `query ($w: TimeWindow) { providerPerformance(window: $w) { provider executions successes failures } }`,
        { w: window },
      );
      expect(result.errors).toBeUndefined();
      return (result.data!.providerPerformance as { executions: number }[]).filter(
        (p) => p.executions !== 0,
      );
    };
    const want = [{ provider: 'MULTI', executions: 3, successes: 2, failures: 1 }];
    expect(await read()).toEqual(want);
    await gateway.fold();
    expect(await read()).toEqual(want);
  });
});
