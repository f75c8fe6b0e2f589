/**
 * Every version of the schema is reachable both ways and means the same: one database
 * is migrated step by step through every version (with rows written between the steps),
 * another from scratch in one call, and their schemas, read from information_schema,
 * are equal. Walking back with --down one step at a time returns each earlier schema.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type SQLQuery } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, readMigrations } from '../src/db/migrate.js';
import { queryRows, type Database } from '../src/db/pool.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';

type Row = Record<string, unknown>;

const migrations = readMigrations();
let stepwise: TestDatabase;
let scratch: TestDatabase;

beforeAll(async () => {
  [stepwise, scratch] = await Promise.all([
    createTestDatabase({ migrate: false }),
    createTestDatabase({ migrate: false }),
  ]);
  expect(await migrateUp(scratch.db, migrations)).toHaveLength(migrations.length);
});
afterAll(async () => {
  await Promise.all([stepwise?.drop(), scratch?.drop()]);
});

const SCHEMA_QUERIES: Record<string, SQLQuery> = {
  tables: sql`
    SELECT table_name AS name, engine, table_collation AS collation
    FROM information_schema.tables
    WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
    ORDER BY name`,
  // Views' columns included.
  columns: sql`
    SELECT table_name AS tbl, column_name AS name, ordinal_position AS position,
      column_type AS type, is_nullable AS nullable, column_default AS dflt,
      collation_name AS collation, extra
    FROM information_schema.columns
    WHERE table_schema = DATABASE()
    ORDER BY tbl, position`,
  indexes: sql`
    SELECT table_name AS tbl, index_name AS name, non_unique, seq_in_index AS seq,
      column_name AS col, sub_part, index_type AS type
    FROM information_schema.statistics
    WHERE table_schema = DATABASE()
    ORDER BY tbl, name, seq`,
  foreignKeys: sql`
    SELECT k.table_name AS tbl, k.constraint_name AS name, k.column_name AS col,
      k.referenced_table_name AS ref_tbl, k.referenced_column_name AS ref_col,
      rc.update_rule, rc.delete_rule
    FROM information_schema.key_column_usage k
    JOIN information_schema.referential_constraints rc
      ON rc.constraint_schema = k.constraint_schema AND rc.constraint_name = k.constraint_name
        AND rc.table_name = k.table_name
    WHERE k.table_schema = DATABASE()
    ORDER BY tbl, name, k.ordinal_position`,
  checks: sql`
    SELECT tc.table_name AS tbl, tc.constraint_name AS name, cc.check_clause AS clause
    FROM information_schema.table_constraints tc
    JOIN information_schema.check_constraints cc
      ON cc.constraint_schema = tc.constraint_schema AND cc.constraint_name = tc.constraint_name
    WHERE tc.table_schema = DATABASE() AND tc.constraint_type = 'CHECK'
    ORDER BY tbl, name`,
  // action_order too: triggers of one event fire in creation order, and the monthly
  // rollup's triggers rely on running after the daily ones.
  triggers: sql`
    SELECT trigger_name AS name, event_object_table AS tbl, action_timing AS timing,
      event_manipulation AS event, action_order, action_statement AS statement
    FROM information_schema.triggers
    WHERE trigger_schema = DATABASE()
    ORDER BY tbl, timing, event, action_order`,
  views: sql`
    SELECT table_name AS name, view_definition AS definition, check_option,
      is_updatable, security_type
    FROM information_schema.views
    WHERE table_schema = DATABASE()
    ORDER BY name`,
  routines: sql`
    SELECT routine_name AS name, routine_type AS type, routine_definition AS definition
    FROM information_schema.routines
    WHERE routine_schema = DATABASE()
    ORDER BY name`,
  events: sql`
    SELECT event_name AS name, event_definition AS definition, interval_value,
      interval_field, status
    FROM information_schema.events
    WHERE event_schema = DATABASE()
    ORDER BY name`,
};

/** The schema of `database`, with its own name taken out of view definitions. */
async function schemaOf(database: TestDatabase): Promise<Record<string, Row[]>> {
  const ownName = new RegExp(`\`${database.name}\`\\.`, 'g');
  const schema: Record<string, Row[]> = {};
  for (const [part, query] of Object.entries(SCHEMA_QUERIES)) {
    const rows = await queryRows<Row>(database.db, query);
    schema[part] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => [
          key,
          typeof value === 'string' ? value.replace(ownName, '') : value,
        ]),
      ),
    );
  }
  return schema;
}

