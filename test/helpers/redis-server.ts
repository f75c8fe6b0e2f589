/** A private redis-server on a free port, for tests that stop and restart it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number) {
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not open port ${port}`);
}

/**
 * Starts redis-server (from PATH) on a free port. By default it keeps nothing on disk
 * and `stop` kills it; with `persist` it saves its data on `stop` (SIGTERM) to a
 * folder of its own and `start` loads it again, as a restarted production Redis would.
 */
export async function startPrivateRedis({ persist = false } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = persist ? mkdtempSync(path.join(os.tmpdir(), 'redis-test-')) : undefined;
  const storage = dir ? ['--dir', dir, '--shutdown-on-sigterm', 'save'] : [];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        ...storage,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(dir ? 'SIGTERM' : 'SIGKILL');
    });
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}
