/**
 * The key that signs backup manifests. BACKUP_SIGNING_KEY when set. The embedded
 * default (no DATABASE_URL) generates one on first use and keeps it in the data folder
 * (mode 0600), as it keeps its data. A shared server without the key refuses backups:
 * a key generated per process would sign backups that no other instance, cron job or
 * later restore could check, and one kept beside the backups would protect nothing.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';

const KEY_FILE = 'backup-signing-key';
const OWNER_ONLY = 0o600;
const MIN_KEY_LENGTH = 32;

/** The key kept in `dataDir`, generated (and written 0600) when missing. */
async function keptKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, {
      mode: OWNER_ONLY,
      flag: 'wx',
    });
  } catch (error) {
    // Kept from an earlier run (or written by a process starting beside this one).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copied folder may have lost the mode: the key is for this user only.
  await chmod(file, OWNER_ONLY);
  const key = (await readFile(file, 'utf8')).trim();
  if (key.length < MIN_KEY_LENGTH) {
    throw new ConfigError(
      'BACKUP_SIGNING_KEY',
      `${file} holds fewer than ${MIN_KEY_LENGTH} characters; set BACKUP_SIGNING_KEY or delete ` +
        'the file to have one generated (backups signed with the old key no longer verify)',
    );
  }
  return key;
}

/** The backup signing key, or a ConfigError naming BACKUP_SIGNING_KEY when there is none. */
export async function backupSigningKey(
  config: Pick<Config, 'backupSigningKey' | 'databaseUrl' | 'dataDir'>,
): Promise<string> {
  if (config.backupSigningKey !== undefined) return config.backupSigningKey;
  if (config.databaseUrl !== undefined) {
    throw new ConfigError(
      'BACKUP_SIGNING_KEY',
      'backups need it when DATABASE_URL is set: every gateway and cron job that makes, ' +
        'verifies or restores backups must share one key of at least 32 characters',
    );
  }
  return keptKey(config.dataDir);
}

/** Where backups live and the key their manifests are signed with. */
export interface BackupStore {
  dir: string;
  key: string;
}

/** The configured backup directory with its signing key (see backupSigningKey). */
export async function backupStore(
  config: Pick<Config, 'backupSigningKey' | 'databaseUrl' | 'dataDir' | 'backupDir'>,
): Promise<BackupStore> {
  return { dir: config.backupDir, key: await backupSigningKey(config) };
}