const DAY = 86_400_000;

/** A few writes of the kinds the application makes, for whatever tables `version` has. */
async function writeRows(db: Database, version: string, step: number) {
  const user = await insertUser(db);
  if (version < '0002') return;
  const provider = ['aws', 'gcp', 'azure'][step % 3];
  const report = await insertReport(db, { owner_id: user, provider });
  if (version < '0003') return;
  // Weeks apart, so the rows fall into several days and months.
  const start = Date.UTC(2024, 0, 1) + step * 9 * DAY;
  const ids: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    ids.push(
      await insertExecution(db, report, new Date(start + i * 7 * 3_600_000), {
        executed_by: i % 2 === 0 ? user : null,
        status: i === 3 ? 'running' : 'success',
        duration_ms: 1_000 * (i + 1),
        output_size_bytes: 100 * (i + 1),
      }),
    );
  }
  await db.query(
    sql`UPDATE report_executions SET status = 'failed', duration_ms = 9000 WHERE id = ${ids[3]}`,
  );
  await db.query(sql`DELETE FROM report_executions WHERE id = ${ids[1]}`);
}

// Each rollup of migrations 0005–0010 against its recomputation from raw rows, in
// plain SQL. Those migrations kept the rollups inside every write, so at each of
// those versions the rollups equal the raw rows; later versions may fold
// writes in later, so they are not checked here.
const ROLLUP_CHECKS: { since: string; rollup: SQLQuery; raw: SQLQuery }[] = [
  {
    since: '0005',
    rollup: sql`
      SELECT DATE_FORMAT(bucket_date, '%Y-%m-%d') AS d, report_id AS k,
        CAST(executions AS SIGNED) AS n, CAST(successes AS SIGNED) AS ok,
        CAST(duration_sum AS SIGNED) AS ms
      FROM report_daily_rollup WHERE executions > 0 ORDER BY d, k`,
    raw: sql`
      SELECT DATE_FORMAT(started_at, '%Y-%m-%d') AS d, report_id AS k,
        CAST(COUNT(*) AS SIGNED) AS n, CAST(SUM(status = 'success') AS SIGNED) AS ok,
        CAST(COALESCE(SUM(duration_ms), 0) AS SIGNED) AS ms
      FROM report_executions GROUP BY d, k ORDER BY d, k`,
  },
  {
    since: '0005',
    rollup: sql`
      SELECT DATE_FORMAT(bucket_date, '%Y-%m-%d') AS d, executed_by AS k,
        CAST(executions AS SIGNED) AS n, CAST(duration_sum AS SIGNED) AS ms
      FROM user_daily_rollup WHERE executions > 0 ORDER BY d, k`,
    raw: sql`
      SELECT DATE_FORMAT(started_at, '%Y-%m-%d') AS d, executed_by AS k,
        CAST(COUNT(*) AS SIGNED) AS n, CAST(COALESCE(SUM(duration_ms), 0) AS SIGNED) AS ms
      FROM report_executions WHERE executed_by IS NOT NULL GROUP BY d, k ORDER BY d, k`,
  },
  {
    since: '0006',
    rollup: sql`
      SELECT DATE_FORMAT(bucket_hour, '%Y-%m-%d %H') AS h, provider AS p,
        CAST(executions AS SIGNED) AS n, CAST(total_output_bytes AS SIGNED) AS bytes
      FROM dimension_hourly_rollup WHERE executions > 0 ORDER BY h, p`,
    raw: sql`
      SELECT DATE_FORMAT(e.started_at, '%Y-%m-%d %H') AS h, r.provider AS p,
        CAST(COUNT(*) AS SIGNED) AS n, CAST(COALESCE(SUM(e.output_size_bytes), 0) AS SIGNED) AS bytes
      FROM report_executions e JOIN reports r ON r.id = e.report_id
      GROUP BY h, p ORDER BY h, p`,
  },
  {
    since: '0008',
    rollup: sql`
      SELECT DATE_FORMAT(bucket_month, '%Y-%m') AS m, report_id AS k,
        CAST(executions AS SIGNED) AS n, CAST(max_duration_ms AS SIGNED) AS top
      FROM report_monthly_rollup WHERE executions > 0 ORDER BY m, k`,
    raw: sql`
      SELECT DATE_FORMAT(started_at, '%Y-%m') AS m, report_id AS k,
        CAST(COUNT(*) AS SIGNED) AS n, CAST(MAX(duration_ms) AS SIGNED) AS top
      FROM report_executions GROUP BY m, k ORDER BY m, k`,
  },
  {
    since: '0010',
    rollup: sql`
      SELECT DATE_FORMAT(bucket_date, '%Y-%m-%d') AS d, CAST(executions AS SIGNED) AS n,
        CAST(reports AS SIGNED) AS reports, CAST(users AS SIGNED) AS users
      FROM day_rollup WHERE executions > 0 ORDER BY d`,
    raw: sql`
      SELECT DATE_FORMAT(started_at, '%Y-%m-%d') AS d, CAST(COUNT(*) AS SIGNED) AS n,
        CAST(COUNT(DISTINCT report_id) AS SIGNED) AS reports,
        CAST(COUNT(DISTINCT executed_by) AS SIGNED) AS users
      FROM report_executions GROUP BY d ORDER BY d`,
  },
];

