/**
 * The embedded server's root password: generated once, kept in the data folder (mode
 * 0600), and set by an init file the server runs before it accepts any connection, on
 * every start. So a fresh folder never has a passwordless root over TCP, and a folder
 * initialized passwordless by an older version is upgraded on its first start.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

// Letters, digits, - and _ only: the password goes into connection URLs unencoded.
const PASSWORD_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const OWNER_ONLY = 0o600;

/** The root password kept in `dataDir`, generated (and written 0600) when missing. */
export function rootPassword(dataDir: string): string {
  const file = path.join(dataDir, 'root-password');
  if (!existsSync(file)) {
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, {
      mode: OWNER_ONLY,
      flag: 'wx',
    });
  }
  // A copied folder may have lost the mode: the password is for this user only.
  chmodSync(file, OWNER_ONLY);
  const password = readFileSync(file, 'utf8').trim();
  if (!PASSWORD_PATTERN.test(password)) {
    throw new Error(
      `${file} must hold 16 to 128 letters, digits, - or _; delete it to have one generated`,
    );
  }
  return password;
}

/**
 * Writes the init file (0600) that gives every root account `password` and drops the
 * anonymous ones; returns its path. Each statement sits on its own line, as init files
 * require, and IF EXISTS keeps a missing account from stopping the server.
 */
export function writeSecuringInitFile(dataDir: string, password: string): string {
  // mariadb-install-db creates root at these hosts (the machine's name among them);
  // MySQL's --initialize-insecure creates root@localhost only.
  const hosts = ['localhost', '127.0.0.1', '::1', os.hostname()];
  const literal = (text: string) => mysql.escape(text);
  const lines = [
    ...hosts.map(
      (host) => `ALTER USER IF EXISTS 'root'@${literal(host)} IDENTIFIED BY ${literal(password)};`,
    ),
    ...hosts.map((host) => `DROP USER IF EXISTS ''@${literal(host)};`),
  ];
  const file = path.join(dataDir, 'secure-root.sql');
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: OWNER_ONLY });
  chmodSync(file, OWNER_ONLY);
  return file;
}
