import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS_DIR,
  MigrationChangedError,
  MigrationError,
  migrateDown,
  migrateUp,
  readMigrations,
  type Migration,
} from '../src/db/migrate.js';
import { queryOne } from '../src/db/pool.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let database: TestDatabase;
// Later migrations (0011 on) may add tables and triggers: the checks here pin what
// the first ten give, and count the rest from the folder.
const migrations = readMigrations();
const names = (list: Migration[]) => list.map((m) => `${m.version}-${m.name}`);

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
    expect(names(migrations).slice(0, 10)).toEqual([
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
    // Consecutive versions from 0001.
    expect(migrations.map((m) => Number(m.version))).toEqual(migrations.map((_m, i) => i + 1));
  });

  it('creates the contract tables once; a second run is a no-op', async () => {
    expect(await migrateUp(database.db)).toHaveLength(migrations.length);
    expect(await tables()).toEqual(expect.arrayContaining(ALL_TABLES));
    expect(await migrateUp(database.db)).toEqual([]);
    const recorded = await database.db.query(
      sql`SELECT version FROM schema_migrations ORDER BY version`,
    );
    expect(recorded.map((row: { version: string }) => row.version)).toEqual(
      migrations.map((m) => m.version),
    );
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
    const allButFirst = names(migrations.slice(1));
    expect(await migrateDown(database.db, allButFirst.length)).toEqual([...allButFirst].reverse());
    expect(await tables()).toEqual(['schema_migrations', 'users']);
    expect(await views()).toEqual([]);
    expect(await migrateUp(database.db)).toEqual(allButFirst);
    expect(await tables()).toEqual(expect.arrayContaining(ALL_TABLES));
    expect(await views()).toHaveLength(8);
  });

  it('0009 makes one compound insert trigger, sent to the server intact; down restores the four', async () => {
    const from0009 = names(migrations.slice(8));
    expect(await migrateDown(database.db, from0009.length)).toEqual([...from0009].reverse());
    expect(await insertTriggers()).toEqual([
      'report_executions_insert_report_day',
      'report_executions_insert_user_day',
      'report_executions_insert_dimension_hour',
      'report_executions_insert_report_month',
    ]);
    expect(await migrateUp(database.db, migrations.slice(0, 9))).toEqual([
      '0009-merge-insert-triggers',
    ]);
    expect(await insertTriggers()).toEqual(['report_executions_after_insert']);
    expect(await migrateUp(database.db)).toEqual(from0009.slice(1));
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
    const withBroken = [...migrations, ...readMigrations(dir)];

    await expect(migrateUp(database.db, withBroken)).rejects.toThrowError(MigrationError);
    await expect(migrateUp(database.db, withBroken)).rejects.toThrowError(
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

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the migrations folder that a test may edit. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  copies.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function recordedChecksums(db: TestDatabase['db']) {
  const rows = await db.query(
    sql`SELECT version, checksum FROM schema_migrations ORDER BY version`,
  );
  return rows.map((row: { version: string; checksum: string | null }) => [
    row.version,
    row.checksum,
  ]);
}

describe('applied migrations never change', () => {
  let applied: TestDatabase;
  beforeAll(async () => {
    applied = await createTestDatabase();
  });
  afterAll(() => applied.drop());

  it('records the sha256 of each migration file as applied', async () => {
    expect(await recordedChecksums(applied.db)).toEqual(
      migrations.map((m) => [m.version, sha256(m.upFile)]),
    );
  });

  it('refuses a database whose applied migration differs from its file, naming the file', async () => {
    const dir = copyOfMigrations();
    appendFileSync(path.join(dir, '0005-create-daily-rollups.up.sql'), '\n-- an afterthought\n');
    const error = await migrateUp(applied.db, readMigrations(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationChangedError);
    expect((error as Error).message).toMatch(
      /^migration 0005-create-daily-rollups\.up\.sql was changed after it was applied \(checksum [0-9a-f]{12}…≠[0-9a-f]{12}…\)/,
    );
    // The unchanged folder still passes.
    expect(await migrateUp(applied.db)).toEqual([]);
  });

  it('lets --down roll back a changed migration, which is then applied as it now is', async () => {
    const dir = copyOfMigrations();
    const last = migrations.at(-1)!;
    const changedFile = path.join(dir, path.basename(last.upFile));
    appendFileSync(changedFile, '\n-- changed before anyone else applied it\n');
    const changed = readMigrations(dir);
    await expect(migrateUp(applied.db, changed)).rejects.toThrowError(MigrationChangedError);

    expect(await migrateDown(applied.db, 1, changed)).toEqual(names([last]));
    expect(await migrateUp(applied.db, changed)).toEqual(names([last]));
    expect((await recordedChecksums(applied.db)).at(-1)).toEqual([
      last.version,
      sha256(changedFile),
    ]);

    // Back to the real file the same way.
    await expect(migrateUp(applied.db)).rejects.toThrowError(MigrationChangedError);
    expect(await migrateDown(applied.db, 1)).toEqual(names([last]));
    expect(await migrateUp(applied.db)).toEqual(names([last]));
  });

  it('records checksums in a database migrated before they existed', async () => {
    // The table as older runners made it: no checksum column.
    await applied.db.query(sql`ALTER TABLE schema_migrations DROP COLUMN checksum`);
    expect(await migrateUp(applied.db)).toEqual([]);
    expect(await recordedChecksums(applied.db)).toEqual(
      migrations.map((m) => [m.version, sha256(m.upFile)]),
    );

    // A checksum left NULL (the column added, the run cut short) is filled the same way;
    // from then on a change is refused.
    await applied.db.query(
      sql`UPDATE schema_migrations SET checksum = NULL WHERE version = '0004'`,
    );
    expect(await migrateUp(applied.db)).toEqual([]);
    expect((await recordedChecksums(applied.db))[3]).toEqual([
      '0004',
      sha256(migrations[3]!.upFile),
    ]);
    const dir = copyOfMigrations();
    appendFileSync(path.join(dir, '0004-create-performance-views.up.sql'), '\n-- later\n');
    await expect(migrateUp(applied.db, readMigrations(dir))).rejects.toThrowError(
      /migration 0004-create-performance-views\.up\.sql was changed after it was applied/,
    );
  });

  it('refuses a migration that includes another file, applying nothing of it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    writeFileSync(
      path.join(dir, '0090-legacy.up.sql'),
      'CREATE TABLE legacy (id INT);\n-- include: ../views/mv_reports_summary.sql\n',
    );
    writeFileSync(path.join(dir, '0090-legacy.down.sql'), 'DROP TABLE legacy;');
    await expect(
      migrateUp(applied.db, [...migrations, ...readMigrations(dir)]),
    ).rejects.toThrowError(
      /migration 0090-legacy\.up\.sql failed: "-- include: \.\.\/views\/mv_reports_summary\.sql": a migration holds its whole SQL/,
    );
    const legacy = await queryOne<{ n: number }>(
      applied.db,
      sql`SELECT COUNT(*) AS n FROM information_schema.tables
          WHERE table_schema = DATABASE() AND table_name = 'legacy'`,
    );
    expect(Number(legacy?.n)).toBe(0);
    expect((await recordedChecksums(applied.db)).map(([version]) => version)).not.toContain('0090');
  });

  it('keeps no include line in any migration file', () => {
    for (const m of migrations) {
      for (const file of [m.upFile, m.downFile]) {
        expect(readFileSync(file, 'utf8'), file).not.toMatch(/^--[ \t]*include:/m);
      }
    }
  });
});
