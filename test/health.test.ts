/**
 * GET /health (liveness, no database) and GET /ready (the database answers
 * SELECT 1 in time), through yoga, for a working database and for three ways of
 * losing it: a database that does not exist, a closed pool, a server that never
 * answers.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ViewCache } from '../src/cache/view-cache.js';
import { loadConfig } from '../src/config.js';
import { openPool, type Database } from '../src/db/pool.js';
import { createGateway } from '../src/server/yoga.js';
import { databaseUrl } from './helpers/database.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const KEY = 'admin-key-0123456789abc';
let gateway: TestGateway;

beforeAll(async () => {
  // With API_KEYS set: probes must still need no key.
  const keyed = loadConfig({ API_KEYS: `admin:${KEY}` });
  gateway = await createTestGateway({ apiKeys: keyed.apiKeys, readsNeedKey: keyed.readsNeedKey });
});
afterAll(() => gateway.drop());

/** A gateway over `db`, which may be broken: only the probes are asked of it. */
function gatewayOver(db: Database, url: string) {
  const config = loadConfig({ NODE_ENV: 'test' });
  return createGateway({
    db,
    databaseUrl: url,
    config,
    cache: ViewCache.create(config, `health-test-${Math.random()}`),
  });
}

async function probe(yoga: ReturnType<typeof createGateway>, path: string) {
  const response = await yoga.fetch(`http://gateway.test${path}`);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  };
}

describe('GET /health', () => {
  it('is 200 {"status":"ok"} without a key and without touching the database', async () => {
    gateway.statements.length = 0;
    const health = await probe(gateway.yoga, '/health');
    expect(health.status).toBe(200);
    expect(health.type).toMatch(/^application\/json/);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
    expect(gateway.statements).toEqual([]);
  });

  it('stays 200 when the database is gone (liveness is about the process)', async () => {
    const url = databaseUrl('health_closed_pool');
    const db = openPool(url);
    await db.dispose();
    expect((await probe(gatewayOver(db, url), '/health')).status).toBe(200);
  });
});

describe('GET /ready', () => {
  it('is 200 when the database answers SELECT 1', async () => {
    gateway.statements.length = 0;
    const ready = await probe(gateway.yoga, '/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ status: 'ok' });
    expect(gateway.statements).toEqual(['SELECT 1']);
  });

  it('is 503 naming the error code when the database does not exist', async () => {
    const name = `health_missing_${process.pid}`;
    const url = databaseUrl(name);
    const db = openPool(url);
    try {
      const ready = await probe(gatewayOver(db, url), '/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({
        status: 'unavailable',
        problem: 'the database refused SELECT 1 (ER_BAD_DB_ERROR)',
      });
      // The driver's message names the database; the answer does not.
      expect(ready.text).not.toContain(name);
      expect(ready.text).not.toMatch(/root|at .*\.js/);
    } finally {
      await db.dispose();
    }
  });

  it('is 503 when the pool is closed', async () => {
    const url = databaseUrl('health_closed_pool');
    const db = openPool(url);
    await db.dispose();
    const ready = await probe(gatewayOver(db, url), '/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({
      status: 'unavailable',
      problem: 'the database connection pool cannot run SELECT 1',
    });
  });

  it('is 503 after about 2 s when the server accepts connections but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const url = `mysql://root@127.0.0.1:${port}/silent`;
    const db = openPool(url);
    try {
      const started = Date.now();
      const ready = await probe(gatewayOver(db, url), '/ready');
      const elapsed = Date.now() - started;
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({
        status: 'unavailable',
        problem: 'the database did not answer SELECT 1 within 2000 ms',
      });
      expect(elapsed).toBeGreaterThanOrEqual(1_900);
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      // Hang up on the pending handshake so the pool can close at once.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await db.dispose().catch(() => undefined);
    }
  });
});

describe('the GraphQL endpoint beside the probes', () => {
  it('still asks for a key where API_KEYS says so', async () => {
    const result = await gateway.executeText('{ __typename }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
