/**
 * A manifest this gateway will act on: the current format, signed with its key (checked
 * first, in constant time), and holding only what createBackup writes: its own id and
 * file, a SHA-256, and tables and columns with plain names (letters, digits and _, so
 * no name can point into another database). Nothing here talks to the server.
 */
import path from 'node:path';
import { BackupError } from './backup-error.js';
import { backupPaths, readManifest, type BackupManifest } from './backup-files.js';
import { hasValidSignature } from './manifest-signature.js';
import { isPlainIdentifier } from './table-rows.js';

/** The manifest format this gateway writes and reads: signed, data as INSERT lines of literals. */
export const MANIFEST_FORMAT = 2;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isNameList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every(isPlainIdentifier);

/** What is wrong with a signed manifest's content, or undefined when nothing is. */
function contentProblem(manifest: BackupManifest, id: string): string | undefined {
  if (manifest.id !== id) return `it describes backup "${String(manifest.id)}"`;
  if (typeof manifest.compressed !== 'boolean') return 'it does not say whether it is compressed';
  if (manifest.file !== path.basename(backupPaths('.', id, manifest.compressed).data)) {
    return `its file "${String(manifest.file)}" is not this backup's`;
  }
  if (typeof manifest.sha256 !== 'string' || !HEX_SHA256.test(manifest.sha256)) {
    return 'its SHA-256 is not 64 hex digits';
  }
  if (
    !Array.isArray(manifest.migrations) ||
    !manifest.migrations.every((v) => typeof v === 'string')
  ) {
    return 'its schema versions are not a list of names';
  }
  if (!Array.isArray(manifest.tables)) return 'it has no list of tables';
  const seen = new Set<string>();
  for (const table of manifest.tables) {
    // Parsed JSON: the declared type is what a signed manifest holds, not a promise.
    if (typeof table !== 'object' || (table as unknown) === null) {
      return 'a table entry is not an object';
    }
    if (!isPlainIdentifier(table.name) || seen.has(table.name)) {
      return `table name ${JSON.stringify(table.name)} is not a plain, unique table name`;
    }
    seen.add(table.name);
    if (!isNameList(table.columns) || new Set(table.columns).size !== table.columns.length) {
      return `table ${table.name}: the columns are not plain, unique column names`;
    }
    if (
      !isNameList(table.primaryKey) ||
      !table.primaryKey.every((c) => table.columns.includes(c))
    ) {
      return `table ${table.name}: the primary key is not made of its columns`;
    }
    if (
      !isCount(table.rows) ||
      typeof table.checksum !== 'string' ||
      !HEX_SHA256.test(table.checksum)
    ) {
      return `table ${table.name}: the row count or checksum is malformed`;
    }
  }
  return undefined;
}

/**
 * Reads backup `id`'s manifest and refuses it (BackupError, reason untrusted) unless it
 * is of the current format, signed with `key`, and well-formed.
 */
export async function readTrustedManifest(
  dir: string,
  id: string,
  key: string,
): Promise<BackupManifest> {
  const manifest = await readManifest(dir, id);
  const refuse = (problem: string) =>
    new BackupError(`backup ${id} is not trusted: ${problem}`, 'untrusted');
  if (manifest.format !== MANIFEST_FORMAT) {
    throw refuse(
      `its manifest format ${manifest.format === undefined ? '(none: made before backups were signed)' : JSON.stringify(manifest.format)} ` +
        `is unsupported; this gateway reads format ${MANIFEST_FORMAT} only, so make a new backup`,
    );
  }
  if (!hasValidSignature(manifest, key)) {
    throw refuse(
      "the manifest is not signed with this gateway's BACKUP_SIGNING_KEY (it was changed, " +
        'planted, or made with another key)',
    );
  }
  const problem = contentProblem(manifest, id);
  if (problem !== undefined) throw refuse(problem);
  return manifest;
}
