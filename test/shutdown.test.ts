/**
 * Graceful shutdown of the real CLI (`serve` on a test database): on SIGTERM a
 * request in flight runs to its end with 200, a new request meanwhile gets 503 with
 * a clear body, and the process exits 0 once it has closed. The request in flight
 * reads `reports` while the test holds `LOCK TABLES reports WRITE`, so it lasts
 * until the test lets it go.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertReport } from './helpers/fixtures.js';

let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReport(database.db);
  await insertReport(database.db);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await database.drop();
});

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

function serve(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: '0',
      API_KEYS: '',
      CACHE_URL: '',
      // The request in flight waits on a lock for as long as the test needs.
      STATEMENT_TIMEOUT_MS: '120000',
      REQUEST_TIMEOUT_MS: '120000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphiQL: (http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (match) resolve({ child, url: match[1]!, exited, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

function post(url: string, query: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
    body: JSON.stringify({ query }),
  });
}

async function eventually<T>(attempt: () => Promise<T | undefined>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitingForLock(): Promise<number> {
  const connection = await mysql.createConnection(database.url);
  try {
    const [rows] = await connection.query(
      `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
       WHERE DB = ? AND STATE LIKE 'Waiting for table%'`,
      [database.name],
    );
    return Number((rows as { n: number }[])[0]?.n);
  } finally {
    await connection.end();
  }
}

describe('graceful shutdown', () => {
  it(
    'finishes the request in flight, refuses new ones with 503, then exits 0',
    { timeout: 120_000 },
    async () => {
      const gateway = await serve();
      const lock = await mysql.createConnection(database.url);
      await lock.query('LOCK TABLES reports WRITE');
      let locked = true;
      try {
        const slow = post(gateway.url, '{ categoryPerformance { category reports } }');
        await eventually(async () => ((await waitingForLock()) === 1 ? true : undefined));

        gateway.child.kill('SIGTERM');
        // The signal lands asynchronously: ask until the gateway says it is draining.
        const refused = await eventually(async () => {
          const response = await post(gateway.url, '{ __typename }');
          return response.status === 503 ? response : undefined;
        });
        expect(refused.headers.get('content-type')).toMatch(/application\/json/);
        expect(refused.headers.get('retry-after')).toBe('1');
        const refusal = (await refused.json()) as {
          errors: { message: string; extensions: { code: string } }[];
        };
        expect(refusal.errors).toHaveLength(1);
        expect(refusal.errors[0]?.extensions).toEqual({ code: 'SHUTTING_DOWN' });
        expect(refusal.errors[0]?.message).toMatch(/shutting down and takes no new requests/);
        const origin = new URL(gateway.url).origin;
        const ready = await fetch(`${origin}/ready`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toEqual({
          status: 'unavailable',
          problem: 'the gateway is shutting down',
        });
        expect((await fetch(`${origin}/health`)).status).toBe(200);
        expect(gateway.child.exitCode).toBeNull();

        await lock.query('UNLOCK TABLES');
        locked = false;
        const response = await slow;
        expect(response.status).toBe(200);
        const body = (await response.json()) as { data?: unknown; errors?: unknown };
        expect(body.errors).toBeUndefined();
        expect(body.data).toEqual({
          categoryPerformance: [{ category: 'INFRASTRUCTURE', reports: 2 }],
        });
        expect(await gateway.exited).toBe(0);
        expect(gateway.output()).toMatch(/"message":"draining","requestsInFlight":1/);
      } finally {
        if (locked) await lock.query('UNLOCK TABLES');
        await lock.end();
      }
      // Closed: nothing listens any more.
      await expect(post(gateway.url, '{ __typename }')).rejects.toThrow();
    },
  );
});
