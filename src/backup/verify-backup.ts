/**
 * verifyBackup: the file's SHA-256, then a real restore into a scratch database whose
 * row counts and checksums are compared with the manifest; the scratch database is
 * dropped either way.
 */
import { randomBytes } from 'node:crypto';
import { readManifest } from './backup-files.js';
import {
  BackupError,
  dropDatabase,
  loadBackup,
  type Progress,
  type TableCheck,
} from './load-backup.js';

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

export async function verifyBackup(
  url: string,
  dir: string,
  id: string,
  progress?: Progress,
): Promise<BackupVerification> {
  const started = Date.now();
  const manifest = await readManifest(dir, id);
  const scratch = scratchName(manifest.database, 'verify');
  try {
    const loaded = await loadBackup(url, dir, manifest, scratch, progress);
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
    if (!(error instanceof BackupError)) throw error;
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
