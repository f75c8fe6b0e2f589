/**
 * Upgrading in place to duration histograms (migration 0014): a database with data
 * and journal rows not yet folded (journaled by 0012's triggers, which carry no
 * bucket) gets every rollup cell's histogram from the raw rows, INTEGRITY finds no
 * drift before or after the applier folds, the new triggers keep the histograms
 * exact through moves of durations between buckets, and `--down` and up again
 * (with rows journaled by the old triggers meanwhile) leaves them exact. Expected
 * histograms come from plain SQL and the bucket rule written in the test helper.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, readMigrations } from '../src/db/migrate.js';
import { queryOne } from '../src/db/pool.js';
import { foldJournal } from '../src/rollups/applier.js';
import { rollupDrift } from '../src/rollups/rollup-drift.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertReport, insertUser } from './helpers/fixtures.js';
import { rollupHistograms } from './helpers/histogram-oracle.js';

const migrations = readMigrations();
const HISTOGRAMS = migrations.findIndex((m) => m.name === 'duration-histograms');
let database: TestDatabase;
const reports: string[] = [];
const users: string[] = [];

beforeAll(async () => {
  expect(HISTOGRAMS).toBeGreaterThan(0);
  database = await createTestDatabase({ migrate: false });
  await migrateUp(database.db, migrations.slice(0, HISTOGRAMS));
  for (let i = 0; i < 3; i += 1) reports.push(await insertReport(database.db));
  for (let i = 0; i < 2; i += 1) users.push(await insertUser(database.db));
});
afterAll(() => database.drop());

let seq = 0;
/** Inserts, completions, moves across days and buckets, deletes, straight in SQL. */
async function writeSome(rows = 12) {
  const { db } = database;
  for (let i = 0; i < rows; i += 1) {
    seq += 1;
    // Durations from 0 ms to hours, ties among them, and none.
    const duration = seq % 11 === 0 ? null : seq % 5 === 0 ? 127 : (seq * 7919) ** 1.3 % 9_000_000;
    await db.query(sql`
      INSERT INTO report_executions (report_id, executed_by, status, started_at, duration_ms)
      VALUES (${reports[seq % 3]}, ${seq % 3 === 0 ? null : users[seq % 2]},
        ${seq % 4 === 0 ? 'running' : 'success'}, ${new Date(Date.UTC(2026, 2, 30) + seq * 5_400_000)},
        ${duration === null ? null : Math.round(duration)})`);
  }
  // Completions, durations moving to other buckets and within their own.
  await db.query(sql`UPDATE report_executions SET status = 'success', duration_ms = 64
    WHERE status = 'running'`);
  await db.query(
    sql`UPDATE report_executions SET duration_ms = duration_ms * 3 + 1 WHERE id % 4 = 1`,
  );
  await db.query(sql`UPDATE report_executions SET duration_ms = duration_ms + 1
    WHERE id % 4 = 2 AND duration_ms > 200000`);
  await db.query(sql`UPDATE report_executions SET duration_ms = NULL WHERE id % 13 = 3`);
  await db.query(sql`UPDATE report_executions SET started_at = started_at + INTERVAL 1 DAY,
    report_id = ${reports[0]} WHERE id % 6 = 2`);
  await db.query(sql`DELETE FROM report_executions WHERE id % 9 = 4`);
  await db.query(sql`UPDATE reports SET provider = IF(provider = 'aws', 'gcp', 'aws')
    WHERE id = ${reports[seq % 3]}`);
}

const noDrift = async () =>
  expect((await rollupDrift(database.db)).map((d) => d.driftingCells)).toEqual([0, 0, 0, 0, 0]);

async function expectHistogramsExact() {
  for (const [table, [stored, expected]] of Object.entries(await rollupHistograms(database.db))) {
    expect(stored, `${table} histograms`).toEqual(expected);
  }
}

const pending = async () =>
  Number(
    (await queryOne<{ n: number }>(database.db, sql`SELECT COUNT(*) AS n FROM rollup_journal`))!.n,
  );

describe('upgrading to duration histograms in place', () => {
  it('fills every cell from the raw rows and keeps them exact through the upgrade and back', async () => {
    // The rows the old triggers journaled wait: the applier of this code needs 0014.
    await writeSome(30);
    expect(await pending()).toBeGreaterThan(0);

    await migrateUp(database.db, migrations);
    // Rows journaled by the old triggers are still waiting: they add nothing to a
    // histogram, which counts them from the raw rows already.
    expect(await pending()).toBeGreaterThan(0);
    await noDrift();
    await database.db.task((conn) => foldJournal(conn));
    await expectHistogramsExact();
    await noDrift();

    await writeSome();
    await noDrift();
    await database.db.task((conn) => foldJournal(conn));
    await expectHistogramsExact();

    // Down with rows waiting, rows journaled by 0012's triggers, and up again.
    await writeSome();
    await migrateDown(database.db, migrations.length - HISTOGRAMS, migrations);
    await writeSome();
    await migrateUp(database.db, migrations);
    await noDrift();
    await database.db.task((conn) => foldJournal(conn));
    await expectHistogramsExact();
    await noDrift();
  });
});
