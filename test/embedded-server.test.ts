/**
 * The embedded default's safety, on servers of this file's own: root answers only with
 * the generated password (kept in the data folder, 0600), over TCP and over the socket;
 * a data folder initialized passwordless by an older version is upgraded on its first
 * start; and the server `npm start` opens commits durably.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from '@databases/mysql';
import mysql, { type ConnectionOptions } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startEmbeddedServer, type EmbeddedServer } from '../src/db/embedded-server.js';
import { openDatabase, type OpenDatabase } from '../src/db/open-database.js';
import { queryOne } from '../src/db/pool.js';

const run = promisify(execFile);
const searchPath = loadConfig(process.env).searchPath;
const folders: string[] = [];

function newDataDir(name: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  folders.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** How the server answers a root login without a password: 'accepted' or the error code. */
async function passwordlessRoot(options: ConnectionOptions): Promise<string> {
  try {
    const connection = await mysql.createConnection({ ...options, user: 'root' });
    await connection.end();
    return 'accepted';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

/** Port of a `mysql://…` URL, which must point at loopback. */
function loopbackPort(url: string): number {
  const parsed = new URL(url);
  expect(parsed.hostname).toBe('127.0.0.1');
  return Number(parsed.port);
}

/** Accounts that log in without any password (locked system accounts aside). */
async function passwordlessAccounts(url: string): Promise<string[]> {
  const connection = await mysql.createConnection(url);
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      `SELECT CONCAT(User, '@', Host) AS account FROM mysql.user
        WHERE authentication_string = '' AND User <> 'mariadb.sys'`,
    );
    return rows.map((row) => String(row.account));
  } finally {
    await connection.end();
  }
}

function modeOf(file: string) {
  return statSync(file).mode & 0o777;
}

describe('the embedded default opened as `npm start` opens it', () => {
  let dataDir: string;
  let database: OpenDatabase;

  beforeAll(async () => {
    dataDir = newDataDir('embedded-default');
    database = await openDatabase(
      loadConfig({
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        EMBEDDED_BUFFER_POOL_MB: '64',
      }),
    );
  });
  afterAll(() => database?.close());

  it('refuses root without a password over loopback TCP and over its socket', async () => {
    const port = loopbackPort(database.url);
    expect(await passwordlessRoot({ host: '127.0.0.1', port })).toBe('ER_ACCESS_DENIED_ERROR');
    expect(await passwordlessRoot({ socketPath: path.join(dataDir, 'server.sock') })).toBe(
      'ER_ACCESS_DENIED_ERROR',
    );
    expect(await passwordlessAccounts(database.url)).toEqual([]);
  });

  it('keeps the generated password in the data folder, readable by its owner only', () => {
    const file = path.join(dataDir, 'root-password');
    expect(modeOf(file)).toBe(0o600);
    // The init file that set it is gone once the server is up: one copy of the secret.
    expect(existsSync(path.join(dataDir, 'secure-root.sql'))).toBe(false);
    expect(decodeURIComponent(new URL(database.url).password).length).toBeGreaterThanOrEqual(16);
  });

  it('commits durably: innodb_flush_log_at_trx_commit is 1', async () => {
    const row = await queryOne<{ flush: number | string }>(
      database.db,
      sql`SELECT @@innodb_flush_log_at_trx_commit AS flush`,
    );
    expect(Number(row?.flush)).toBe(1);
  });
});

describe('a data folder initialized passwordless by an older version', () => {
  let dataDir: string;
  let server: EmbeddedServer | undefined;

  beforeAll(async () => {
    dataDir = newDataDir('embedded-legacy');
    // What every earlier version did on first use, and left so: root without a password.
    await run(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${path.join(dataDir, 'mysql')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ],
      { env: { ...process.env, PATH: searchPath } },
    );
  });
  afterAll(() => server?.stop());

  it('gets a generated root password on its first start, over TCP and the socket', async () => {
    expect(existsSync(path.join(dataDir, 'root-password'))).toBe(false);
    server = await startEmbeddedServer({ dataDir, searchPath, bufferPoolMb: 64 });

    const port = loopbackPort(server.serverUrl);
    expect(await passwordlessRoot({ host: '127.0.0.1', port })).toBe('ER_ACCESS_DENIED_ERROR');
    expect(await passwordlessRoot({ socketPath: path.join(dataDir, 'server.sock') })).toBe(
      'ER_ACCESS_DENIED_ERROR',
    );
    expect(await passwordlessAccounts(server.serverUrl)).toEqual([]);
    expect(modeOf(path.join(dataDir, 'root-password'))).toBe(0o600);
  });
});
