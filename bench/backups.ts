/**
 * createBackup through a fresh gateway process (so its peak RSS is the backup's own)
 * against `mariadb-dump --single-transaction | gzip` of the same database, one after
 * the other on the same server.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { startGatewayProcess } from './gateway-process.js';

export interface BackupMeasure {
  gatewaySeconds: number;
  gatewayBytes: number;
  /** The gateway's peak RSS: idle after start, and over the whole backup. */
  idleRssMb: number;
  peakRssMb: number;
  dumpSeconds: number;
  dumpBytes: number;
}

// MariaDB names it mariadb-dump; MySQL (and older MariaDB) mysqldump.
const DUMP = ['mariadb-dump', 'mysqldump'];

/** mariadb-dump (or mysqldump) of `databaseUrl` piped through gzip (level 6, as gzip's default). */
async function dumpSeconds(databaseUrl: string, file: string): Promise<number> {
  const url = new URL(databaseUrl);
  const args = [
    `--host=${url.hostname}`,
    `--port=${url.port}`,
    `--user=${decodeURIComponent(url.username)}`,
    '--single-transaction',
    '--quick',
    url.pathname.slice(1),
  ];
  const env = { ...process.env, MYSQL_PWD: decodeURIComponent(url.password) };
  for (const binary of DUMP) {
    const started = performance.now();
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const spawned = await new Promise<boolean>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', () => resolve(false));
    });
    if (!spawned) continue;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await pipeline(child.stdout, createGzip({ level: 6 }), createWriteStream(file));
    const code = await exited;
    if (code !== 0) throw new Error(`${binary} exited with ${code}`);
    return (performance.now() - started) / 1000;
  }
  throw new Error(`none of ${DUMP.join(', ')} is installed`);
}

export async function measureBackup(databaseUrl: string, key: string): Promise<BackupMeasure> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-backups-'));
  const gateway = await startGatewayProcess(databaseUrl, key, {
    role: 'admin',
    // Backups against DATABASE_URL are signed with a key the operator provides.
    env: { BACKUP_DIR: dir, BACKUP_SIGNING_KEY: randomBytes(32).toString('hex') },
  });
  try {
    const idleRssMb = gateway.peakRssMb();
    const started = performance.now();
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: 'mutation { createBackup(verify: false) { sizeBytes } }',
      }),
    });
    const result = (await response.json()) as {
      data?: { createBackup: { sizeBytes: string } };
      errors?: unknown;
    };
    if (!result.data) throw new Error(`createBackup failed: ${JSON.stringify(result.errors)}`);
    const gatewaySeconds = (performance.now() - started) / 1000;
    const peakRssMb = gateway.peakRssMb();
    const dumpFile = path.join(dir, 'mariadb-dump.sql.gz');
    const dump = await dumpSeconds(databaseUrl, dumpFile);
    return {
      gatewaySeconds: Math.round(gatewaySeconds * 10) / 10,
      gatewayBytes: Number(result.data.createBackup.sizeBytes),
      idleRssMb,
      peakRssMb,
      dumpSeconds: Math.round(dump * 10) / 10,
      dumpBytes: (await stat(dumpFile)).size,
    };
  } finally {
    await gateway.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