async function expectRollupsExact(db: Database, version: string) {
  for (const check of ROLLUP_CHECKS) {
    if (version < check.since || version > '0010') continue;
    const [rollup, raw] = [await queryRows(db, check.rollup), await queryRows(db, check.raw)];
    expect(raw.length, `rows written before ${version}`).toBeGreaterThan(0);
    expect(rollup, `rollup since ${check.since} at version ${version}`).toEqual(raw);
  }
}

describe('migration history', () => {
  // Filled by the first test and read by the next ones, in order.
  const schemaAt: Record<string, Record<string, Row[]>> = {};

  it('reaches the same schema step by step (writing rows between steps) as from scratch', async () => {
    expect(await migrateUp(stepwise.db, [])).toEqual([]);
    schemaAt['0000'] = await schemaOf(stepwise);
    for (const [step, m] of migrations.entries()) {
      expect(await migrateUp(stepwise.db, migrations.slice(0, step + 1))).toEqual([
        `${m.version}-${m.name}`,
      ]);
      await writeRows(stepwise.db, m.version, step);
      await expectRollupsExact(stepwise.db, m.version);
      schemaAt[m.version] = await schemaOf(stepwise);
    }

    const fromScratch = await schemaOf(scratch);
    // Not two empty readings: the comparison covers every kind of object.
    expect(fromScratch.tables!.length).toBeGreaterThanOrEqual(9);
    expect(fromScratch.views!.length).toBe(8);
    expect(fromScratch.triggers!.length).toBeGreaterThan(0);
    expect(fromScratch.foreignKeys!.length).toBeGreaterThan(0);
    expect(schemaAt[migrations.at(-1)!.version]).toEqual(fromScratch);
  });

  it('returns to each earlier schema, one --down at a time', async () => {
    const versions = ['0000', ...migrations.map((m) => m.version)];
    for (let i = versions.length - 1; i > 0; i -= 1) {
      const m = migrations[i - 1]!;
      expect(await migrateDown(stepwise.db, 1)).toEqual([`${m.version}-${m.name}`]);
      expect(await schemaOf(stepwise), `schema after rolling back ${m.version}`).toEqual(
        schemaAt[versions[i - 1]!],
      );
    }
  });

  it('has in sql/views the definitions the migrations create', async () => {
    const viewsDir = fileURLToPath(new URL('../sql/views/', import.meta.url));
    const migrated = (await schemaOf(scratch)).views;
    for (const file of readdirSync(viewsDir)) {
      const results = scratch.db.queryStream(sql.file(`${viewsDir}${file}`));
      for await (const result of results) void result;
    }
    expect((await schemaOf(scratch)).views).toEqual(migrated);
  });
});
