/**
 * Loads a checked backup (check-backup.ts) into a new database: migrated to the
 * backup's schema, whose own tables and columns must be exactly the manifest's; the
 * rows go in as parameters with the triggers off (the rollup tables come from the
 * backup too); then every table's row count and checksum is recomputed from the
 * loaded rows. On any failure the new database is dropped; nothing else is touched.
 */
import { sql } from '@databases/mysql';
import mysql from 'mysql2';
import { insertJsonRows } from '../db/json-insert.js';
import { migrateUp } from '../db/migrate.js';
import { openPool } from '../db/pool.js';
import { privilegeErrorOf } from '../db/privileges.js';
import { BackupError } from './backup-error.js';
import type { BackupManifest, TableManifest } from './backup-files.js';
import { oneAhead, readBackupRows } from './backup-rows.js';
import type { CheckedBackup, Progress } from './check-backup.js';
import { openRawConnection, tableChecksum, tableShapes, type TableShape } from './table-rows.js';
import { createTriggers, dropTriggers, readTriggers, type TriggerDefinition } from './triggers.js';

export interface TableCheck {
  name: string;
  expectedRows: number;
  rows: number;
  checksumMatches: boolean;
}

export interface LoadedBackup {
  database: string;
  tables: TableCheck[];
  /** The triggers the loaded database lacks until `finish` puts them back. */
  triggers: TriggerDefinition[];
}

/** `url` with another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The database `url` names. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Where the tables of the new database differ from the manifest's, or undefined. */
function schemaProblem(shapes: readonly TableShape[], tables: readonly TableManifest[]) {
  const byName = new Map(shapes.map((shape) => [shape.name, shape]));
  for (const table of tables) {
    const shape = byName.get(table.name);
    if (!shape) return `the schema has no table ${table.name}`;
    if (shape.columns.join() !== table.columns.join()) {
      return `${table.name} has the columns ${shape.columns.join(', ')}, the backup names ${table.columns.join(', ')}`;
    }
    if (shape.primaryKey.join() !== table.primaryKey.join()) {
      return `${table.name}: the backup's primary key is not the schema's`;
    }
  }
  const missing = shapes.filter((shape) => !tables.some((table) => table.name === shape.name));
  if (missing.length > 0) return `the backup lacks ${missing.map((s) => s.name).join(', ')}`;
  return undefined;
}

/**
 * Loads the file's rows into the tables of `target` with the triggers off. Each line's
 * rows travel as one JSON parameter of text values (json-insert.ts); the server
 * converts text to each column's type exactly as it would a quoted literal. Table
 * and column names come from the new database's own schema, never from the file.
 */
async function loadRows(
  target: string,
  dir: string,
  manifest: BackupManifest,
  shapes: readonly TableShape[],
  progress: Progress,
): Promise<void> {
  const shapeOf = new Map(shapes.map((shape) => [shape.name, shape]));
  const pool = openPool(target, { poolSize: 1 });
  try {
    await pool.task(async (session) => {
      // The rows are checked by checksum after; key checks per row would only slow the load.
      await session.query(sql`SET SESSION foreign_key_checks = 0, unique_checks = 0`);
      // The tables hold exactly the backup's rows, whatever a migration put in them.
      for (const shape of shapes) await session.query(sql`DELETE FROM ${sql.ident(shape.name)}`);
      const onTable = (name: string) => progress(`loading ${name}`);
      for await (const { table, rows } of oneAhead(readBackupRows(dir, manifest, onTable))) {
        const shape = shapeOf.get(table.name)!;
        // utf8mb4 as the connection's literals would be; the database default may be narrower.
        const type = 'LONGTEXT CHARACTER SET utf8mb4';
        const columns = shape.columns.map((name) => ({ name, type }));
        await insertJsonRows(
          session,
          shape.name,
          columns,
          rows.map((row) => row.values),
        );
      }
    });
  } catch (error) {
    // A server error on rows that passed the checks means they do not fit; a refusal
    // is the account's, not the backup's.
    if (error instanceof BackupError || privilegeErrorOf(error)) throw error;
    throw new BackupError(`backup ${manifest.id}: ${(error as Error).message}`);
  } finally {
    await pool.dispose();
  }
}

/** Loads the checked backup into the new database `database` on the server of `url`. */
export async function loadBackup(
  url: string,
  dir: string,
  { manifest, migrations }: CheckedBackup,
  database: string,
  progress: Progress = () => undefined,
): Promise<LoadedBackup> {
  const admin = await openRawConnection(url);
  try {
    await admin.query(`CREATE DATABASE ${mysql.escapeId(database, true)}`);
  } finally {
    await admin.end();
  }
  const target = databaseUrl(url, database);
  try {
    const pool = openPool(target, { poolSize: 1 });
    try {
      await migrateUp(pool, migrations);
    } finally {
      await pool.dispose();
    }
    const connection = await openRawConnection(target);
    try {
      // The schema's own tables at the backup's version are the only ones rows may go to.
      const shapes = await tableShapes(connection);
      const problem = schemaProblem(shapes, manifest.tables);
      if (problem !== undefined) {
        throw new BackupError(
          `backup ${manifest.id} does not fit the schema at ${manifest.migrations.at(-1) ?? 'none'}: ${problem}`,
          'untrusted',
        );
      }
      const triggers = await readTriggers(connection, database);
      await dropTriggers(connection, database, triggers);
      await loadRows(target, dir, manifest, shapes, progress);
      const shapeOf = new Map(shapes.map((shape) => [shape.name, shape]));
      const tables: TableCheck[] = [];
      for (const table of manifest.tables) {
        progress(`checking ${table.name}`);
        const { rows, checksum } = await tableChecksum(connection, shapeOf.get(table.name)!);
        tables.push({
          name: table.name,
          expectedRows: table.rows,
          rows,
          checksumMatches: checksum === table.checksum,
        });
      }
      return { database, tables, triggers };
    } finally {
      await connection.end();
    }
  } catch (error) {
    await dropDatabase(url, database);
    throw error;
  }
}

/** Puts the triggers back and applies the migrations newer than the backup. */
export async function finishLoadedDatabase(url: string, loaded: LoadedBackup): Promise<void> {
  const target = databaseUrl(url, loaded.database);
  const connection = await openRawConnection(target);
  try {
    await createTriggers(connection, loaded.triggers);
  } finally {
    await connection.end();
  }
  const pool = openPool(target, { poolSize: 1 });
  try {
    await migrateUp(pool);
  } finally {
    await pool.dispose();
  }
}

export async function dropDatabase(url: string, database: string): Promise<void> {
  const admin = await openRawConnection(url);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database, true)}`);
  } finally {
    await admin.end();
  }
}
