/**
 * The key that signs backup manifests. BACKUP_SIGNING_KEY when set. The embedded
 * default (no DATABASE_URL) generates one on first use and keeps it in the data folder
 * (mode 0600), as it keeps its data. A shared server without the key refuses backups:
 * a key generated per process would sign backups that no other instance, cron job or
 * later restore could check, and one kept beside the backups would protect nothing.
 */
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';
import { keptSecret } from '../secret-file.js';

const KEY_FILE = 'backup-signing-key';
const MIN_KEY_LENGTH = 32;

/** The key kept in `dataDir`, generated when missing. */
function keptKey(dataDir: string): string {
  const key = keptSecret(dataDir, KEY_FILE);
  if (key.length < MIN_KEY_LENGTH) {
    throw new ConfigError(
      'BACKUP_SIGNING_KEY',
      `${path.join(dataDir, KEY_FILE)} holds fewer than ${MIN_KEY_LENGTH} characters; set ` +
        'BACKUP_SIGNING_KEY or delete the file to have one generated (backups signed with ' +
        'the old key no longer verify)',
    );
  }
  return key;
}

/** The backup signing key, or a ConfigError naming BACKUP_SIGNING_KEY when there is none. */
export function backupSigningKey(
  config: Pick<Config, 'backupSigningKey' | 'databaseUrl' | 'dataDir'>,
): string {
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
export function backupStore(
  config: Pick<Config, 'backupSigningKey' | 'databaseUrl' | 'dataDir' | 'backupDir'>,
): BackupStore {
  return { dir: config.backupDir, key: backupSigningKey(config) };
}
