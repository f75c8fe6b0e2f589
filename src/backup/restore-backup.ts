/**
 * restoreBackup: the backup is loaded and verified in a new database first; only then
 * does anything change. With `targetDatabase` the new database is the result and the
 * live one is left alone. Without it the new tables replace the live ones in one
 * atomic RENAME TABLE, so readers see either the old data or the restored data, never
 * a mixture, and a damaged file never gets that far.
 */
import { GraphQLError } from 'graphql';
import mysql from 'mysql2';
import type { Connection } from 'mysql2/promise';
import { openPool } from '../db/pool.js';
import { assertMigratePrivileges } from '../db/privileges.js';
import { SOURCE_TABLES } from '../db/source-tables.js';
import { BackupError } from './backup-error.js';
import {
  databaseOf,
  dropDatabase,
  finishLoadedDatabase,
  loadBackup,
  type TableCheck,
} from './load-backup.js';
import { checkBackup, type Progress } from './check-backup.js';
import type { BackupStore } from './signing-key.js';
import { isPlainIdentifier, openRawConnection } from './table-rows.js';
import { createTriggers, dropTriggers, readTriggers } from './triggers.js';
import { scratchName, tableProblems } from './verify-backup.js';

/** The tables a restore replaces: caches keyed by them must be dropped after a swap. */
export const RESTORED_TABLES = SOURCE_TABLES;

export interface RestoreResult {
  id: string;
  /** Where the restored data is now. */
  database: string;
  /** True when the restored tables replaced the live ones. */
  swapped: boolean;
  tables: TableCheck[];
  durationMs: number;
}

async function baseTables(connection: Connection, database: string): Promise<string[]> {
  const [rows] = await connection.query(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [database],
  );
  return (rows as { name: string }[]).map((row) => row.name);
}

async function checkNewDatabaseName(url: string, name: string): Promise<void> {
  const bad = (message: string) =>
    new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field: 'targetDatabase' } });
  if (!isPlainIdentifier(name)) {
    throw bad('targetDatabase: use 1 to 64 letters, digits or underscores.');
  }
  const connection = await openRawConnection(url);
  try {
    const [rows] = await connection.query(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    );
    if ((rows as unknown[]).length > 0) {
      throw bad(`targetDatabase: "${name}" exists; a restore only creates a new database.`);
    }
  } finally {
    await connection.end();
  }
}

/**
 * Moves every table of `staging` into `live` and live's tables of the same names out,
 * in one RENAME TABLE. Tables with triggers cannot change database, so the triggers
 * come off first and the restored database's are created in live afterwards.
 */
async function swapIntoLive(url: string, staging: string, live: string): Promise<void> {
  const connection = await openRawConnection(url);
  const replaced = scratchName(live, 'replaced');
  try {
    const restoredTriggers = await readTriggers(connection, staging);
    const liveTriggers = await readTriggers(connection, live);
    const tables = await baseTables(connection, staging);
    const liveTables = new Set(await baseTables(connection, live));
    const id = mysql.escapeId;
    await connection.query(`CREATE DATABASE ${id(replaced)}`);
    await dropTriggers(connection, staging, restoredTriggers);
    await dropTriggers(connection, live, liveTriggers);
    const moves = [
      ...tables
        .filter((table) => liveTables.has(table))
        .map((table) => `${id(live)}.${id(table)} TO ${id(replaced)}.${id(table)}`),
      ...tables.map((table) => `${id(staging)}.${id(table)} TO ${id(live)}.${id(table)}`),
    ];
    try {
      await connection.query(`RENAME TABLE ${moves.join(', ')}`);
    } catch (error) {
      await createTriggers(connection, liveTriggers);
      throw error;
    }
    await createTriggers(connection, restoredTriggers);
  } finally {
    await connection.end();
    await dropDatabase(url, replaced);
  }
}

/** Restores backup `id` of `dir`, signed with `key`; `url` names the live database. */
export async function restoreBackup(
  url: string,
  { dir, key }: BackupStore,
  id: string,
  targetDatabase?: string,
  progress?: Progress,
): Promise<RestoreResult> {
  const started = Date.now();
  const checked = await checkBackup(dir, id, key, progress);
  const live = databaseOf(url);
  if (targetDatabase !== undefined) await checkNewDatabaseName(url, targetDatabase);
  if (targetDatabase === undefined) {
    // Swapping the tables drops and makes triggers and renames tables: the migrating
    // account's rights. An account without them stops here, before anything changes.
    const pool = openPool(url, { poolSize: 1 });
    try {
      await assertMigratePrivileges(pool, 'replacing the live tables with a backup');
    } finally {
      await pool.dispose();
    }
  }
  const database = targetDatabase ?? scratchName(live, 'restore');
  const loaded = await loadBackup(url, dir, checked, database, progress);
  try {
    const problems = tableProblems(loaded.tables);
    if (problems.length > 0) {
      throw new BackupError(
        `backup ${id} does not restore to its own data: ${problems.join('; ')}`,
      );
    }
    await finishLoadedDatabase(url, loaded);
    if (targetDatabase === undefined) {
      progress?.(`verified; replacing the tables of ${live}`);
      await swapIntoLive(url, database, live);
    }
  } catch (error) {
    await dropDatabase(url, database);
    throw error;
  }
  if (targetDatabase === undefined) await dropDatabase(url, database);
  return {
    id,
    database: targetDatabase ?? live,
    swapped: targetDatabase === undefined,
    tables: loaded.tables,
    durationMs: Date.now() - started,
  };
}
