/**
 * The rollup applier: one active at a time across instances (a named lock), a
 * batch that dies between any two of its statements leaves nothing half-applied
 * (the next fold counts every row once), and writes made while no applier ran are
 * folded when one starts. Expected rollup rows come from plain SQL over the raw rows.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../src/db/pool.js';
import { RollupApplier, foldJournal } from '../src/rollups/applier.js';
import { foldBatch, foldStatements } from '../src/rollups/fold-journal.js';
import { readCommittedOn } from '../src/db/retry.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { eventually } from './helpers/eventually.js';
import { insertReport, insertUser } from './helpers/fixtures.js';

let database: TestDatabase;
const reports: string[] = [];
const users: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  for (let i = 0; i < 3; i += 1) reports.push(await insertReport(database.db));
  for (let i = 0; i < 2; i += 1) users.push(await insertUser(database.db));
});
afterAll(() => database.drop());

let seq = 0;
/** A few inserts, completions, moves and deletes, straight in SQL, over two days and a month boundary. */
async function writeSome() {
  const { db } = database;
  const ids: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    seq += 1;
    const startedAt = new Date(Date.UTC(2026, 0, 31, 20) + seq * 37 * 60_000);
    await db.query(sql`
      INSERT INTO report_executions (report_id, executed_by, status, started_at)
      VALUES (${reports[seq % 3]}, ${seq % 4 === 0 ? null : users[seq % 2]}, 'running', ${startedAt})`);
    const row = await queryOne<{ id: string }>(db, sql`SELECT LAST_INSERT_ID() AS id`);
    ids.push(String(row!.id));
  }
  await db.query(sql`UPDATE report_executions SET status = 'success', duration_ms = 1000 + id * 7,
    output_size_bytes = id * 100 WHERE id IN (${sql.join(
      ids.slice(0, 4).map((id) => sql`${id}`),
      ', ',
    )})`);
  await db.query(
    sql`UPDATE report_executions SET duration_ms = 5 WHERE id = ${ids[0]} AND status = 'success'`,
  );
  await db.query(sql`UPDATE report_executions SET started_at = started_at + INTERVAL 1 DAY,
    report_id = ${reports[0]} WHERE id = ${ids[1]}`);
  await db.query(sql`DELETE FROM report_executions WHERE id = ${ids[2]}`);
}

const SUMS = sql`COUNT(*), SUM(status = 'success'), SUM(status = 'failed'), SUM(status = 'cancelled'),
  COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
  COALESCE(SUM(output_size_bytes), 0), MAX(started_at)`;

/** Stored rows (non-empty cells) against plain SQL over the raw rows, for the keyed rollups and the days. */
async function expectRollupsMatchRaw() {
  const { db } = database;
  const text = async (query: ReturnType<typeof sql>) =>
    (await queryRows<Record<string, unknown>>(db, query)).map((r) =>
      Object.values(r)
        .map((v) => (v instanceof Date ? v.toISOString() : String(v)))
        .join('|'),
    );
  const pairs = [
    [
      sql`SELECT bucket_date, report_id, executions, successes, failures, cancelled, duration_count,
        duration_sum, max_duration_ms, total_output_bytes, last_executed_at
        FROM report_daily_rollup WHERE executions > 0 ORDER BY 1, 2`,
      sql`SELECT DATE(started_at), report_id, ${SUMS} FROM report_executions
        GROUP BY DATE(started_at), report_id ORDER BY 1, 2`,
    ],
    [
      sql`SELECT bucket_date, executed_by, executions, successes, failures, cancelled,
        duration_count, duration_sum, max_duration_ms, total_output_bytes, last_executed_at
        FROM user_daily_rollup WHERE executions > 0 ORDER BY 1, 2`,
      sql`SELECT DATE(started_at), executed_by, ${SUMS} FROM report_executions
        WHERE executed_by IS NOT NULL GROUP BY DATE(started_at), executed_by ORDER BY 1, 2`,
    ],
    [
      sql`SELECT bucket_month, report_id, executions, successes, failures, cancelled,
        duration_count, duration_sum, max_duration_ms, total_output_bytes, last_executed_at
        FROM report_monthly_rollup WHERE executions > 0 ORDER BY 1, 2`,
      sql`SELECT CAST(DATE_FORMAT(started_at, '%Y-%m-01') AS DATE), report_id, ${SUMS}
        FROM report_executions GROUP BY 1, report_id ORDER BY 1, 2`,
    ],
    [
      sql`SELECT bucket_date, executions, duration_sum, reports, users
        FROM day_rollup WHERE executions > 0 ORDER BY 1`,
      sql`SELECT DATE(started_at), COUNT(*), COALESCE(SUM(duration_ms), 0),
        COUNT(DISTINCT report_id), COUNT(DISTINCT executed_by)
        FROM report_executions GROUP BY 1 ORDER BY 1`,
    ],
  ] as const;
  for (const [stored, raw] of pairs) expect(await text(stored)).toEqual(await text(raw));
}

