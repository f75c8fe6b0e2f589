/**
 * Reads from read replicas (READ_DATABASE_URLS), exact after a write: a primary and two
 * replicas, each a private MariaDB replicating by GTID, and two gateway instances as
 * main.ts starts them on one Redis. Replicas are made to lag (delayed replication),
 * stopped (their SQL thread), and killed during a request. Every expected number is
 * counted with plain SQL on the primary.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertWatch } from '../src/alerts/alert-watch.js';
import { ViewCache, cacheNamespace } from '../src/cache/view-cache.js';
import { loadConfig } from '../src/config.js';
import { readRows } from '../src/db/read.js';
import { openPool, queryOne, type Database } from '../src/db/pool.js';
import { WritePositions } from '../src/db/replication/read-route.js';
import { ReplicaSet } from '../src/db/replication/replica-set.js';
import { startGateway, type RunningGateway } from '../src/main.js';
import { createContext } from '../src/server/context.js';
import { createTestDatabase } from './helpers/database.js';
import { eventually } from './helpers/eventually.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/redis-server.js';
import { caughtUp, startReplication, type ReplicaServer } from './helpers/replication.js';

const DATABASE = 'replicated';
const ADMIN = 'admin-key-for-the-replica-tests';
// A delayed replica within this stays in service; one further behind is taken out.
const MAX_LAG_MS = 4_000;

const cleanups: (() => Promise<void>)[] = [];
let primary: ReplicaServer;
let replicaA: ReplicaServer;
let replicaB: ReplicaServer;
let redis: PrivateRedis;
let primaryDb: Database;
let instances: Instance[];
let reportId: string;

interface Answer<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface ReplicaState {
  name: string;
  state: string;
  lagMs: number | null;
  readsServed: number;
}

interface Instance {
  gateway: RunningGateway;
  ask<T = Record<string, unknown>>(
    query: string,
    variables?: unknown,
    options?: { noCache?: boolean },
  ): Promise<Answer<T>>;
  replicas(): Promise<ReplicaState[]>;
  metrics(): Promise<string>;
}

async function startInstance(): Promise<Instance> {
  const gateway = await startGateway(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: primary.urlOf(DATABASE),
      READ_DATABASE_URLS: `${replicaA.urlOf(DATABASE)},${replicaB.urlOf(DATABASE)}`,
      REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
      PORT: '0',
      CACHE_URL: redis.url,
      API_KEYS: `admin:${ADMIN}`,
    }),
  );
  const base = gateway.url.replace(/\/graphql$/, '');
  return {
    gateway,
    async ask<T>(query: string, variables?: unknown, { noCache = true } = {}) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${ADMIN}`,
          ...(noCache ? { 'cache-control': 'no-cache' } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Answer<T>;
    },
    async replicas() {
      const body = (await (await fetch(`${base}/ready`)).json()) as { replicas: ReplicaState[] };
      return body.replicas;
    },
    async metrics() {
      return (await fetch(`${base}/metrics`)).text();
    },
  };
}

const stateOf = async (instance: Instance, name: string) =>
  (await instance.replicas()).find((replica) => replica.name === name)!;

const allHealthy = async () => {
  for (const instance of instances) {
    const states = await instance.replicas();
    if (!states.every((replica) => replica.state === 'healthy')) return false;
  }
  return true;
};

/** The reads each server answered for `instance`, from /metrics. */
async function readsByServer(instance: Instance): Promise<Record<string, number>> {
  const reads: Record<string, number> = {};
  for (const match of (await instance.metrics()).matchAll(
    /^gateway_read_statements_total\{server="([^"]+)"\} (\d+)$/gm,
  )) {
    reads[match[1]!] = Number(match[2]);
  }
  return reads;
}

const SUMMARY = `query ($id: ID!, $last: String) {
  reportsSummary(filter: { reportIds: [$id] }, window: { last: $last }) { edges { node { executions } } }
}`;

/** The report's executions in the last 30 days as the gateway answers them. */
async function executionsSeen(instance: Instance, noCache = true, days = 30): Promise<number> {
  const answer = await instance.ask<{
    reportsSummary: { edges: { node: { executions: number } }[] };
  }>(SUMMARY, { id: reportId, last: `P${days}D` }, { noCache });
  expect(answer.errors).toBeUndefined();
  return answer.data!.reportsSummary.edges[0]?.node.executions ?? 0;
}

