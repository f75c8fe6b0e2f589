/**
 * Every check of a backup that needs no server, in order: the manifest's signature and
 * form (trusted-manifest.ts), the schema version it was taken at, the file's SHA-256,
 * and a full read of the file proving every line an INSERT of literal values whose
 * rows hash to the manifest's row counts and checksums. A planted or damaged backup
 * is refused here, before any statement runs anywhere.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { readMigrations, type Migration } from '../db/migrate.js';
import { BackupError } from './backup-error.js';
import { dataFile, type BackupManifest } from './backup-files.js';
import { readBackupRows } from './backup-rows.js';
import { rowDigest } from './table-rows.js';
import { readTrustedManifest } from './trusted-manifest.js';

/** Receives a line of progress on long work (the CLI prints it). */
export type Progress = (line: string) => void;

/** A backup that passed every check that needs no server. */
export interface CheckedBackup {
  manifest: BackupManifest;
  /** The migrations that give the backup's schema. */
  migrations: Migration[];
}

/** Streams the file through SHA-256 and compares with the manifest. */
async function checkFileDigest(dir: string, manifest: BackupManifest): Promise<void> {
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

/** Reads the whole file as literal rows and compares each table's count and checksum. */
async function checkFileRows(dir: string, manifest: BackupManifest): Promise<void> {
  const digests = new Map(manifest.tables.map((table) => [table, rowDigest()]));
  for await (const { table, rows } of readBackupRows(dir, manifest)) {
    const digest = digests.get(table)!;
    for (const row of rows) digest.add(row.text);
  }
  for (const [table, digest] of digests) {
    const { rows, checksum } = digest.result();
    if (rows !== table.rows) {
      throw new BackupError(
        `backup ${manifest.id}: the file holds ${rows} rows of ${table.name}, the manifest ${table.rows}`,
      );
    }
    if (checksum !== table.checksum) {
      throw new BackupError(
        `backup ${manifest.id}: the rows of ${table.name} in the file differ from the manifest's checksum`,
      );
    }
  }
}

/**
 * Every check that needs no server, in order: the manifest's signature with `key`
 * and its form, the schema version, the file's SHA-256, and its rows as literals.
 */
export async function checkBackup(
  dir: string,
  id: string,
  key: string,
  progress: Progress = () => undefined,
): Promise<CheckedBackup> {
  const manifest = await readTrustedManifest(dir, id, key);
  const migrations = migrationsOf(manifest);
  progress(`checking the SHA-256 of ${manifest.file}`);
  await checkFileDigest(dir, manifest);
  progress(`checking that ${manifest.file} holds only literal rows of its tables`);
  await checkFileRows(dir, manifest);
  return { manifest, migrations };
}
