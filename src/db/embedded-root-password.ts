/**
 * The embedded server's root password: generated once, kept in the data folder (mode
 * 0600), and set by an init file the server runs before it accepts any connection, on
 * every start. So a fresh folder never has a passwordless root over TCP, and a folder
 * initialized passwordless by an older version is upgraded on its first start.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { keptSecret } from '../secret-file.js';

// Letters, digits, - and _ only: the password goes into connection URLs unencoded.
const PASSWORD_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const PASSWORD_FILE = 'root-password';
const OWNER_ONLY = 0o600;

/** The root password kept in `dataDir`, generated when missing. */
export function rootPassword(dataDir: string): string {
  const password = keptSecret(dataDir, PASSWORD_FILE);
  if (!PASSWORD_PATTERN.test(password)) {
    throw new Error(
      `${path.join(dataDir, PASSWORD_FILE)} must hold 16 to 128 letters, digits, - or _; ` +
        'delete it to have one generated',
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
