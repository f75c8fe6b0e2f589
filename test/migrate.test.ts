import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS_DIR,
  MigrationError,
  migrateDown,
  migrateUp,
  readMigrations,
} from '../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(() => database.drop());

async function tables() {
  const rows = await database.db.query(sql`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`);
  return rows.map((row: { name: string }) => row.name).sort();
}

async function views() {
  const rows = await database.db.query(sql`
    SELECT table_name AS name FROM information_schema.views WHERE table_schema = DATABASE()`);
  return rows.map((row: { name: string }) => row.name).sort();
}

async function columns(table: string) {
  const rows = await database.db.query(sql`
    SELECT column_name AS name, column_type AS type, is_nullable AS nullable
    FROM information_schema.columns
    WHERE table_schema = DATABASE() AND table_name = ${table} ORDER BY ordinal_position`);
  // MariaDB prints integer display widths (bigint(20)), MySQL 8 does not: compare without them.
  return rows.map(
    (row: { name: string; type: string; nullable: string }) =>
      `${row.name} ${row.type.replace(/int\(\d+\)/, 'int')}${row.nullable === 'YES' ? ' null' : ''}`,
  );
}

async function indexes(table: string) {
  const rows = await database.db.query(sql`
    SELECT index_name AS name, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
    FROM information_schema.statistics
    WHERE table_schema = DATABASE() AND table_name = ${table}
    GROUP BY index_name ORDER BY index_name`);
  return rows.map((row: { name: string; cols: string }) => `${row.name}(${row.cols})`).sort();
}

async function insertTriggers() {
  const rows = await database.db.query(sql`
    SELECT trigger_name AS name FROM information_schema.triggers
    WHERE trigger_schema = DATABASE() AND event_object_table = 'report_executions'
      AND event_manipulation = 'INSERT'
    ORDER BY action_order`);
  return rows.map((row: { name: string }) => row.name);
}

const ALL_TABLES = [
  'day_rollup',
  'dimension_hourly_rollup',
  'report_daily_rollup',
  'report_executions',
  'report_monthly_rollup',
  'reports',
  'schema_migrations',
  'user_daily_rollup',
  'users',
];