/** The same count by plain SQL on the primary. */
async function executionsOnPrimary(): Promise<number> {
  const row = await queryOne<{ n: number }>(
    primaryDb,
    sql`SELECT COUNT(*) AS n FROM report_executions
        WHERE report_id = ${reportId} AND started_at >= NOW(3) - INTERVAL 30 DAY`,
  );
  return Number(row!.n);
}

const INSERT = `mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { ids } }`;

/** Inserts one execution of the report through `instance`; returns its id. */
async function insertThrough(instance: Instance): Promise<string> {
  const startedAt = new Date(Date.now() - 60_000).toISOString();
  const answer = await instance.ask<{ insertExecutions: { ids: string[] } }>(INSERT, {
    rows: [{ reportId, status: 'SUCCESS', startedAt, durationMs: 1_234 }],
  });
  expect(answer.errors).toBeUndefined();
  return answer.data!.insertExecutions.ids[0]!;
}

async function setDelay(replica: ReplicaServer, seconds: number) {
  await replica.admin(async (c) => {
    await c.query('STOP SLAVE');
    await c.query('CHANGE MASTER TO MASTER_DELAY = ?', [seconds]);
    await c.query('START SLAVE');
  });
}

beforeAll(async () => {
  const servers = await startReplication(2, cleanups);
  primary = servers.primary;
  [replicaA, replicaB] = servers.replicas as [ReplicaServer, ReplicaServer];
  redis = await startPrivateRedis();
  cleanups.push(() => redis.stop());
  await primary.admin((c) => c.query(`CREATE DATABASE ${DATABASE}`));
  // The first instance migrates the primary; the replicas copy the tables.
  instances = [await startInstance()];
  instances.push(await startInstance());
  cleanups.push(async () => {
    for (const instance of instances) await instance.gateway.close();
  });
  primaryDb = openPool(primary.urlOf(DATABASE));
  cleanups.push(() => primaryDb.dispose());
  const answer = await instances[0]!.ask<{ upsertReports: { ids: string[] } }>(
    `mutation { upsertReports(rows: [{ name: "Replicated", provider: AWS, category: COST }]) { ids } }`,
  );
  reportId = answer.data!.upsertReports.ids[0]!;
  await insertThrough(instances[0]!);
  await caughtUp(primary, replicaA);
  await caughtUp(primary, replicaB);
  await eventually(allHealthy);
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}, 120_000);