const journalRows = async () =>
  Number(
    (await queryOne<{ n: number }>(database.db, sql`SELECT COUNT(*) AS n FROM rollup_journal`))!.n,
  );

describe('the rollup applier', () => {
  it('survives dying between any two statements of a batch without counting a row twice', async () => {
    const steps = foldStatements([{ first: '1', last: '1' }]).map((s) => s.step);
    expect(steps.length).toBeGreaterThan(4);
    for (const step of steps) {
      await writeSome();
      const pending = await journalRows();
      expect(pending).toBeGreaterThan(0);
      // The batch's connection dies after `step`: the server rolls its transaction back.
      await expect(
        database.db.task((conn) =>
          foldJournal(conn, {
            afterStep: async (done, tx) => {
              if (done !== step) return;
              const id = await queryOne<{ id: number }>(tx, sql`SELECT CONNECTION_ID() AS id`);
              await database.db.query(sql`KILL ${id!.id}`);
              await tx.query(sql`SELECT 1`);
            },
          }),
        ),
      ).rejects.toThrow();
      expect(await journalRows()).toBe(pending);
      await database.db.task((conn) => foldJournal(conn));
      expect(await journalRows()).toBe(0);
      await expectRollupsMatchRaw();
    }
  });

  it('is active on one instance at a time, and another takes over when it stops', async () => {
    const first = new RollupApplier(database.db, { intervalMs: 20 });
    const second = new RollupApplier(database.db, { intervalMs: 20 });
    first.start();
    await eventually(() => first.status.active);
    second.start();
    await writeSome();
    await eventually(async () => (await journalRows()) === 0);
    expect(first.status.active).toBe(true);
    expect(second.status.active).toBe(false);
    expect(second.status.foldedRows).toBe(0);

    await first.stop();
    await eventually(() => second.status.active);
    await writeSome();
    await eventually(async () => (await journalRows()) === 0);
    expect(second.status.foldedRows).toBeGreaterThan(0);
    await second.stop();
    await expectRollupsMatchRaw();
  });

  it('folds what was written while no applier ran, in batches, when one starts', async () => {
    for (let i = 0; i < 5; i += 1) await writeSome();
    const pending = await journalRows();
    expect(pending).toBeGreaterThan(40);
    const applier = new RollupApplier(database.db, { intervalMs: 20, batchRows: 7 });
    applier.start();
    try {
      await eventually(async () => (await journalRows()) === 0);
      expect(applier.status.foldedRows).toBe(pending);
      expect(applier.status.batches).toBeGreaterThan(2);
    } finally {
      await applier.stop();
    }
    await expectRollupsMatchRaw();
  });

  it("keeps a day's totals exact when a report goes while a batch folds another row of that day", async () => {
    const { db } = database;
    const day = new Date(Date.UTC(2026, 2, 10));
    const at = (hour: number) => new Date(day.getTime() + hour * 3_600_000);
    const doomed = await insertReport(db);
    for (const hour of [1, 2, 3]) {
      await db.query(sql`INSERT INTO report_executions (report_id, status, started_at)
        VALUES (${doomed}, 'success', ${at(hour)})`);
    }
    await db.task((conn) => foldJournal(conn));
    await db.query(sql`INSERT INTO report_executions (report_id, status, started_at)
      VALUES (${reports[0]}, 'success', ${at(4)})`);
    const first = await queryOne<{ id: string }>(db, sql`SELECT MIN(id) AS id FROM rollup_journal`);
    // Its executions go by the report's trigger, its rollup cells by foreign-key cascade.
    await db.query(sql`DELETE FROM reports WHERE id = ${doomed}`);
    // A batch of the new row alone, while the removals of the report's wait.
    const id = String(first!.id);
    await db.task((conn) =>
      readCommittedOn(conn, (tx) => foldBatch(tx, [{ first: id, last: id }], false)),
    );

    const totals = await queryOne<{ stored: string; pending: string; raw: string }>(
      db,
      sql`SELECT (SELECT executions FROM day_rollup WHERE bucket_date = ${day}) AS stored,
        (SELECT COALESCE(SUM(executions), 0) FROM rollup_journal
          WHERE started_at >= ${day} AND started_at < ${day} + INTERVAL 1 DAY) AS pending,
        (SELECT COUNT(*) FROM report_executions
          WHERE started_at >= ${day} AND started_at < ${day} + INTERVAL 1 DAY) AS raw`,
    );
    expect(Number(totals!.stored) + Number(totals!.pending)).toBe(1);
    expect(Number(totals!.raw)).toBe(1);
    await db.task((conn) => foldJournal(conn));
    await expectRollupsMatchRaw();
  });
});
