/**
 * A secret the embedded default generates once and keeps in its data folder, readable by
 * its owner only (the root password of the embedded server, the backup signing key).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const OWNER_ONLY = 0o600;

/** The secret kept in `dataDir/name`: 32 random bytes as base64url, written 0600 when missing. */
export function keptSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, {
      mode: OWNER_ONLY,
      flag: 'wx',
    });
  } catch (error) {
    // Kept from an earlier run (or written by a process starting beside this one).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copied folder may have lost the mode: the secret is for this user only.
  chmodSync(file, OWNER_ONLY);
  return readFileSync(file, 'utf8').trim();
}
