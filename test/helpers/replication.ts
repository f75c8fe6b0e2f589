/**
 * A primary and its replicas, each a private MariaDB server: the primary writes a binary
 * log in the server's default format (MIXED on MariaDB: statements, and rows for those
 * unsafe to repeat, such as the journal triggers' UUID_SHORT()), every replica copies it
 * by GTID from the primary's position at set-up. Replicas can be stopped and started again on the same port and data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../src/config.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/db/embedded-server.js';

export interface ReplicaServer {
  /** The URL of `database` on this server. */
  urlOf(database: string): string;
  serverUrl: string;
  stop(): Promise<void>;
  /** Starts it again (same port, same data): its replication resumes by itself. */
  start(): Promise<void>;
  /** Stops (SIGSTOP) or resumes (SIGCONT) its process: a server that stops answering. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void;
  /** Runs statements on it as root. */
  admin<T>(fn: (connection: mysql.Connection) => Promise<T>): Promise<T>;
}

async function startServer(
  serverArgs: string[],
  cleanups: (() => Promise<void>)[],
  bufferPoolMb: number,
): Promise<ReplicaServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'analytics-replication-'));
  const options = {
    dataDir,
    searchPath: loadConfig(process.env).searchPath,
    bufferPoolMb,
    fastWrites: true,
    serverArgs,
  };
  let server: EmbeddedServer = await startEmbeddedServer(options);
  const port = Number(new URL(server.serverUrl).port);
  cleanups.push(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    urlOf: (database) => `${server.serverUrl}/${database}`,
    get serverUrl() {
      return server.serverUrl;
    },
    stop: () => server.stop(),
    async start() {
      server = await startEmbeddedServer({ ...options, port });
    },
    signal(signal) {
      process.kill(Number(readFileSync(path.join(dataDir, 'server.pid'), 'utf8').trim()), signal);
    },
    async admin(fn) {
      const connection = await mysql.createConnection(server.serverUrl);
      try {
        return await fn(connection);
      } finally {
        await connection.end();
      }
    },
  };
}

/** The primary's current GTID position. */
export async function primaryPosition(primary: ReplicaServer): Promise<string> {
  return primary.admin(async (c) => {
    const [rows] = await c.query('SELECT @@GLOBAL.gtid_binlog_pos AS position');
    return (rows as { position: string }[])[0]!.position;
  });
}

/** Resolves once `replica` has applied everything the primary has committed now. */
export async function caughtUp(primary: ReplicaServer, replica: ReplicaServer): Promise<void> {
  const position = await primaryPosition(primary);
  await replica.admin(async (c) => {
    const [rows] = await c.query('SELECT MASTER_GTID_WAIT(?, 60) AS waited', [position]);
    if ((rows as { waited: number }[])[0]!.waited !== 0) {
      throw new Error(`the replica did not reach ${position} within 60 s`);
    }
  });
}

export async function startReplication(
  replicaCount: number,
  cleanups: (() => Promise<void>)[],
  bufferPoolMb = 64,
): Promise<{ primary: ReplicaServer; replicas: ReplicaServer[] }> {
  const primary = await startServer(['--log-bin=binlog', '--server-id=1'], cleanups, bufferPoolMb);
  const { hostname, port, password } = new URL(primary.serverUrl);
  const replicas: ReplicaServer[] = [];
  for (let index = 0; index < replicaCount; index += 1) {
    const replica = await startServer(
      [`--server-id=${index + 2}`, '--read-only=1'],
      cleanups,
      bufferPoolMb,
    );
    const position = await primaryPosition(primary);
    await replica.admin(async (c) => {
      await c.query('SET GLOBAL gtid_slave_pos = ?', [position]);
      await c.query(
        'CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, ' +
          'MASTER_PASSWORD = ?, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1',
        [hostname, Number(port), 'root', decodeURIComponent(password)],
      );
      await c.query('START SLAVE');
    });
    replicas.push(replica);
  }
  return { primary, replicas };
}
