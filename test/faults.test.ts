/**
 * Faults against real servers, on a MariaDB of this file's own (so that it can be
 * stopped and restarted without disturbing the other files' server): a restart
 * during requests, a connection killed mid-query, and a pool whose connections are
 * all held. Each fault gives a clear, masked error, never a crash, and leaves no
 * pool slot behind. A slow request is one whose read waits on `LOCK TABLES reports
 * WRITE` held by the test, so it lasts exactly as long as the test wants.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { cacheNamespace, ViewCache } from '../src/cache/view-cache.js';
import { startEmbeddedServer, type EmbeddedServer } from '../src/db/embedded-server.js';
import { migrateUp } from '../src/db/migrate.js';
import { poolStats } from '../src/db/pool-stats.js';
import { openPool, type Database, type PoolOptions } from '../src/db/pool.js';
import { createGateway } from '../src/server/yoga.js';
import { eventually, poolIdle } from './helpers/eventually.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';

const DATABASE = 'faults';
const REPORTS = 3;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'faults-'));
const searchPath = loadConfig(process.env).searchPath;
let server: EmbeddedServer;
let port: number | undefined;
const pools: Database[] = [];

/** Starts the server, on the port it had before when restarted. */
async function startServer() {
  server = await startEmbeddedServer({
    dataDir,
    searchPath,
    database: DATABASE,
    bufferPoolMb: 64,
    fastWrites: true,
    port,
  });
  port = Number(new URL(server.serverUrl).port);
}

beforeAll(async () => {
  await startServer();
  const db = openPool(server.url);
  try {
    await migrateUp(db);
    for (let i = 0; i < REPORTS; i += 1) {
      const report = await insertReport(db, { provider: 'gcp' });
      await insertExecution(db, report, new Date(Date.now() - 3_600_000));
    }
  } finally {
    await db.dispose();
  }
});

afterAll(async () => {
  for (const pool of pools) await pool.dispose().catch(() => undefined);
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function pool(options: PoolOptions): Database {
  const db = openPool(server.url, { statementTimeoutMs: 60_000, ...options });
  pools.push(db);
  return db;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cache?: { field: string; hit: boolean }[] };
}

/** A gateway over `db`; `live` requests bypass the cache. */
function gatewayOn(db: Database, overrides: Partial<Config> = {}) {
  const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), ...overrides };
  const cache = ViewCache.create(config, cacheNamespace(server.url));
  const yoga = createGateway({ db, databaseUrl: server.url, config, cache });
  return {
    async run(query: string, { live = true } = {}) {
      const started = performance.now();
      const response = await yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(live ? { 'cache-control': 'no-cache' } : {}),
        },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as GraphQLBody;
      return { status: response.status, body, ms: performance.now() - started };
    },
    async ready() {
      return (await yoga.fetch('http://gateway.test/ready')).status;
    },
  };
}

// One statement, reading `reports`: one connection per request, held while the lock is.
const FAST = '{ categoryPerformance { category reports } }';
const ANSWER = { categoryPerformance: [{ category: 'INFRASTRUCTURE', reports: REPORTS }] };

async function admin() {
  const connection = await mysql.createConnection(server.url);
  // A connection still open when the server stops must not crash the test with an 'error' event.
  connection.on('error', () => undefined);
  return connection;
}

/** Ids of the connections waiting for the lock on `reports`. */
async function waitingForLock(): Promise<number[]> {
  const connection = await admin();
  try {
    const [rows] = await connection.query(
      `SELECT ID AS id FROM information_schema.PROCESSLIST
       WHERE DB = ? AND STATE LIKE 'Waiting for table%'`,
      [DATABASE],
    );
    return (rows as { id: number }[]).map((row) => Number(row.id));
  } finally {
    await connection.end().catch(() => undefined);
  }
}

/** Holds a write lock on `reports`: every read of it waits until release(). */
async function lockReports() {
  const connection = await admin();
  await connection.query('LOCK TABLES reports WRITE');
  return {
    release: async () => {
      await connection.query('UNLOCK TABLES');
      await connection.end();
    },
  };
}

function expectAnswered(results: { body: GraphQLBody }[]) {
  for (const { body } of results) {
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(ANSWER);
  }
}

function expectUnavailable(result: { body: GraphQLBody }) {
  expect(result.body.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
  expect(result.body.errors?.[0]?.message).toMatch(/database is unavailable/);
  // Masked: no host, port, user, driver code or SQL.
  const text = JSON.stringify(result.body);
  expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|root|SELECT|reports r/);
  expect(text).not.toContain(String(port));
}

