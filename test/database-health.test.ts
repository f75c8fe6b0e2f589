/**
 * databaseHealth through yoga: the server version, every table with exact counts
 * (small tables) or labelled estimates (large ones) and its bytes, and rollup lag
 * that shows executions written without rollup upkeep.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import { EXACT_ROWS_UP_TO, HEALTH_TABLES } from '../src/maintenance/database-health.js';
import { ROLLUP_TABLES } from '../src/rollups/rollup-tables.js';
import { RollupApplier } from '../src/rollups/applier.js';
import { eventually } from './helpers/eventually.js';
import { DatabaseHealthDocument } from './gql/graphql.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const VIEWER = 'viewer-key-0123456789';
let gateway: TestGateway;
let report: string;
let user: string;

beforeAll(async () => {
  gateway = await createTestGateway();
  report = await insertReport(gateway.db);
  user = await insertUser(gateway.db);
  for (const startedAt of ['2026-05-01T09:00:00Z', '2026-05-01T10:30:00Z']) {
    await insertExecution(gateway.db, report, startedAt, { executed_by: user });
  }
  await gateway.fold();
});
afterAll(() => gateway.drop());

async function health() {
  const result = await gateway.execute(DatabaseHealthDocument);
  expect(result.errors).toBeUndefined();
  return result.data!.databaseHealth;
}

const byTable = <T extends { table: string }>(rows: T[]) =>
  Object.fromEntries(rows.map((row) => [row.table, row]));

describe('databaseHealth', () => {
  it('reports the server version and the database, as the server states them', async () => {
    const server = await queryOne<{ version: string; name: string }>(
      gateway.db,
      sql`SELECT VERSION() AS version, DATABASE() AS name`,
    );
    const answer = await health();
    expect(answer.serverVersion).toBe(server?.version);
    expect(answer.database).toBe(server?.name);
  });

  it('lists every table with exact counts for small tables and their bytes', async () => {
    const answer = await health();
    expect(answer.tables.map((t) => t.name)).toEqual(HEALTH_TABLES);
    const tables = Object.fromEntries(answer.tables.map((t) => [t.name, t]));
    expect(tables.users).toMatchObject({ rows: '1', rowsExact: true });
    expect(tables.reports).toMatchObject({ rows: '1', rowsExact: true });
    expect(tables.report_executions).toMatchObject({ rows: '2', rowsExact: true });
    // One report-day cell, one hour cell per execution, one day.
    expect(tables.report_daily_rollup).toMatchObject({ rows: '1', rowsExact: true });
    expect(tables.dimension_hourly_rollup).toMatchObject({ rows: '2', rowsExact: true });
    expect(tables.day_rollup).toMatchObject({ rows: '1', rowsExact: true });
    for (const table of answer.tables) {
      // InnoDB gives every table at least one 16 KiB page.
      expect(Number(table.dataBytes)).toBeGreaterThanOrEqual(16_384);
      expect(Number(table.indexBytes)).toBeGreaterThanOrEqual(0);
    }
    // Three secondary indexes and more.
    expect(Number(tables.report_executions!.indexBytes)).toBeGreaterThanOrEqual(3 * 16_384);
  });

  it('shows every rollup in step with the newest execution', async () => {
    const answer = await health();
    expect(answer.newestExecutionAt).toBe('2026-05-01T10:30:00.000Z');
    const lag = byTable(answer.rollupLag);
    expect(Object.keys(lag)).toEqual(ROLLUP_TABLES.map((r) => r.table));
    expect(lag.report_daily_rollup).toEqual({
      table: 'report_daily_rollup',
      granularity: 'DAY',
      newestBucket: '2026-05-01T00:00:00.000Z',
      inStep: true,
      lagSeconds: 0,
    });
    expect(lag.dimension_hourly_rollup).toMatchObject({
      granularity: 'HOUR',
      newestBucket: '2026-05-01T10:00:00.000Z',
      inStep: true,
    });
    expect(lag.report_monthly_rollup).toMatchObject({ newestBucket: '2026-05-01T00:00:00.000Z' });
    expect(answer.rollupLag.every((r) => r.inStep && r.lagSeconds === 0)).toBe(true);
  });

  it('measures the user rollup against executions with a user', async () => {
    // A later day's execution without a user: nothing for user_daily_rollup to hold.
    await insertExecution(gateway.db, report, '2026-05-02T08:00:00Z', { executed_by: null });
    await gateway.fold();
    const lag = byTable((await health()).rollupLag);
    expect(lag.user_daily_rollup).toMatchObject({
      newestBucket: '2026-05-01T00:00:00.000Z',
      inStep: true,
    });
    expect(lag.report_daily_rollup).toMatchObject({
      newestBucket: '2026-05-02T00:00:00.000Z',
      inStep: true,
    });
  });

  it('shows the lag of executions written without rollup upkeep', async () => {
    // The insert trigger stands aside for bulk writers that then forget their upkeep.
    await gateway.db.task(async (connection) => {
      await connection.query(sql`SET @rollups_by_statement = 1`);
      try {
        await connection.query(sql`
          INSERT INTO report_executions (report_id, executed_by, status, started_at)
          VALUES (${report}, ${user}, 'success', ${new Date('2026-05-03T12:00:00Z')})`);
      } finally {
        await connection.query(sql`SET @rollups_by_statement = NULL`);
      }
    });
    await gateway.fold();
    const answer = await health();
    expect(answer.newestExecutionAt).toBe('2026-05-03T12:00:00.000Z');
    const lag = byTable(answer.rollupLag);
    // Newest daily bucket 2026-05-02 ends at 05-03 00:00: twelve hours short.
    expect(lag.report_daily_rollup).toMatchObject({ inStep: false, lagSeconds: 12 * 3600 });
    expect(lag.day_rollup).toMatchObject({ inStep: false, lagSeconds: 12 * 3600 });
    // The user rollup's newest bucket is 05-01: a day and a half short.
    expect(lag.user_daily_rollup).toMatchObject({ inStep: false, lagSeconds: 36 * 3600 });
    // Newest hour 05-02 08:00 ends at 09:00.
    expect(lag.dimension_hourly_rollup).toMatchObject({ inStep: false, lagSeconds: 27 * 3600 });
    // Still May: the month bucket exists (bucket precision; INTEGRITY finds the rest).
    expect(lag.report_monthly_rollup).toMatchObject({ inStep: true, lagSeconds: 0 });
  });

  it('shows the journal backlog and whether an applier folds it', async () => {
    expect((await health()).rollupJournal).toEqual({
      pendingRows: 0,
      oldestPendingMs: 0,
      applierRunning: false,
    });
    await insertExecution(gateway.db, report, '2026-05-04T08:00:00Z', { executed_by: user });
    await insertExecution(gateway.db, report, '2026-05-04T09:00:00Z', { executed_by: user });
    const pending = (await health()).rollupJournal;
    expect(pending).toMatchObject({ pendingRows: 2, applierRunning: false });
    expect(pending.oldestPendingMs).toBeGreaterThanOrEqual(0);

    const applier = new RollupApplier(gateway.db, { intervalMs: 50 });
    applier.start();
    try {
      await eventually(() => applier.status.foldedRows === 2);
      expect((await health()).rollupJournal).toEqual({
        pendingRows: 0,
        oldestPendingMs: 0,
        applierRunning: true,
      });
    } finally {
      await applier.stop();
    }
    expect((await health()).rollupJournal.applierRunning).toBe(false);
  });

  it('labels the rows of a large table as an estimate', async () => {
    const rows = EXACT_ROWS_UP_TO + 10_000;
    // A cross join of digits gives the rows without a recursive CTE's depth limit.
    await gateway.db.query(sql`
      INSERT INTO users (email, display_name, role)
      SELECT CONCAT('bulk', n, '@example.com'), CONCAT('Bulk ', n), 'viewer'
      FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n
            FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL
                  SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL
                  SELECT 8 UNION ALL SELECT 9) a,
                 (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL
                  SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL
                  SELECT 8 UNION ALL SELECT 9) b,
                 (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL
                  SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL
                  SELECT 8 UNION ALL SELECT 9) c,
                 (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL
                  SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL
                  SELECT 8 UNION ALL SELECT 9) e,
                 (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL
                  SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL
                  SELECT 8 UNION ALL SELECT 9) f) digits
      WHERE n < ${rows}`);
    await gateway.db.query(sql`ANALYZE TABLE users`);
    const users = (await health()).tables.find((t) => t.name === 'users')!;
    expect(users.rowsExact).toBe(false);
    // InnoDB samples pages: an estimate, but of the right size.
    expect(Number(users.rows)).toBeGreaterThan(rows / 2);
    expect(Number(users.rows)).toBeLessThan(rows * 2);
  });

  it('is a read: refused without a key when API_KEYS is set, answered for a viewer', async () => {
    const keyed = loadConfig({ API_KEYS: `viewer:${VIEWER}` });
    const guarded = await createTestGateway({
      apiKeys: keyed.apiKeys,
      readsNeedKey: keyed.readsNeedKey,
    });
    try {
      const query = '{ databaseHealth { serverVersion } }';
      const anonymous = (await (await guarded.post({ query })).json()) as {
        errors?: { extensions?: { code?: string } }[];
      };
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const viewer = (await (
        await guarded.post({ query }, { authorization: `Bearer ${VIEWER}` })
      ).json()) as { data?: { databaseHealth?: { serverVersion?: string } } };
      expect(viewer.data?.databaseHealth?.serverVersion).toMatch(/^\d+\.\d+/);
    } finally {
      await guarded.drop();
    }
  });
});