describe('migrations', () => {
  it('has an up and a down file for every version', () => {
    const migrations = readMigrations();
    expect(migrations.map((m) => `${m.version}-${m.name}`)).toEqual([
      '0001-create-users',
      '0002-create-reports',
      '0003-create-report-executions',
      '0004-create-performance-views',
      '0005-create-daily-rollups',
      '0006-create-dimension-rollup',
      '0007-index-window-scans',
      '0008-create-monthly-rollup',
      '0009-merge-insert-triggers',
      '0010-create-day-rollup',
    ]);
  });

  it('creates the contract tables once; a second run is a no-op', async () => {
    expect(await migrateUp(database.db)).toHaveLength(10);
    expect(await tables()).toEqual(ALL_TABLES);
    expect(await migrateUp(database.db)).toEqual([]);
    const recorded = await database.db.query(
      sql`SELECT version FROM schema_migrations ORDER BY version`,
    );
    expect(recorded.map((row: { version: string }) => row.version)).toEqual([
      '0001',
      '0002',
      '0003',
      '0004',
      '0005',
      '0006',
      '0007',
      '0008',
      '0009',
      '0010',
    ]);
    expect(await views()).toEqual([
      'mv_category_performance',
      'mv_daily_execution_metrics',
      'mv_execution_trends',
      'mv_performance_alerts',
      'mv_provider_performance',
      'mv_recent_executions',
      'mv_reports_summary',
      'mv_user_activity',
    ]);
  });

  it('names the columns exactly as the contract does', async () => {
    expect(await columns('users')).toEqual([
      'id bigint unsigned',
      'email varchar(255)',
      'display_name varchar(255)',
      "role enum('viewer','analyst','admin')",
      'created_at datetime(3)',
    ]);
  });

  it('has the columns and indexes the view queries need', async () => {
    expect(await columns('report_executions')).toEqual([
      'id bigint unsigned',
      'report_id bigint unsigned',
      'executed_by bigint unsigned null',
      "status enum('queued','running','success','failed','cancelled')",
      'started_at datetime(3)',
      'completed_at datetime(3) null',
      'duration_ms int unsigned null',
      'output_size_bytes bigint unsigned null',
      'row_count int unsigned null',
      'error_message text null',
    ]);
    const reportColumns = (await columns('reports')).map((c) => c.split(' ')[0]);
    expect(reportColumns).toEqual([
      'id',
      'name',
      'description',
      'category',
      'provider',
      'owner_id',
      'is_active',
      'parameters',
      'created_at',
      'updated_at',
    ]);
    expect(await indexes('report_executions')).toEqual(
      [
        'PRIMARY(id)',
        'ix_executions_report_started(report_id,started_at)',
        'ix_executions_started(started_at)',
        'ix_executions_started_measures(started_at,report_id,executed_by,status,duration_ms,output_size_bytes)',
        'ix_executions_duration_started(duration_ms,started_at)',
        'ix_executions_user_started(executed_by,started_at)',
      ].sort(),
    );
  });

  it('rolls back the last N with --down and migrates up again', async () => {
    expect(await migrateDown(database.db, 9)).toEqual([
      '0010-create-day-rollup',
      '0009-merge-insert-triggers',
      '0008-create-monthly-rollup',
      '0007-index-window-scans',
      '0006-create-dimension-rollup',
      '0005-create-daily-rollups',
      '0004-create-performance-views',
      '0003-create-report-executions',
      '0002-create-reports',
    ]);
    expect(await tables()).toEqual(['schema_migrations', 'users']);
    expect(await views()).toEqual([]);
    expect(await migrateUp(database.db)).toEqual([
      '0002-create-reports',
      '0003-create-report-executions',
      '0004-create-performance-views',
      '0005-create-daily-rollups',
      '0006-create-dimension-rollup',
      '0007-index-window-scans',
      '0008-create-monthly-rollup',
      '0009-merge-insert-triggers',
      '0010-create-day-rollup',
    ]);
    expect(await tables()).toEqual(ALL_TABLES);
    expect(await views()).toHaveLength(8);
  });

  it('keeps one compound insert trigger, sent to the server intact; down restores the four', async () => {
    expect(await insertTriggers()).toEqual(['report_executions_after_insert']);
    expect(await migrateDown(database.db, 2)).toEqual([
      '0010-create-day-rollup',
      '0009-merge-insert-triggers',
    ]);
    expect(await insertTriggers()).toEqual([
      'report_executions_insert_report_day',
      'report_executions_insert_user_day',
      'report_executions_insert_dimension_hour',
      'report_executions_insert_report_month',
    ]);
    expect(await migrateUp(database.db)).toEqual([
      '0009-merge-insert-triggers',
      '0010-create-day-rollup',
    ]);
    expect(await insertTriggers()).toEqual(['report_executions_after_insert']);
  });

  it('stops at a failing migration, naming the file and the server message', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    writeFileSync(
      path.join(dir, '0090-broken.up.sql'),
      'CREATE TABLE broken (id INT NOT NULL PRIMARY KEY, id INT);',
    );
    writeFileSync(path.join(dir, '0090-broken.down.sql'), 'DROP TABLE broken;');
    writeFileSync(path.join(dir, '0091-later.up.sql'), 'CREATE TABLE later (id INT);');
    writeFileSync(path.join(dir, '0091-later.down.sql'), 'DROP TABLE later;');
    const migrations = [...readMigrations(), ...readMigrations(dir)];

    await expect(migrateUp(database.db, migrations)).rejects.toThrowError(MigrationError);
    await expect(migrateUp(database.db, migrations)).rejects.toThrowError(
      /migration 0090-broken\.up\.sql failed: .*Duplicate column name 'id'/,
    );
    expect(await tables()).not.toContain('later');
    const recorded = await database.db.query(sql`SELECT version FROM schema_migrations`);
    expect(recorded.map((row: { version: string }) => row.version)).not.toContain('0090');
  });

  it('refuses a folder with an up file but no down file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    writeFileSync(path.join(dir, '0001-lonely.up.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrowError(/0001-lonely needs both/);
    expect(MIGRATIONS_DIR).toMatch(/sql\/migrations\/$/);
  });
});