describe('faults', () => {
  it(
    'survives a database restart during requests and recovers within seconds',
    { timeout: 180_000 },
    async () => {
      const db = pool({ poolSize: 4 });
      const gateway = gatewayOn(db);
      expectAnswered(await Promise.all([1, 2, 3, 4].map(() => gateway.run(FAST))));

      // One request is inside the server when it stops (the lock dies with the server).
      await lockReports();
      const inFlight = gateway.run(FAST);
      await eventually(async () => (await waitingForLock()).length === 1);
      // Meanwhile a steady trickle of requests, through the outage and the restart.
      const outcomes: string[] = [];
      let loading = true;
      const load = (async () => {
        while (loading) {
          const { body } = await gateway.run(FAST);
          outcomes.push(body.data ? 'ok' : (body.errors?.[0]?.extensions?.code ?? 'none'));
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();

      await server.stop();
      expectUnavailable(await inFlight);
      const during = await gateway.run(FAST);
      expectUnavailable(during);
      expect(await gateway.ready()).toBe(503);

      await startServer();
      const restarted = Date.now();
      await eventually(async () => !(await gateway.run(FAST)).body.errors, 30_000);
      const recoveredMs = Date.now() - restarted;
      loading = false;
      await load;

      expect(recoveredMs).toBeLessThan(10_000);
      expect(outcomes).toContain('DATABASE_UNAVAILABLE');
      // Every failure was the clear one: nothing unexpected, nothing masked as internal.
      expect(outcomes.filter((o) => o !== 'ok' && o !== 'DATABASE_UNAVAILABLE')).toEqual([]);
      // No slot leaked: as many concurrent requests as the pool has connections all succeed.
      expectAnswered(await Promise.all([1, 2, 3, 4].map(() => gateway.run(FAST))));
      await eventually(poolIdle(db));
      expect(await gateway.ready()).toBe(200);
    },
  );

  it('answers a query whose connection is killed with a clear error, then carries on', async () => {
    const db = pool({ poolSize: 2 });
    const gateway = gatewayOn(db);
    const lock = await lockReports();
    try {
      const inFlight = gateway.run(FAST);
      let victim: number | undefined;
      await eventually(async () => {
        [victim] = await waitingForLock();
        return victim !== undefined;
      });
      const killer = await admin();
      await killer.query(`KILL ${Number(victim)}`);
      await killer.end();
      expectUnavailable(await inFlight);
    } finally {
      await lock.release();
    }
    expectAnswered([await gateway.run(FAST)]);
    expectAnswered(await Promise.all([1, 2].map(() => gateway.run(FAST))));
    await eventually(poolIdle(db));
  });

  it('fails waiters at the queue timeout while cached reads are still served', async () => {
    const db = pool({ poolSize: 2, queueTimeoutMs: 1_000 });
    const gateway = gatewayOn(db, { dbQueueTimeoutMs: 1_000 });
    const CACHED = '{ providerPerformance { provider reports } }';
    const primed = await gateway.run(CACHED, { live: false });
    expect(primed.body.data).toEqual({
      providerPerformance: [{ provider: 'GCP', reports: REPORTS }],
    });

    const lock = await lockReports();
    let holders: Promise<{ body: GraphQLBody }>[] = [];
    try {
      // Both connections are taken by reads that wait for the lock.
      holders = [gateway.run(FAST), gateway.run(FAST)];
      await eventually(async () => (await waitingForLock()).length === 2);
      expect(poolStats(db)?.inUse).toBe(2);

      const waiter = await gateway.run('{ executionTrends { peak { slot } } }');
      expect(waiter.body.errors?.[0]?.extensions?.code).toBe('DATABASE_BUSY');
      expect(waiter.body.errors?.[0]?.message).toMatch(/Every database connection stayed busy/);
      expect(waiter.ms).toBeGreaterThanOrEqual(900);

      // The same request again: the whole response comes from the cache.
      const sameRequest = await gateway.run(CACHED, { live: false });
      expect(sameRequest.body.data).toEqual(primed.body.data);
      expect(sameRequest.body.extensions?.cache?.[0]).toMatchObject({ hit: true });
      // Another request over the same view: the view's result comes from the cache.
      const sameView = await gateway.run(`{ again: ${CACHED.slice(2)}`, { live: false });
      expect(sameView.body.data).toEqual({ again: primed.body.data?.providerPerformance });
      expect(sameView.body.extensions?.cache).toEqual([expect.objectContaining({ hit: true })]);
    } finally {
      await lock.release();
    }
    expectAnswered(await Promise.all(holders));
    expectAnswered(await Promise.all([1, 2].map(() => gateway.run(FAST))));
    await eventually(poolIdle(db));
  });
});
