import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne } from '../src/db/pool.js';
import { rollupDrift } from '../src/rollups/rollup-drift.js';
import { clearData, seedDatabase } from '../src/seed/generate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const run = promisify(execFile);
const now = new Date('2026-06-01T00:00:00.000Z');
const DAY = 86_400_000;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.db, { executions: 20_000, now });
});
afterAll(() => database.drop());

async function one(query: ReturnType<typeof sql>) {
  return (await queryOne<Record<string, unknown>>(database.db, query))!;
}

async function checksum() {
  const row = await one(sql`
    SELECT COUNT(*) AS n, SUM(CRC32(CONCAT_WS('|', id, report_id, executed_by, status, started_at,
      completed_at, duration_ms, output_size_bytes, row_count, error_message))) AS crc
    FROM report_executions`);
  return `${String(row.n)}:${String(row.crc)}`;
}

describe('seed', () => {
  it('writes 200 users, 2 000 reports and the asked executions over 365 days', async () => {
    const counts = await one(sql`
      SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM reports) AS reports,
             (SELECT COUNT(*) FROM report_executions) AS executions,
             (SELECT MIN(started_at) FROM report_executions) AS first_start,
             (SELECT MAX(started_at) FROM report_executions) AS last_start`);
    expect(Number(counts.users)).toBe(200);
    expect(Number(counts.reports)).toBe(2000);
    expect(Number(counts.executions)).toBe(20_000);
    expect((counts.first_start as Date).getTime()).toBeGreaterThanOrEqual(
      now.getTime() - 365 * DAY,
    );
    expect((counts.first_start as Date).getTime()).toBeLessThan(now.getTime() - 360 * DAY);
    expect((counts.last_start as Date).getTime()).toBeLessThan(now.getTime());
  });

  it('is realistic: every status, null durations, slow outliers and failure bursts', async () => {
    const statuses = await database.db.query(
      sql`SELECT status, COUNT(*) AS n FROM report_executions GROUP BY status`,
    );
    expect(statuses.map((row: { status: string }) => row.status).sort()).toEqual([
      'cancelled',
      'failed',
      'queued',
      'running',
      'success',
    ]);
    const shape = await one(sql`
      SELECT SUM(duration_ms IS NULL AND status IN ('success', 'failed', 'cancelled')) AS completed_without_duration,
             SUM(duration_ms > 300000) AS slow_outliers,
             SUM(status IN ('queued', 'running') AND started_at < ${new Date(now.getTime() - 3_600_000)}) AS stale_open,
             SUM(completed_at < started_at) AS backwards
      FROM report_executions`);
    expect(Number(shape.completed_without_duration)).toBeGreaterThan(0);
    expect(Number(shape.slow_outliers)).toBeGreaterThan(0);
    expect(Number(shape.stale_open)).toBe(0);
    expect(Number(shape.backwards)).toBe(0);
    const bursts = await one(sql`
      SELECT COUNT(*) AS n FROM (
        SELECT report_id, DATE(started_at) AS day FROM report_executions
        WHERE status IN ('success', 'failed', 'cancelled')
        GROUP BY report_id, DATE(started_at)
        HAVING COUNT(*) >= 3 AND SUM(status = 'failed') / COUNT(*) >= 0.5) AS burst_days`);
    expect(Number(bursts.n)).toBeGreaterThan(0);
  });

  it('is deterministic for the same seed and end time', async () => {
    const before = await checksum();
    await clearData(database.db);
    await seedDatabase(database.db, { executions: 20_000, now });
    expect(await checksum()).toBe(before);
  });

  it('runs from the CLI, refusing to mix with existing data unless --reset', async () => {
    const env = { ...process.env, DATABASE_URL: database.url };
    const cli = ['--import', 'tsx', 'src/cli.ts', 'seed', '--executions', '1000'];
    const refused = await run(process.execPath, cli, { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/already has data; pass --reset/) as string,
    });
    const { stdout } = await run(process.execPath, [...cli, '--reset'], { env });
    expect(stdout).toMatch(
      /Seeded 200 users, 2000 reports and 1000 executions in [\d.]+ s \([\d,]+ executions\/s\)/,
    );
  });

  it('builds the rollups to match the raw rows', async () => {
    expect((await rollupDrift(database.db)).map((d) => d.driftingCells)).toEqual([0, 0, 0, 0, 0]);
    const sums = await one(sql`SELECT (SELECT SUM(executions) FROM report_daily_rollup) AS rollup,
                                      (SELECT COUNT(*) FROM report_executions) AS raw`);
    expect(Number(sums.rollup)).toBe(Number(sums.raw));
    expect(Number(sums.raw)).toBeGreaterThan(0);
  });

  it('the maintenance command reports per task and exits 0, 3 on problems, 2 on bad usage', async () => {
    const env = { ...process.env, DATABASE_URL: database.url };
    const cli = ['--import', 'tsx', 'src/cli.ts', 'maintenance'];
    const clean = await run(process.execPath, [...cli, '--tasks', 'check,integrity'], { env });
    expect(clean.stdout).toMatch(/^CHECK: ok, 0 rows, \d+ ms$/m);
    expect(clean.stdout).toMatch(/^INTEGRITY: ok/m);

    await database.db.query(sql`UPDATE user_daily_rollup SET executions = executions + 1 LIMIT 1`);
    const drifted = await run(process.execPath, [...cli, '--tasks', 'INTEGRITY'], { env }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(drifted).toMatchObject({
      code: 3,
      stdout: expect.stringMatching(/PROBLEM user_daily_rollup: 1 cells differ/) as string,
    });
    const repaired = await run(process.execPath, [...cli, '--tasks', 'refresh_rollups,integrity'], {
      env,
    });
    expect(repaired.stdout).toMatch(/^INTEGRITY: ok/m);

    for (const bad of [
      ['--tasks', 'vacuum'],
      ['--tasks', 'cleanup'],
    ]) {
      const refused = await run(process.execPath, [...cli, ...bad], { env }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/tasks|retentionDays/) as string,
      });
    }
  });
});
