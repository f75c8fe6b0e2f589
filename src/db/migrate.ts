/**
 * Applies `sql/migrations/NNNN-slug.up.sql` in order, once each, and rolls them
 * back with their `.down.sql` twins. A lock keeps two gateways from migrating at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from '@databases/mysql';
import type { Connection } from '@databases/mysql';
import { queryOne, queryRows, type Database } from './pool.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url));

export interface Migration {
  version: string;
  name: string;
  upFile: string;
  downFile: string;
}

/** A migration that failed: names the file and carries the server's message. */
export class MigrationError extends Error {
  constructor(file: string, cause: unknown) {
    super(`migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MigrationError';
  }
}

const FILE_PATTERN = /^(\d{4})-([a-z0-9-]+)\.(up|down)\.sql$/;

/** Lists the migrations in `dir`, checking that every `up` has its `down`. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.sql'));
  const byVersion = new Map<string, Migration>();
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`${file}: migration files are named NNNN-slug.up.sql / .down.sql`);
    const [, version = '', name = ''] = match;
    const migration = byVersion.get(version) ?? { version, name, upFile: '', downFile: '' };
    if (migration.name !== name) throw new Error(`${file}: version ${version} is used twice`);
    if (match[3] === 'up') migration.upFile = path.join(dir, file);
    else migration.downFile = path.join(dir, file);
    byVersion.set(version, migration);
  }
  const migrations = [...byVersion.values()].sort((a, b) => a.version.localeCompare(b.version));
  for (const m of migrations) {
    if (!m.upFile || !m.downFile) {
      throw new Error(
        `migration ${m.version}-${m.name} needs both an .up.sql and a .down.sql file`,
      );
    }
  }
  return migrations;
}

async function withMigrationLock<T>(db: Database, fn: (conn: Connection) => Promise<T>) {
  return db.task(async (conn) => {
    const row = await queryOne<{ locked: number | null }>(
      conn,
      sql`SELECT GET_LOCK('analytics_gateway_migrate', 60) AS locked`,
    );
    if (Number(row?.locked) !== 1) throw new Error('another process holds the migration lock');
    try {
      await conn.query(sql`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version CHAR(4) NOT NULL PRIMARY KEY,
          name VARCHAR(255) NOT NULL,
          applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
        ) ENGINE = InnoDB`);
      return await fn(conn);
    } finally {
      await conn.query(sql`SELECT RELEASE_LOCK('analytics_gateway_migrate')`);
    }
  });
}

async function appliedVersions(conn: Connection): Promise<string[]> {
  const rows = await queryRows<{ version: string }>(
    conn,
    sql`SELECT version FROM schema_migrations ORDER BY version`,
  );
  return rows.map((row) => row.version);
}

// `-- include: ../views/x.sql` in a migration stands for that file's text, so the
// view definitions live once, in sql/views, and migrations apply them.
const INCLUDE = /^-- include: (\S+)[ \t]*$/gm;

/** The SQL text of a migration file with its includes expanded. */
export function migrationSql(file: string): string {
  return readFileSync(file, 'utf8').replace(INCLUDE, (_line, target: string) =>
    readFileSync(path.resolve(path.dirname(file), target), 'utf8'),
  );
}

async function run(conn: Connection, file: string) {
  try {
    // The file goes to the server whole, as one multi-statement query, so that
    // compound statements (a trigger's BEGIN … END) reach it intact: `query` would
    // split the text at every semicolon, `queryStream` sends it as it is.
    // Migration files are part of the code base, never user input.
    // Each statement yields its result; a failing statement ends the stream with its error.
    const results = conn.queryStream(sql.__dangerous__rawValue(migrationSql(file)));
    for await (const result of results) void result;
  } catch (error) {
    throw new MigrationError(path.basename(file), error);
  }
}

/** Applies every pending migration; returns the names applied (empty when up to date). */
export async function migrateUp(db: Database, migrations = readMigrations()): Promise<string[]> {
  return withMigrationLock(db, async (conn) => {
    const applied = new Set(await appliedVersions(conn));
    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await run(conn, m.upFile);
      await conn.query(
        sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`,
      );
      done.push(`${m.version}-${m.name}`);
    }
    return done;
  });
}

/** Rolls back the last `count` applied migrations, newest first; returns their names. */
export async function migrateDown(
  db: Database,
  count: number,
  migrations = readMigrations(),
): Promise<string[]> {
  return withMigrationLock(db, async (conn) => {
    const applied = (await appliedVersions(conn)).slice(-count).reverse();
    const done: string[] = [];
    for (const version of applied) {
      const m = migrations.find((candidate) => candidate.version === version);
      if (!m) throw new Error(`migration ${version} is applied but its files are missing`);
      await run(conn, m.downFile);
      await conn.query(sql`DELETE FROM schema_migrations WHERE version = ${version}`);
      done.push(`${m.version}-${m.name}`);
    }
    return done;
  });
}