describe('read replicas', () => {
  it('answers reads from the replicas round robin and writes on the primary', async () => {
    const [one] = instances;
    // The instance has seen the tokens, and both replicas have applied everything since.
    await executionsSeen(one!, false, 29);
    await caughtUp(primary, replicaA);
    await caughtUp(primary, replicaB);
    const before = await readsByServer(one!);
    // Six different requests through the cache (each a miss, routed by the tokens).
    for (let days = 30; days < 36; days += 1) {
      expect(await executionsSeen(one!, false, days)).toBe(await executionsOnPrimary());
    }
    const entity = await one!.ask(`query ($id: ID!) { report(id: $id) { name } }`, {
      id: reportId,
    });
    expect(entity.data?.report).toEqual({ name: 'Replicated' });
    const explained = await one!.ask(
      `{ explain(view: "reportsSummary", selection: "{ edges { node { executions } } }") { statements { plan } } }`,
    );
    expect(explained.errors).toBeUndefined();
    const after = await readsByServer(one!);
    // Both replicas answered (round robin); the primary answered no read.
    expect(after['replica-1']! - before['replica-1']!).toBeGreaterThanOrEqual(3);
    expect(after['replica-2']! - before['replica-2']!).toBeGreaterThanOrEqual(3);
    expect(after.primary).toBe(before.primary);

    // A write goes to the primary (the replicas are read-only copies of it).
    const id = await insertThrough(one!);
    const row = await queryOne<{ n: number }>(
      primaryDb,
      sql`SELECT COUNT(*) AS n FROM report_executions WHERE id = ${id}`,
    );
    expect(Number(row!.n)).toBe(1);

    const health = await one!.ask<{ databaseHealth: { replicas: ReplicaState[] } }>(
      `{ databaseHealth { replicas { name state lagMs readsServed } } }`,
    );
    expect(health.data!.databaseHealth.replicas).toEqual([
      expect.objectContaining({ name: 'replica-1', state: 'HEALTHY' }),
      expect.objectContaining({ name: 'replica-2', state: 'HEALTHY' }),
    ]);
    expect(await one!.metrics()).toMatch(
      /^gateway_replica_state\{replica="replica-2",state="healthy"\} 1$/m,
    );
  });

  it('after a write on any instance, every instance reads it, while a replica applies it 1 s late', async () => {
    await setDelay(replicaA, 1);
    try {
      const before = await readsByServer(instances[1]!);
      for (let round = 0; round < 4; round += 1) {
        const writer = instances[round % 2]!;
        const id = await insertThrough(writer);
        const expected = await executionsOnPrimary();
        for (const reader of [...instances, ...instances]) {
          expect(await executionsSeen(reader)).toBe(expected);
          // Through the cache too: nothing stored before the write may answer.
          expect(await executionsSeen(reader, false)).toBe(expected);
          // An entity look-up (DataLoader) in a request without Cache-Control.
          const found = await reader.ask(
            `query ($id: ID!) { execution(id: $id) { id } }`,
            { id },
            { noCache: false },
          );
          expect(found.data?.execution).toEqual({ id });
        }
      }
      // The delayed replica stayed in service and answered reads that its position allowed.
      expect((await stateOf(instances[1]!, 'replica-1')).state).toBe('healthy');
      const after = await readsByServer(instances[1]!);
      expect(after['replica-2']! - before['replica-2']!).toBeGreaterThan(0);
    } finally {
      await setDelay(replicaA, 0);
    }
  }, 120_000);

  it('a request for live numbers sees a write made straight in SQL at once', async () => {
    // Replica B out, replica A applying everything 2 s late but caught up now.
    await replicaB.admin((c) => c.query('STOP SLAVE SQL_THREAD'));
    await setDelay(replicaA, 2);
    try {
      for (const instance of instances) {
        await eventually(
          async () => (await stateOf(instance, 'replica-2')).state === 'not_replicating',
        );
      }
      await caughtUp(primary, replicaA);
      // Every instance has seen the tokens, which replica A has applied.
      for (const instance of instances) await executionsSeen(instance, false, 40);
      // No token changes; Cache-Control: no-cache asks for the numbers as of the request.
      await primaryDb.query(
        sql`INSERT INTO report_executions (report_id, status, started_at, duration_ms)
            VALUES (${reportId}, 'success', NOW(3) - INTERVAL 5 MINUTE, 40)`,
      );
      const expected = await executionsOnPrimary();
      for (const reader of [...instances, ...instances]) {
        expect(await executionsSeen(reader, true)).toBe(expected);
      }
    } finally {
      await replicaB.admin((c) => c.query('START SLAVE SQL_THREAD'));
      await setDelay(replicaA, 0);
    }
    await eventually(allHealthy);
  }, 60_000);

  it('stores no replica answer read before a write under the versions after it', async () => {
    const config = { ...loadConfig({ NODE_ENV: 'test', CACHE_URL: redis.url }) };
    const cache = ViewCache.create(config, cacheNamespace(primary.urlOf(DATABASE)));
    // Replica A alone: the request's reads go there while it has applied what they need.
    const replicas = new ReplicaSet(
      primaryDb,
      primary.urlOf(DATABASE),
      [replicaA.urlOf(DATABASE)],
      {
        maxLagMs: 60_000,
        waitMs: 5_000,
        pollMs: 50,
      },
    );
    try {
      await replicas.start();
      const reads = { replicas, positions: new WritePositions(replicas) };
      const alerts = new AlertWatch(primaryDb, cache, 60_000);
      const count = sql`SELECT COUNT(*) AS n FROM report_executions WHERE report_id = ${reportId}`;
      // A request's context, as yoga makes one per request.
      const request = () =>
        createContext({ db: primaryDb, alerts, replicas: reads, databaseUrl: '', config, cache });
      const context = request();
      const [first] = await readRows<{ n: number }>(context.db, count);
      const key = `replica-test:${reportId}`;
      // A write acknowledged after this request chose its server, which does not apply it…
      await replicaA.admin((c) => c.query('STOP SLAVE SQL_THREAD'));
      await insertThrough(instances[0]!);
      const outcome = await cache.readThrough(
        key,
        ['report_executions'],
        60_000,
        async () => Number((await readRows<{ n: number }>(context.db, count))[0]!.n),
        (versions) => context.route!.covers(versions),
      );
      // …is not in its answer (fresh enough for a request begun before it), which is not kept.
      expect(outcome.value).toBe(Number(first!.n));
      expect(outcome.versions).toEqual({});
      expect(replicas.replicas[0]!.readsServed).toBe(2);
      // A request after the write computes again, where the write is applied (the primary).
      await eventually(() => replicas.replicas[0]!.state === 'not_replicating');
      const later = request();
      const fresh = await cache.readThrough(
        key,
        ['report_executions'],
        60_000,
        async () => Number((await readRows<{ n: number }>(later.db, count))[0]!.n),
        (versions) => later.route!.covers(versions),
      );
      expect(fresh.hit).toBe(false);
      expect(fresh.value).toBe(Number(first!.n) + 1);
    } finally {
      await replicas.close();
      await cache.backend.close();
      await replicaA.admin((c) => c.query('START SLAVE SQL_THREAD'));
    }
    await eventually(allHealthy);
  }, 60_000);

  it('takes out a replica whose replication stops, and puts it back when it runs again', async () => {
    const [one, two] = instances;
    await replicaA.admin((c) => c.query('STOP SLAVE SQL_THREAD'));
    try {
      await eventually(async () => (await stateOf(one!, 'replica-1')).state === 'not_replicating');
      await eventually(async () => (await stateOf(two!, 'replica-1')).state === 'not_replicating');
      const before = await readsByServer(one!);
      // Writes straight in SQL, which replica A does not apply.
      await primaryDb.query(
        sql`INSERT INTO report_executions (report_id, status, started_at, duration_ms)
            VALUES (${reportId}, 'failed', NOW(3) - INTERVAL 1 HOUR, 10)`,
      );
      await caughtUp(primary, replicaB);
      for (let i = 0; i < 4; i += 1)
        expect(await executionsSeen(one!)).toBe(await executionsOnPrimary());
      const after = await readsByServer(one!);
      expect(after['replica-1']).toBe(before['replica-1']);
      expect(after['replica-2']! - before['replica-2']!).toBeGreaterThanOrEqual(4);
    } finally {
      await replicaA.admin((c) => c.query('START SLAVE SQL_THREAD'));
    }
    await eventually(allHealthy);
  }, 60_000);

  it('takes out a replica lagging past REPLICA_MAX_LAG_MS until it catches up', async () => {
    const [one] = instances;
    await setDelay(replicaA, 8);
    try {
      // A write straight in SQL that replica A applies 8 s late.
      await primaryDb.query(
        sql`INSERT INTO report_executions (report_id, status, started_at, duration_ms)
            VALUES (${reportId}, 'success', NOW(3) - INTERVAL 2 HOUR, 20)`,
      );
      await eventually(async () => (await stateOf(one!, 'replica-1')).state === 'lagging');
      const lagging = await stateOf(one!, 'replica-1');
      expect(lagging.lagMs).toBeGreaterThan(MAX_LAG_MS);
      const before = await readsByServer(one!);
      for (let i = 0; i < 4; i += 1) await executionsSeen(one!);
      expect((await readsByServer(one!))['replica-1']).toBe(before['replica-1']);
      // Once it applied the write, it serves again.
      await caughtUp(primary, replicaA);
      await eventually(async () => (await stateOf(one!, 'replica-1')).state === 'healthy');
    } finally {
      await setDelay(replicaA, 0);
    }
  }, 60_000);

  it('replicas hold the same rows as the primary (binary log in the default MIXED format)', async () => {
    // Writes of every kind: the gateway's (triggers journal them), the applier's folds, SQL.
    await insertThrough(instances[1]!);
    await primaryDb.query(
      sql`UPDATE report_executions SET duration_ms = duration_ms + 1 WHERE report_id = ${reportId}`,
    );
    await eventually(async () => {
      const row = await queryOne<{ n: number }>(
        primaryDb,
        sql`SELECT COUNT(*) AS n FROM rollup_journal`,
      );
      return Number(row!.n) === 0;
    });
    const checksums = async (server: ReplicaServer) =>
      server.admin(async (c) => {
        const [tables] = await c.query(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1",
          [DATABASE],
        );
        const names = (tables as { name: string }[]).map(({ name }) => `${DATABASE}.\`${name}\``);
        const [rows] = await c.query(`CHECKSUM TABLE ${names.join(', ')}`);
        return rows as { Table: string; Checksum: number }[];
      });
    const expected = await checksums(primary);
    expect(expected.length).toBeGreaterThan(5);
    for (const replica of [replicaA, replicaB]) {
      await caughtUp(primary, replica);
      expect(await checksums(replica)).toEqual(expected);
    }
  }, 60_000);

  it('with an account that may only SELECT, judges a replica by its lag', async () => {
    await primary.admin(async (c) => {
      await c.query("CREATE USER 'reader'@'%' IDENTIFIED BY 'reader-password'");
      await c.query(`GRANT SELECT ON ${DATABASE}.* TO 'reader'@'%'`);
    });
    await caughtUp(primary, replicaA);
    const url = new URL(replicaA.urlOf(DATABASE));
    url.username = 'reader';
    url.password = 'reader-password';
    const replicas = new ReplicaSet(primaryDb, primary.urlOf(DATABASE), [url.toString()], {
      maxLagMs: 500,
      waitMs: 0,
      pollMs: 50,
    });
    try {
      await replicas.start();
      const [replica] = replicas.replicas;
      expect(replica!.state).toBe('healthy');
      // Its stopped thread cannot be seen: it is taken out once it lags past the limit.
      await replicaA.admin((c) => c.query('STOP SLAVE SQL_THREAD'));
      await primaryDb.query(
        sql`INSERT INTO report_executions (report_id, status, started_at, duration_ms)
            VALUES (${reportId}, 'success', NOW(3) - INTERVAL 3 HOUR, 30)`,
      );
      await eventually(() => replica!.state === 'lagging');
      expect(replica!.lagMs).toBeGreaterThan(500);
      await replicaA.admin((c) => c.query('START SLAVE SQL_THREAD'));
      await eventually(() => replica!.state === 'healthy');
    } finally {
      await replicas.close();
      await replicaA.admin((c) => c.query('START SLAVE SQL_THREAD'));
    }
  }, 60_000);

  it('takes out a replica that stops answering, within the poll timeout', async () => {
    const [one] = instances;
    replicaB.signal('SIGSTOP');
    try {
      await eventually(async () => (await stateOf(one!, 'replica-2')).state === 'down');
      expect((await one!.replicas()).find((r) => r.name === 'replica-2')).toMatchObject({
        problem: 'POLL_TIMEOUT',
      });
      // Reads go on, elsewhere.
      for (let i = 0; i < 3; i += 1) {
        expect(await executionsSeen(one!)).toBe(await executionsOnPrimary());
      }
    } finally {
      replicaB.signal('SIGCONT');
    }
    await eventually(allHealthy);
  }, 60_000);

  it('a replica killed during a request costs that request only', async () => {
    const [one] = instances;
    // Only replica B in service, and every read of it held by a lock.
    await replicaA.admin((c) => c.query('STOP SLAVE SQL_THREAD'));
    await eventually(async () => (await stateOf(one!, 'replica-1')).state === 'not_replicating');
    // The instance knows the current tokens' position, which B has applied: B may take the
    // request even while its own replication waits on the lock.
    await executionsSeen(one!, false, 42);
    await caughtUp(primary, replicaB);
    const holder = await replicaB.admin(async (c) => {
      const [tables] = await c.query(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
        [DATABASE],
      );
      return tables as { name: string }[];
    });
    const mysql = await import('mysql2/promise');
    const locker = await mysql.createConnection(replicaB.urlOf(DATABASE));
    await locker.query(`LOCK TABLES ${holder.map(({ name }) => `\`${name}\` WRITE`).join(', ')}`);
    // Routed by the tokens (a request for live numbers would need the applier's latest
    // fold, which B cannot apply while the tables are locked).
    const heldAnswer = one!.ask(SUMMARY, { id: reportId, last: 'P41D' }, { noCache: false });
    // The request waits on replica B.
    await eventually(async () =>
      replicaB.admin(async (c) => {
        const [rows] = await c.query(
          "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE state LIKE '%metadata lock%'",
        );
        return Number((rows as { n: number }[])[0]!.n) >= 1;
      }),
    );
    await replicaB.stop();
    locker.destroy();
    const answer = await heldAnswer;
    expect(answer.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    // The next requests are answered (by the primary: no replica is in service).
    expect((await stateOf(one!, 'replica-2')).state).toBe('down');
    for (let i = 0; i < 3; i += 1)
      expect(await executionsSeen(one!)).toBe(await executionsOnPrimary());
    await replicaB.start();
    await replicaA.admin((c) => c.query('START SLAVE SQL_THREAD'));
    await eventually(allHealthy);
  }, 120_000);
});

describe('a primary without GTIDs', () => {
  it('refuses READ_DATABASE_URLS at start-up, naming what to turn on', async () => {
    // The suite's server runs without a binary log.
    const database = await createTestDatabase();
    try {
      await expect(
        startGateway(
          loadConfig({
            NODE_ENV: 'test',
            DATABASE_URL: database.url,
            READ_DATABASE_URLS: database.url,
            PORT: '0',
          }),
        ),
      ).rejects.toThrow(/^READ_DATABASE_URLS: the primary gives its transactions no GTIDs/);
    } finally {
      await database.drop();
    }
  });
});
