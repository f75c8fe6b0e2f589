/**
 * The README's first command, as a newcomer runs it: `npm start` with no DATABASE_URL
 * starts a private server under the data folder, loads demo data, serves GraphiQL;
 * Ctrl-C (SIGINT) stops the gateway and that server; a second start reuses the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NoServerInstalledError, startEmbeddedServer } from '../src/db/embedded-server.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quick-start-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  // A gateway killed above cannot stop its server: stop it here, leaving nothing behind.
  if (existsSync(path.join(dataDir, 'server.pid'))) {
    const pid = serverPid();
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      PORT: '0',
      DEMO_EXECUTIONS: '3000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphiQL: (http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

function serverPid() {
  return Number(readFileSync(path.join(dataDir, 'server.pid'), 'utf8'));
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function query(url: string, text: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  });
  return (await response.json()) as {
    data?: Record<string, { totalCount: number }>;
    errors?: unknown;
  };
}

const COUNT = '{ recentExecutions(window: { last: "P400D" }) { totalCount } }';

describe('npm start on the embedded default', () => {
  it(
    'serves GraphiQL and demo data, stops cleanly on Ctrl-C, and reuses the data',
    { timeout: 180_000 },
    async () => {
      const first = await start();
      expect(first.output()).toMatch(/loading demo data/);
      expect(existsSync(path.join(dataDir, 'mysql'))).toBe(true);

      const page = await fetch(first.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/GraphiQL/i);
      expect(await query(first.url, COUNT)).toMatchObject({
        data: { recentExecutions: { totalCount: 3000 } },
      });

      const pid = serverPid();
      expect(alive(pid)).toBe(true);
      expect(await stop(first.child, 'SIGINT')).toBe(0);
      expect(alive(pid)).toBe(false);

      const second = await start();
      expect(second.output()).not.toMatch(/loading demo data/);
      expect(await query(second.url, COUNT)).toMatchObject({
        data: { recentExecutions: { totalCount: 3000 } },
      });
      const secondPid = serverPid();
      expect(await stop(second.child, 'SIGTERM')).toBe(0);
      expect(alive(secondPid)).toBe(false);
    },
  );

  it('says what to install when no server binary is found', async () => {
    const attempt = startEmbeddedServer({ dataDir, searchPath: '/nonexistent' });
    await expect(attempt).rejects.toThrowError(NoServerInstalledError);
    await expect(attempt).rejects.toThrowError(/apt-get install -y mariadb-server/);
  });
});
