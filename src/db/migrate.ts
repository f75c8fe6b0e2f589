/**
 * Applies `sql/migrations/NNNN-slug.up.sql` in order, once each, and rolls them
 * back with their `.down.sql` twins. A lock keeps two gateways from migrating at once.
 * A migration never changes once applied: each holds its whole SQL (no includes of
 * files that later edits could change), its checksum is recorded when it is applied,
 * and `migrateUp` refuses a database whose applied migrations no longer match their files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from '@databases/mysql';
import type { Connection } from '@databases/mysql';
import { assertMigrationsTableOurs, assertNoClash } from './migration-clash.js';
import { assertMigratePrivileges } from './privileges.js';
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

/** An applied migration whose file no longer holds the text that was applied. */
export class MigrationChangedError extends Error {
  constructor(file: string, recorded: string, current: string) {
    super(
      `migration ${file} was changed after it was applied ` +
        `(checksum ${recorded.slice(0, 12)}…≠${current.slice(0, 12)}…): restore its text and ` +
        'make the change in a new migration (or roll it back first with migrate --down)',
    );
    this.name = 'MigrationChangedError';
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
      // Another tool's schema_migrations is never altered: refused before anything.
      await assertMigrationsTableOurs(conn);
      return await fn(conn);
    } finally {
      await conn.query(sql`SELECT RELEASE_LOCK('analytics_gateway_migrate')`);
    }
  });
}

async function createMigrationsTable(conn: Connection) {
  await conn.query(sql`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version CHAR(4) NOT NULL PRIMARY KEY,
      name VARCHAR(255) NOT NULL,
      applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      checksum CHAR(64) NULL
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci`);
}

/**
 * A record made before checksums existed gains the column in place; an up-to-date
 * record is left alone (no DDL, so an account without it can serve). Asked of
 * information_schema because MySQL 8.0 has no ADD COLUMN IF NOT EXISTS.
 */
async function addChecksumColumn(conn: Connection) {
  const column = await queryOne<{ present: number }>(
    conn,
    sql`SELECT 1 AS present FROM information_schema.columns
        WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'
          AND column_name = 'checksum'`,
  );
  if (!column) {
    await conn.query(sql`ALTER TABLE schema_migrations ADD COLUMN checksum CHAR(64) NULL`);
  }
}

interface AppliedMigration {
  version: string;
  checksum: string | null;
}

async function migrationsTableExists(conn: Connection): Promise<boolean> {
  const row = await queryOne<{ present: number }>(
    conn,
    sql`SELECT 1 AS present FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'`,
  );
  return row !== undefined;
}

async function appliedMigrations(conn: Connection): Promise<AppliedMigration[]> {
  return queryRows<AppliedMigration>(
    conn,
    sql`SELECT version, checksum FROM schema_migrations ORDER BY version`,
  );
}

const INCLUDE_LINE = /^--[ \t]*include:.*$/m;

/**
 * The SQL text of a migration file, sent to the server as it is. A file may not
 * include another (`-- include: …`, which older runners expanded): a later edit of
 * the included file would change what the migration applies.
 */
export function migrationText(file: string): string {
  const text = readFileSync(file, 'utf8');
  const include = INCLUDE_LINE.exec(text);
  if (include) {
    throw new MigrationError(
      path.basename(file),
      new Error(`"${include[0]}": a migration holds its whole SQL; write the included text in it`),
    );
  }
  return text;
}

/** sha256 of a migration's text; CRLF counts as LF, so a Windows checkout matches. */
export function migrationChecksum(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

async function run(conn: Connection, file: string, text: string) {
  try {
    // The file goes to the server whole, as one multi-statement query, so that
    // compound statements (a trigger's BEGIN … END) reach it intact: `query` would
    // split the text at every semicolon, `queryStream` sends it as it is.
    // Migration files are part of the code base, never user input.
    // Each statement yields its result; a failing statement ends the stream with its error.
    const results = conn.queryStream(sql.__dangerous__rawValue(text));
    for await (const result of results) void result;
  } catch (error) {
    throw new MigrationError(path.basename(file), error);
  }
}

/**
 * Refuses applied migrations whose up file differs from the text applied. Versions
 * this code does not know (applied by a newer release) are not judged here.
 */
async function verifyApplied(
  conn: Connection,
  applied: AppliedMigration[],
  migrations: Migration[],
) {
  for (const row of applied) {
    const m = migrations.find((candidate) => candidate.version === row.version);
    if (!m) continue;
    const checksum = migrationChecksum(migrationText(m.upFile));
    if (row.checksum === null) {
      // Applied before checksums were recorded: what ran then cannot be known, so
      // the file as it is now becomes the reference from here on.
      await conn.query(
        sql`UPDATE schema_migrations SET checksum = ${checksum} WHERE version = ${row.version}`,
      );
    } else if (row.checksum !== checksum) {
      throw new MigrationChangedError(path.basename(m.upFile), row.checksum, checksum);
    }
  }
}

/** Applies every pending migration; returns the names applied (empty when up to date). */
export async function migrateUp(db: Database, migrations = readMigrations()): Promise<string[]> {
  return withMigrationLock(db, async (conn) => {
    let applied: AppliedMigration[] = [];
    const recorded = await migrationsTableExists(conn);
    if (recorded) {
      await addChecksumColumn(conn);
      applied = await appliedMigrations(conn);
      await verifyApplied(conn, applied, migrations);
    }
    const appliedVersions = new Set(applied.map((row) => row.version));
    const texts = migrations.map((m) => ({ ...m, file: m.upFile, text: migrationText(m.upFile) }));
    const pending = texts.filter((m) => !appliedVersions.has(m.version));
    // Before any change: no pending migration may touch an object that is not ours.
    await assertNoClash(
      conn,
      texts.filter((m) => appliedVersions.has(m.version)),
      pending,
    );
    // Before any change: an account that may not make every change stops here, by name.
    if (pending.length > 0) await assertMigratePrivileges(conn);
    if (!recorded) await createMigrationsTable(conn);
    const done: string[] = [];
    for (const { text, ...m } of pending) {
      await run(conn, m.upFile, text);
      await conn.query(
        sql`INSERT INTO schema_migrations (version, name, checksum)
            VALUES (${m.version}, ${m.name}, ${migrationChecksum(text)})`,
      );
      done.push(`${m.version}-${m.name}`);
    }
    return done;
  });
}

/**
 * Rolls back the last `count` applied migrations, newest first; returns their names.
 * Checksums are not verified here: rolling back is how a changed migration is undone.
 */
export async function migrateDown(
  db: Database,
  count: number,
  migrations = readMigrations(),
): Promise<string[]> {
  return withMigrationLock(db, async (conn) => {
    await createMigrationsTable(conn);
    await addChecksumColumn(conn);
    const applied = (await appliedMigrations(conn)).slice(-count).reverse();
    if (applied.length > 0) await assertMigratePrivileges(conn);
    const done: string[] = [];
    for (const { version } of applied) {
      const m = migrations.find((candidate) => candidate.version === version);
      if (!m) throw new Error(`migration ${version} is applied but its files are missing`);
      await run(conn, m.downFile, migrationText(m.downFile));
      await conn.query(sql`DELETE FROM schema_migrations WHERE version = ${version}`);
      done.push(`${m.version}-${m.name}`);
    }
    return done;
  });
}
