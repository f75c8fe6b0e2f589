/**
 * The two databases the write-tax benchmark compares, rebuilt at every run on one
 * server: "upkeep", fully migrated and seeded by the project's own seeder (so it has
 * whatever rollup upkeep the code has), and "plain", the same migrations and the
 * same rows with every trigger dropped. The triggers are read from
 * information_schema, never named here, so this holds whatever the upkeep is.
 */
import mysql from 'mysql2/promise';
import { migrateUp } from '../src/db/migrate.js';
import { openPool } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { databaseUrl, rows, type Side } from './write-tax-sessions.js';

export interface WriteTaxDatabases {
  upkeep: Side;
  plain: Side;
  /** The triggers of the upkeep database, all dropped in the plain one. */
  triggers: string[];
  executions: number;
  seedSeconds: number;
}

// Neither copied: the plain database keeps its own migration record and has no upkeep.
const NOT_COPIED = new Set(['schema_migrations', 'rollup_journal']);

async function recreate(serverUrl: string, database: string) {
  const admin = await mysql.createConnection(serverUrl);
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    // The embedded server's defaults, whatever this server's are: both runs compare alike.
    await admin.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await admin.end();
  }
}

async function migrate(url: string) {
  const db = openPool(url);
  try {
    await migrateUp(db);
  } finally {
    await db.dispose();
  }
}

/** Drops `upkeep` and `plain` if present, builds both again and fills them alike. */
export async function prepareDatabases(
  serverUrl: string,
  names: { upkeep: string; plain: string },
  executions: number,
  say: (line: string) => void,
): Promise<WriteTaxDatabases> {
  const upkeep: Side = {
    label: 'upkeep',
    database: names.upkeep,
    url: databaseUrl(serverUrl, names.upkeep),
  };
  const plain: Side = {
    label: 'plain',
    database: names.plain,
    url: databaseUrl(serverUrl, names.plain),
  };
  await recreate(serverUrl, upkeep.database);
  await recreate(serverUrl, plain.database);
  await migrate(upkeep.url);
  await migrate(plain.url);

  say(`Seeding ${executions.toLocaleString('en')} executions into ${upkeep.database}…`);
  const seedDb = openPool(upkeep.url);
  let seedSeconds: number;
  try {
    seedSeconds = (await seedDatabase(seedDb, { executions })).seconds;
  } finally {
    await seedDb.dispose();
  }

  const conn = await mysql.createConnection(serverUrl);
  try {
    const triggers = (
      await rows<{ name: string }>(
        conn,
        `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS
          WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME`,
        [plain.database],
      )
    ).map((t) => t.name);
    for (const name of triggers) {
      await conn.query(`DROP TRIGGER \`${plain.database}\`.\`${name}\``);
    }

    say(`Copying the seeded rows into ${plain.database}…`);
    const tables = (
      await rows<{ name: string }>(
        conn,
        `SELECT TABLE_NAME AS name FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
        [upkeep.database],
      )
    )
      .map((t) => t.name)
      .filter((name) => !NOT_COPIED.has(name));
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of tables) {
      const columns = (
        await rows<{ name: string }>(
          conn,
          `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND EXTRA NOT LIKE '%GENERATED%'
            ORDER BY ORDINAL_POSITION`,
          [plain.database, table],
        )
      )
        .map((c) => `\`${c.name}\``)
        .join(', ');
      await conn.query(`DELETE FROM \`${plain.database}\`.\`${table}\``);
      await conn.query(
        `INSERT INTO \`${plain.database}\`.\`${table}\` (${columns})
         SELECT ${columns} FROM \`${upkeep.database}\`.\`${table}\``,
      );
    }
    await conn.query('SET FOREIGN_KEY_CHECKS = 1');

    for (const side of [upkeep, plain]) {
      const [count] = await rows<{ n: number | string }>(
        conn,
        `SELECT COUNT(*) AS n FROM \`${side.database}\`.report_executions`,
      );
      if (Number(count?.n) !== executions) {
        throw new Error(
          `${side.database} holds ${count?.n} executions after seeding, expected ${executions}`,
        );
      }
      await conn.query(
        `ANALYZE TABLE \`${side.database}\`.report_executions, \`${side.database}\`.reports,
           \`${side.database}\`.users`,
      );
    }
    const [left] = await rows<{ n: number | string }>(
      conn,
      `SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`,
      [plain.database],
    );
    if (Number(left?.n) !== 0) throw new Error(`${plain.database} still has triggers`);
    return { upkeep, plain, triggers, executions, seedSeconds };
  } finally {
    await conn.end();
  }
}
