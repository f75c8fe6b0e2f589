/**
 * The backup directory: ids, file names, manifests, listing, deletion and retention.
 * An id is a timestamp and a random suffix; anything else is refused before any path
 * is built, so no id can name a file outside the directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { badInput } from '../errors.js';
import { BackupError } from './backup-error.js';

export interface TableManifest {
  name: string;
  /** The columns written, in order, and the primary key the rows are ordered by. */
  columns: string[];
  primaryKey: string[];
  rows: number;
  /** SHA-256 of the rows' canonical text (see table-rows.ts), in primary-key order. */
  checksum: string;
}

export interface BackupManifest {
  /** See MANIFEST_FORMAT (trusted-manifest.ts); manifests before signing had none. */
  format: number;
  id: string;
  createdAt: string;
  database: string;
  serverVersion: string;
  /** The migrations applied when the snapshot was taken. */
  migrations: string[];
  file: string;
  compressed: boolean;
  bytes: number;
  sha256: string;
  durationMs: number;
  tables: TableManifest[];
  /** HMAC-SHA256 of the other fields with BACKUP_SIGNING_KEY (manifest-signature.ts). */
  signature: string;
}

const ID = /^\d{8}-\d{6}-\d{3}-[0-9a-f]{6}$/;
const MANIFEST_SUFFIX = '.manifest.json';

/** A new id: the UTC creation time (sortable) and a random suffix. */
export function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-');
  return `${stamp.slice(0, -1)}-${randomBytes(3).toString('hex')}`;
}

function checkedId(id: string): string {
  if (!ID.test(id)) {
    throw badInput('id', `"${id}" is not a backup id (one looks like 20261201-143501-123-a1b2c3)`);
  }
  return id;
}

/** The files of one backup, resolved inside `dir`. */
export function backupPaths(dir: string, id: string, compressed = true) {
  const base = path.join(path.resolve(dir), checkedId(id));
  return {
    data: `${base}${compressed ? '.sql.gz' : '.sql'}`,
    manifest: `${base}${MANIFEST_SUFFIX}`,
  };
}

/** Writes the manifest last and atomically: a backup without one is not a backup. */
export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  const { manifest: file } = backupPaths(dir, manifest.id);
  await writeFile(`${file}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${file}.partial`, file);
}

export async function readManifest(dir: string, id: string): Promise<BackupManifest> {
  const { manifest } = backupPaths(dir, id);
  let text: string;
  try {
    text = await readFile(manifest, 'utf8');
  } catch {
    throw new GraphQLError(`There is no backup "${id}".`, {
      extensions: { code: 'NOT_FOUND', argument: 'id' },
    });
  }
  try {
    return JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError(`backup ${id}: its manifest is not JSON`, 'untrusted');
  }
}

/** The data file of a backup, from its manifest. */
export function dataFile(dir: string, manifest: BackupManifest): string {
  return backupPaths(dir, manifest.id, manifest.compressed).data;
}

export async function ensureBackupDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Every complete backup, newest first. */
export async function listBackups(dir: string): Promise<BackupManifest[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const ids = names
    .filter((name) => name.endsWith(MANIFEST_SUFFIX))
    .map((name) => name.slice(0, -MANIFEST_SUFFIX.length))
    .filter((id) => ID.test(id))
    .sort()
    .reverse();
  // A manifest that is not JSON describes no backup of ours; restore and verify say why.
  const manifests = await Promise.all(ids.map((id) => readManifest(dir, id).catch(() => null)));
  return manifests.filter((manifest) => manifest !== null);
}

/** Removes a backup's files; false when there was no such backup. */
export async function deleteBackup(dir: string, id: string): Promise<boolean> {
  const paths = backupPaths(dir, id);
  let manifest: BackupManifest;
  try {
    manifest = await readManifest(dir, id);
  } catch {
    return false;
  }
  // The manifest goes first: a crash half-way leaves a stray data file, never a
  // manifest naming a missing file.
  await rm(paths.manifest, { force: true });
  await rm(dataFile(dir, manifest), { force: true });
  return true;
}

/**
 * Retention: keeps the newest `keepLast` backups and those younger than `maxAgeDays`
 * (a backup goes when either rule drops it); returns the deleted ones.
 */
export async function pruneBackups(
  dir: string,
  { keepLast, maxAgeDays, now }: { keepLast?: number; maxAgeDays?: number; now: Date },
): Promise<BackupManifest[]> {
  const backups = await listBackups(dir);
  const oldest = maxAgeDays === undefined ? undefined : now.getTime() - maxAgeDays * 86_400_000;
  const doomed = backups.filter(
    (backup, index) =>
      (keepLast !== undefined && index >= keepLast) ||
      (oldest !== undefined && Date.parse(backup.createdAt) < oldest),
  );
  for (const backup of doomed) await deleteBackup(dir, backup.id);
  return doomed;
}
