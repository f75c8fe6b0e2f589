/**
 * Upgrading in place to the journal (migrations 0011 and 0012): a database with
 * data, migrated and written under the triggers of 0010, moves to the journal with
 * the rollups exact (INTEGRITY finds no drift before or after the applier folds),
 * and `--down` returns to the 0010 triggers with every cell exact, the journal's
 * unfolded rows included. Expected rows come from plain SQL over the raw rows.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, readMigrations } from '../src/db/migrate.js';
import { queryOne, queryRows } from '../src/db/pool.js';
import { foldJournal } from '../src/rollups/applier.js';
import { rollupDrift } from '../src/rollups/rollup-drift.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertReport, insertUser } from './helpers/fixtures.js';

const migrations = readMigrations();
const JOURNAL = migrations.findIndex((m) => m.name === 'journal-rollup-upkeep');
let database: TestDatabase;
const reports: string[] = [];
const users: string[] = [];

beforeAll(async () => {
  expect(JOURNAL).toBeGreaterThan(0);
  database = await createTestDatabase({ migrate: false });
  await migrateUp(database.db, migrations.slice(0, JOURNAL));
  for (let i = 0; i < 3; i += 1) reports.push(await insertReport(database.db));
  for (let i = 0; i < 2; i += 1) users.push(await insertUser(database.db));
});
afterAll(() => database.drop());

let seq = 0;
/** Inserts, completions, moves across days and reports, deletes, straight in SQL. */
async function writeSome(rows = 8) {
  const { db } = database;
  for (let i = 0; i < rows; i += 1) {
    seq += 1;
    await db.query(sql`
      INSERT INTO report_executions (report_id, executed_by, status, started_at, duration_ms)
      VALUES (${reports[seq % 3]}, ${seq % 3 === 0 ? null : users[seq % 2]},
        ${seq % 5 === 0 ? 'failed' : 'success'}, ${new Date(Date.UTC(2026, 2, 30) + seq * 5_400_000)},
        ${(seq * 7919) % 100_000})`);
  }
  await db.query(
    sql`UPDATE report_executions SET duration_ms = duration_ms DIV 2 WHERE id % 4 = 1`,
  );
  await db.query(sql`UPDATE report_executions SET started_at = started_at + INTERVAL 1 DAY,
    report_id = ${reports[0]} WHERE id % 6 = 2`);
  await db.query(sql`DELETE FROM report_executions WHERE id % 9 = 4`);
  // A report changes kind between rows journaled before and after.
  await db.query(sql`UPDATE reports SET provider = IF(provider = 'aws', 'gcp', 'aws'),
    category = IF(category = 'cost', 'security', 'cost') WHERE id = ${reports[seq % 3]}`);
  await db.query(sql`UPDATE report_executions SET status = 'cancelled' WHERE id % 7 = 3`);
}

const SUMS = sql`COUNT(*), SUM(status = 'success'), SUM(status = 'failed'),
  COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms), MAX(started_at)`;
const ROLLUP_SUMS = sql`executions, successes, failures, duration_count, duration_sum,
  max_duration_ms, last_executed_at`;

/** Each rollup's non-empty rows against plain SQL over the raw rows. */
async function expectRollupsMatchRaw() {
  const text = async (query: ReturnType<typeof sql>) =>
    (await queryRows<Record<string, unknown>>(database.db, query)).map((r) =>
      Object.values(r)
        .map((v) => (v instanceof Date ? v.toISOString() : String(v)))
        .join('|'),
    );
  const pairs = [
    [
      sql`SELECT bucket_date, report_id, ${ROLLUP_SUMS} FROM report_daily_rollup
        WHERE executions > 0 ORDER BY 1, 2`,
      sql`SELECT DATE(started_at), report_id, ${SUMS} FROM report_executions GROUP BY 1, 2 ORDER BY 1, 2`,
    ],
    [
      sql`SELECT bucket_date, executed_by, ${ROLLUP_SUMS} FROM user_daily_rollup
        WHERE executions > 0 ORDER BY 1, 2`,
      sql`SELECT DATE(started_at), executed_by, ${SUMS} FROM report_executions
        WHERE executed_by IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    ],
    [
      sql`SELECT bucket_month, report_id, ${ROLLUP_SUMS} FROM report_monthly_rollup
        WHERE executions > 0 ORDER BY 1, 2`,
      sql`SELECT CAST(DATE_FORMAT(started_at, '%Y-%m-01') AS DATE), report_id, ${SUMS}
        FROM report_executions GROUP BY 1, 2 ORDER BY 1, 2`,
    ],
    [
      sql`SELECT bucket_hour, provider, category, executions, duration_sum
        FROM dimension_hourly_rollup WHERE executions <> 0 ORDER BY 1, 2, 3`,
      sql`SELECT CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME), r.provider,
        r.category, COUNT(*), COALESCE(SUM(e.duration_ms), 0)
        FROM report_executions e JOIN reports r ON r.id = e.report_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ],
    [
      sql`SELECT bucket_date, executions, reports, users FROM day_rollup
        WHERE executions > 0 ORDER BY 1`,
      sql`SELECT DATE(started_at), COUNT(*), COUNT(DISTINCT report_id), COUNT(DISTINCT executed_by)
        FROM report_executions GROUP BY 1 ORDER BY 1`,
    ],
  ] as const;
  for (const [stored, raw] of pairs) expect(await text(stored)).toEqual(await text(raw));
}

const triggerCount = async () =>
  Number(
    (await queryOne<{ n: number }>(
      database.db,
      sql`SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()`,
    ))!.n,
  );

describe('upgrading to the rollup journal in place', () => {
  it('keeps the rollups of the old triggers exact through the upgrade and back', async () => {
    await writeSome(30);
    await expectRollupsMatchRaw();
    const oldTriggers = await triggerCount();
    expect(oldTriggers).toBe(25);

    await migrateUp(database.db, migrations);
    expect(await triggerCount()).toBe(7);
    expect((await rollupDrift(database.db)).every((d) => d.driftingCells === 0)).toBe(true);
    await writeSome();
    // Unfolded: INTEGRITY counts rollups plus journal.
    expect((await rollupDrift(database.db)).every((d) => d.driftingCells === 0)).toBe(true);
    await database.db.task((conn) => foldJournal(conn));
    await expectRollupsMatchRaw();

    // Back with rows still in the journal: --down folds them by recomputing their cells.
    await writeSome();
    await migrateDown(database.db, migrations.length - JOURNAL, migrations);
    expect(await triggerCount()).toBe(oldTriggers);
    await expectRollupsMatchRaw();
    // The old triggers keep the rollups themselves again.
    await writeSome();
    await expectRollupsMatchRaw();
  });
});
