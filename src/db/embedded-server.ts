/**
 * The embedded default: a private MariaDB (or MySQL) server whose data lives in
 * one folder, on a free loopback port (never 3306, which a system server may hold),
 * with root's password generated and kept in that folder, and durable commits.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, accessSync, constants, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql, { type ConnectionOptions } from 'mysql2/promise';
import { rootPassword, writeSecuringInitFile } from './embedded-root-password.js';

const run = promisify(execFile);

export interface EmbeddedServer {
  /** Connection URL of the `analytics` database on this server. */
  url: string;
  /** URL without a database, for creating others (tests use one per file). */
  serverUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  database?: string;
  bufferPoolMb?: number;
  /** Trade durability for speed (a crash may lose the last second of commits): tests only. */
  fastWrites?: boolean;
  /** The PATH to search for mariadbd / mysqld (config.searchPath). */
  searchPath: string;
  /** Listen on this port instead of a free one: a restart keeps the server's address. */
  port?: number;
  /** Further server options, after (so overriding) the defaults: tests of users' configurations. */
  serverArgs?: readonly string[];
}

function findExecutable(names: string[], searchPath: string): string | undefined {
  const dirs = searchPath.split(path.delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/** The error a newcomer sees when neither MariaDB nor MySQL is installed. */
export class NoServerInstalledError extends Error {
  constructor() {
    super(
      'No MariaDB or MySQL server binary (mariadbd or mysqld) was found on PATH.\n' +
        'Install one, e.g. `sudo apt-get install -y mariadb-server` (Debian/Ubuntu) or\n' +
        '`brew install mariadb` (macOS), or set DATABASE_URL=mysql://user:pass@host:port/db\n' +
        'to use a server you already run.',
    );
    this.name = 'NoServerInstalledError';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function initialize(
  serverBinary: string,
  isMariaDb: boolean,
  dataDir: string,
  tmpDir: string,
  searchPath: string,
) {
  const user = isRoot() ? ['--user=root'] : [];
  if (isMariaDb) {
    const installer = findExecutable(['mariadb-install-db', 'mysql_install_db'], searchPath);
    if (!installer) throw new Error('mariadb-install-db was not found next to mariadbd');
    await run(installer, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--tmpdir=${tmpDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...user,
    ]);
  } else {
    await run(serverBinary, [
      '--no-defaults',
      '--initialize-insecure',
      `--datadir=${dataDir}`,
      `--tmpdir=${tmpDir}`,
      ...user,
    ]);
  }
}

/** Stops a server left running by a crashed gateway, so its data folder can be reused. */
async function stopStaleServer(pidFile: string, dataDir: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  // The pid may have been reused by another process since: only stop our own server.
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline) || !readFileSync(cmdline, 'utf8').includes(dataDir)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // not running
  }
  for (let i = 0; i < 300; i += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`an earlier embedded server (pid ${pid}) did not stop`);
}

function errorLogTail(file: string) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
}

async function waitUntilReady(child: ChildProcess, root: ConnectionOptions, errorLog: string) {
  const state: { exitCode: number | null } = { exitCode: null };
  child.once('exit', (code) => (state.exitCode = code ?? -1));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (state.exitCode !== null) {
      throw new Error(
        `the embedded server exited (code ${state.exitCode}):\n${errorLogTail(errorLog)}`,
      );
    }
    try {
      const conn = await mysql.createConnection(root);
      await conn.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(
    `the embedded server did not accept connections within 60 s:\n${errorLogTail(errorLog)}`,
  );
}

/** Starts (initializing on first use) a private server with its data under `dataDir`. */
export async function startEmbeddedServer(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const binary = findExecutable(['mariadbd', 'mysqld'], options.searchPath);
  if (!binary) throw new NoServerInstalledError();
  const { stdout } = await run(binary, ['--version']);
  const isMariaDb = /mariadb/i.test(stdout);

  const dataDir = path.resolve(options.dataDir);
  const mysqlDir = path.join(dataDir, 'mysql');
  const pidFile = path.join(dataDir, 'server.pid');
  const errorLog = path.join(dataDir, 'server.log');
  mkdirSync(dataDir, { recursive: true });
  await stopStaleServer(pidFile, mysqlDir);
  // A temporary directory of its own: at start-up the server deletes every #sql*
  // file in its tmpdir, which in a shared /tmp are the live temporary tables of any
  // other server on the machine (their statements then fail with EE_DELETE).
  const tmpDir = path.join(dataDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  if (!existsSync(path.join(mysqlDir, 'mysql'))) {
    await initialize(binary, isMariaDb, mysqlDir, tmpDir, options.searchPath);
  }
  const password = rootPassword(dataDir);
  const initFile = writeSecuringInitFile(dataDir, password);

  const port = options.port ?? (await freePort());
  const args = [
    '--no-defaults',
    `--datadir=${mysqlDir}`,
    `--tmpdir=${tmpDir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${path.join(dataDir, 'server.sock')}`,
    `--pid-file=${pidFile}`,
    `--log-error=${errorLog}`,
    `--innodb-buffer-pool-size=${options.bufferPoolMb ?? 256}M`,
    '--skip-log-bin',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    '--max-connections=500',
    // Run before the first connection is accepted: root never answers without the password.
    `--init-file=${initFile}`,
    `--innodb-flush-log-at-trx-commit=${options.fastWrites ? 2 : 1}`,
    ...(options.fastWrites ? ['--sync-binlog=0'] : []),
    ...(isRoot() ? ['--user=root'] : []),
    ...(options.serverArgs ?? []),
  ];
  // Its own process group: Ctrl-C reaches the gateway, which then stops the server cleanly.
  const child = spawn(binary, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined); // a failed spawn shows as an exit in waitUntilReady
  const database = options.database ?? 'analytics';
  const root: ConnectionOptions = { host: '127.0.0.1', port, user: 'root', password };
  const serverUrl = `mysql://root:${password}@127.0.0.1:${port}`;
  try {
    await waitUntilReady(child, root, errorLog);
    const admin = await mysql.createConnection(root);
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
    await admin.end();
  } catch (error) {
    // Detached, the server would outlive us: stop it before giving up.
    child.kill('SIGKILL');
    throw error;
  } finally {
    // It has run by now (or the server is gone): the password stays in one file only.
    rmSync(initFile, { force: true });
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `${serverUrl}/${database}`,
    serverUrl,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
      return stopping;
    },
  };
}
