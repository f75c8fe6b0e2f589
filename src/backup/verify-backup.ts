/**
 * verifyBackup: the manifest's signature, the file's SHA-256 and literal rows (all
 * before the server is involved), then a real restore into a scratch database whose
 * row counts and checksums are compared with the manifest; the scratch database is
 * dropped either way. A backup that is not trusted (unsigned, planted, holding
 * more than literal rows of the schema's tables) is refused with BackupError; a
 * damaged one is answered with ok: false.
 */
import { randomBytes } from 'node:crypto';
import { BackupError } from './backup-error.js';
import { databaseOf, dropDatabase, loadBackup, type TableCheck } from './load-backup.js';
import { checkBackup, type Progress } from './check-backup.js';
import type { BackupStore } from './signing-key.js';

export interface BackupVerification {
  id: string;
  ok: boolean;
  sha256Matches: boolean;
  tables: TableCheck[];
  problems: string[];
  durationMs: number;
}

/** A database name next to `database`, within MySQL's 64 characters. */
export function scratchName(database: string, purpose: string): string {
  return `${database.slice(0, 40)}_${purpose}_${randomBytes(4).toString('hex')}`;
}

/** Lines that say what does not match; empty when the restored data is the backup's. */
export function tableProblems(tables: readonly TableCheck[]): string[] {
  return tables.flatMap((table) => [
    ...(table.rows === table.expectedRows
      ? []
      : [`${table.name}: ${table.rows} rows restored, the backup has ${table.expectedRows}`]),
    ...(table.checksumMatches ? [] : [`${table.name}: the checksum differs from the backup's`]),
  ]);
}

/** Verifies backup `id` of `dir`, signed with `key`, on the server of `url`. */
export async function verifyBackup(
  url: string,
  { dir, key }: BackupStore,
  id: string,
  progress?: Progress,
): Promise<BackupVerification> {
  const started = Date.now();
  const scratch = scratchName(databaseOf(url), 'verify');
  try {
    const checked = await checkBackup(dir, id, key, progress);
    const loaded = await loadBackup(url, dir, checked, scratch, progress);
    await dropDatabase(url, scratch);
    const problems = tableProblems(loaded.tables);
    return {
      id,
      ok: problems.length === 0,
      sha256Matches: true,
      tables: loaded.tables,
      problems,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    if (!(error instanceof BackupError) || error.reason === 'untrusted') throw error;
    return {
      id,
      ok: false,
      sha256Matches: error.reason !== 'digest',
      tables: [],
      problems: [error.message],
      durationMs: Date.now() - started,
    };
  }
}
