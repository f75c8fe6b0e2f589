/**
 * Loads a backup into a new database and checks it against the manifest: the file's
 * SHA-256 first, then the schema by the migrations the backup was taken at, the rows
 * with the triggers off (the rollup tables come from the backup too), and finally
 * every table's row count and checksum recomputed from the loaded rows.
 * On any failure the new database is dropped; nothing else is touched.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import mysql from 'mysql2';
import type { Connection } from 'mysql2/promise';
import { migrateUp, readMigrations, type Migration } from '../db/migrate.js';
import { openPool } from '../db/pool.js';
import { dataFile, type BackupManifest } from './backup-files.js';
import { END_MARKER } from './create-backup.js';
import { insertHead, openRawConnection, tableChecksum } from './table-rows.js';
import { createTriggers, dropTriggers, readTriggers, type TriggerDefinition } from './triggers.js';

/** The backup cannot be used: the file is damaged, truncated or does not fit. */
export class BackupError extends Error {
  constructor(
    message: string,
    /** digest: the file is not the one the manifest describes. */
    readonly reason: 'digest' | 'content' | 'schema' = 'content',
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface TableCheck {
  name: string;
  expectedRows: number;
  rows: number;
  checksumMatches: boolean;
}

/** Receives a line of progress on long work (the CLI prints it). */
export type Progress = (line: string) => void;

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

/** Streams the file through SHA-256 and compares with the manifest. */
export async function checkFileDigest(dir: string, manifest: BackupManifest): Promise<void> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(dataFile(dir, manifest)), hash);
  } catch (error) {
    throw new BackupError(
      `backup ${manifest.id}: cannot read its file (${(error as Error).message})`,
      'digest',
    );
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== manifest.sha256) {
    throw new BackupError(
      `backup ${manifest.id}: the file's SHA-256 is ${sha256}, the manifest says ` +
        `${manifest.sha256}: the file is damaged or truncated`,
      'digest',
    );
  }
}

/** The migrations that give the backup's schema; refuses a backup of a newer schema. */
function migrationsOf(manifest: BackupManifest): Migration[] {
  const known = readMigrations();
  const prefix = known.slice(0, manifest.migrations.length);
  if (prefix.map((m) => m.version).join() !== manifest.migrations.join()) {
    throw new BackupError(
      `backup ${manifest.id} was taken at schema ${manifest.migrations.at(-1) ?? 'none'}, ` +
        `which this gateway (schema ${known.at(-1)?.version}) does not know`,
      'schema',
    );
  }
  return prefix;
}

/** Runs each INSERT line of the file; anything else but comments is refused. */
async function loadRows(
  connection: Connection,
  dir: string,
  manifest: BackupManifest,
  progress: Progress,
) {
  const heads = manifest.tables.map(insertHead);
  const input = createReadStream(dataFile(dir, manifest));
  const text = manifest.compressed ? input.pipe(createGunzip()) : input;
  // Errors of the file or of gzip (truncation, a flipped bit) reach the line reader,
  // which ends the loop below with them; `pipe` does not pass the file's on.
  if (text !== input) input.on('error', (error) => text.destroy(error));
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let complete = false;
  let number = 0;
  try {
    for await (const line of lines) {
      number++;
      if (complete) throw new BackupError(`backup ${manifest.id}: text after the end marker`);
      if (line === END_MARKER) complete = true;
      else if (line.startsWith('-- table ')) progress(`loading ${line.slice(9)}`);
      else if (line.startsWith('-- ')) continue;
      else if (heads.some((head) => line.startsWith(head)) && line.endsWith(';')) {
        await connection.query(line);
      } else {
        throw new BackupError(`backup ${manifest.id}: line ${number} is not a backup statement`);
      }
    }
  } finally {
    input.destroy();
  }
  if (!complete) {
    throw new BackupError(`backup ${manifest.id}: the file ends before its end marker`);
  }
}

/** Loads the backup into the new database `database` on the server of `url`. */
export async function loadBackup(
  url: string,
  dir: string,
  manifest: BackupManifest,
  database: string,
  progress: Progress = () => undefined,
): Promise<LoadedBackup> {
  progress(`checking the SHA-256 of ${manifest.file}`);
  await checkFileDigest(dir, manifest);
  const atBackup = migrationsOf(manifest);
  const admin = await openRawConnection(url);
  try {
    await admin.query(`CREATE DATABASE ${mysql.escapeId(database)}`);
  } finally {
    await admin.end();
  }
  const target = databaseUrl(url, database);
  try {
    const pool = openPool(target, { poolSize: 1 });
    try {
      await migrateUp(pool, atBackup);
    } finally {
      await pool.dispose();
    }
    const connection = await openRawConnection(target);
    try {
      const triggers = await readTriggers(connection, database);
      await dropTriggers(connection, database, triggers);
      // The rows are checked by checksum below; key checks per row would only slow the load.
      await connection.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
      // The tables hold exactly the backup's rows, whatever a migration put in them.
      for (const table of manifest.tables) {
        await connection.query(`DELETE FROM ${mysql.escapeId(table.name)}`);
      }
      await loadRows(connection, dir, manifest, progress).catch((error: Error) => {
        // A zlib or SQL error in the middle of the file means the file is bad.
        throw error instanceof BackupError
          ? error
          : new BackupError(`backup ${manifest.id}: ${error.message}`);
      });
      await connection.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
      const tables: TableCheck[] = [];
      for (const table of manifest.tables) {
        progress(`checking ${table.name}`);
        const { rows, checksum } = await tableChecksum(connection, table);
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
    await admin.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database)}`);
  } finally {
    await admin.end();
  }
}
