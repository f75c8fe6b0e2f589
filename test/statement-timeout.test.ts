/**
 * Statement and request timeouts. Every view read runs under the pool's statement
 * timeout (MariaDB: `SET STATEMENT max_statement_time … FOR`); writes never do. A
 * pathological read is cut off with QUERY_TIMEOUT and its connection goes back to
 * the pool; a request still executing at REQUEST_TIMEOUT_MS is answered at once.
 * The slow read is made on purpose: `users` becomes a view that sleeps per row.
 */
import { readFileSync } from 'node:fs';
import { sql, type SQLQuery } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { cacheNamespace, ViewCache } from '../src/cache/view-cache.js';
import { clientErrorOf } from '../src/db/database-errors.js';
import { openPool, type Database } from '../src/db/pool.js';
import {
  dialectOf,
  setStatementTimeout,
  timedQuery,
  timedStatements,
} from '../src/db/statement-timeout.js';
import { createGateway } from '../src/server/yoga.js';
import { statementText } from '../src/views/explain.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { eventually, poolIdle } from './helpers/eventually.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';

const ADMIN_KEY = 'admin-key-statement-timeouts';
const USERS = 5;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A gateway over `db`; every request asks for live numbers unless told otherwise. */
function gatewayOn(db: Database, url: string, overrides: Partial<Config> = {}) {
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    apiKeys: [{ role: 'admin', key: ADMIN_KEY }],
    readsNeedKey: false,
    ...overrides,
  };
  const cache = ViewCache.create(config, cacheNamespace(url));
  const yoga = createGateway({ db, databaseUrl: url, config, cache });
  return async (query: string, variables?: Record<string, unknown>) => {
    const started = performance.now();
    const response = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'cache-control': 'no-cache',
        authorization: `Bearer ${ADMIN_KEY}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLBody;
    return { status: response.status, body, ms: performance.now() - started };
  };
}

async function fillDatabase(db: Database) {
  const users: string[] = [];
  for (let i = 0; i < USERS; i += 1) users.push(await insertUser(db));
  const report = await insertReport(db, { owner_id: users[0] });
  const now = Date.now();
  for (let i = 0; i < 4; i += 1) {
    await insertExecution(db, report, new Date(now - (i + 1) * 3_600_000), {
      executed_by: users[i % USERS],
      duration_ms: 1200 * (i + 1),
      completed_at: new Date(now - (i + 1) * 3_600_000 + 1200 * (i + 1)),
    });
  }
  return report;
}

/** Turns `users` into a view that sleeps `slowness.seconds` per row it reads. */
async function slowDownUsers(db: Database, seconds: number) {
  await db.query(sql`RENAME TABLE users TO users_data`);
  await db.query(sql`CREATE TABLE slowness (seconds DOUBLE NOT NULL)`);
  await db.query(sql`INSERT INTO slowness VALUES (${seconds})`);
  await db.query(
    sql`CREATE VIEW users AS SELECT u.* FROM users_data u WHERE SLEEP((SELECT seconds FROM slowness)) = 0`,
  );
}

const SLOW = '{ userActivity { totalCount } }';
const FAST = '{ reportsSummary { totalCount } }';

describe('statement timeouts on a slow read', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await fillDatabase(database.db);
    // Counting the users now takes USERS seconds.
    await slowDownUsers(database.db, 1);
  });
  afterAll(() => database.drop());

  it('stops the read with QUERY_TIMEOUT and the pool serves the next request', async () => {
    const db = openPool(database.url, { poolSize: 3, statementTimeoutMs: 300 });
    try {
      const run = gatewayOn(db, database.url);
      const slow = await run(SLOW);
      expect(slow.body.errors?.[0]?.extensions?.code).toBe('QUERY_TIMEOUT');
      expect(slow.body.errors?.[0]?.message).toMatch(
        /database query took longer than 0\.3 s and was stopped/,
      );
      // Cut off, not run to the end (which takes USERS seconds).
      expect(slow.ms).toBeLessThan(USERS * 1000 - 1000);
      expect(JSON.stringify(slow.body)).not.toMatch(/SELECT|users_data|max_statement_time/);

      const fast = await run(FAST);
      expect(fast.body.data).toEqual({ reportsSummary: { totalCount: 1 } });

      // As many timed-out reads as the pool has connections, at once: none keeps its slot.
      const timedOut = await Promise.all([run(SLOW), run(SLOW), run(SLOW)]);
      for (const result of timedOut) {
        expect(result.body.errors?.[0]?.extensions?.code).toBe('QUERY_TIMEOUT');
      }
      const after = await Promise.all([run(FAST), run(FAST), run(FAST)]);
      for (const result of after)
        expect(result.body.data).toEqual({ reportsSummary: { totalCount: 1 } });
      await eventually(poolIdle(db));
    } finally {
      await db.dispose();
    }
  });

  it('answers REQUEST_TIMEOUT when the request outlasts REQUEST_TIMEOUT_MS', async () => {
    // userActivity runs its page and its count at once: two slow reads, two connections.
    const db = openPool(database.url, { poolSize: 4, statementTimeoutMs: 60_000 });
    try {
      const run = gatewayOn(db, database.url, { requestTimeoutMs: 500 });
      const slow = await run(SLOW);
      expect(slow.body.data).toBeNull();
      expect(slow.body.errors).toHaveLength(1);
      expect(slow.body.errors?.[0]?.extensions?.code).toBe('REQUEST_TIMEOUT');
      expect(slow.body.errors?.[0]?.message).toMatch(
        /request took longer than 0\.5 s and was stopped/,
      );
      expect(slow.ms).toBeLessThan(USERS * 1000 - 1000);
      expect((await run(FAST)).body.data).toEqual({ reportsSummary: { totalCount: 1 } });
      // The abandoned read finishes on its own and gives its connection back.
      await eventually(poolIdle(db), 60_000);
    } finally {
      await db.dispose();
    }
  });
});

describe('which statements get the timeout', () => {
  let database: TestDatabase;
  let report: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    report = await fillDatabase(database.db);
  });
  afterAll(() => database.drop());

  /** A gateway on a pool with a 10 s statement timeout that records every statement. */
  function recordingGateway() {
    const statements: string[] = [];
    const db = openPool(database.url, {
      statementTimeoutMs: 10_000,
      onStatement: (text) => statements.push(text),
    });
    return { db, statements, run: gatewayOn(db, database.url) };
  }

  it('runs every view read of the dashboard under SET STATEMENT, and no write', async () => {
    const { db, statements, run } = recordingGateway();
    try {
      const dashboard = await run(readFileSync('test/operations/dashboard.graphql', 'utf8'));
      expect(dashboard.body.errors).toBeUndefined();
      expect(Object.keys(dashboard.body.data ?? {})).toHaveLength(8);
      // Reads that must agree run in one snapshot: its transaction's statements read nothing.
      const reads = statements.filter(
        (text) =>
          !/^\s*SELECT VERSION\(\)/.test(text) &&
          !/^\s*(SET TRANSACTION|START TRANSACTION|COMMIT)\b/.test(text),
      );
      expect(reads.length).toBeGreaterThanOrEqual(8);
      for (const text of reads)
        expect(text).toMatch(/^SET STATEMENT max_statement_time = [\d.]+ FOR /);

      const entities = await run(`{ report(id: "${report}") { name owner { email } } }`);
      expect(entities.body.errors).toBeUndefined();
      expect(statements.at(-1)).toMatch(/^SET STATEMENT max_statement_time/);

      statements.length = 0;
      const write = await run(
        `mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }`,
        {
          rows: Array.from({ length: 200 }, (_, i) => ({
            reportId: report,
            status: 'SUCCESS',
            startedAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
            completedAt: new Date(Date.now() - (i + 1) * 60_000 + 500).toISOString(),
            durationMs: 500,
          })),
        },
      );
      expect(write.body.errors).toBeUndefined();
      expect(write.body.data).toEqual({ insertExecutions: { affected: 200 } });
      const maintenance = await run('mutation { runMaintenance(tasks: [ANALYZE]) { ok } }');
      expect(maintenance.body.errors).toBeUndefined();
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((text) => /max_statement_time/.test(text))).toEqual([]);
    } finally {
      await db.dispose();
    }
  });

  it('runs every read of databaseHealth and of the INTEGRITY check under SET STATEMENT', async () => {
    const { db, statements, run } = recordingGateway();
    try {
      const health = await run('{ databaseHealth { tables { name rows } } }');
      expect(health.body.errors).toBeUndefined();
      const integrity = await run('mutation { runMaintenance(tasks: [INTEGRITY]) { ok } }');
      expect(integrity.body.errors).toBeUndefined();
      const selects = statements.filter((text) =>
        /^\s*(SET STATEMENT [^F]+FOR\s+)?SELECT/.test(text),
      );
      const plain = selects.filter(
        (text) =>
          !/^SET STATEMENT max_statement_time/.test(text) &&
          !/^\s*SELECT VERSION\(\) AS version$/.test(text),
      );
      // Orphan counts, rollup drift, table statistics, bounded counts and rollup lag.
      expect(selects.length).toBeGreaterThan(10);
      expect(plain).toEqual([]);
    } finally {
      await db.dispose();
    }
  });

  it('leaves writes alone even with 1 ms read and request timeouts', async () => {
    const db = openPool(database.url, { statementTimeoutMs: 1 });
    try {
      const run = gatewayOn(db, database.url, { requestTimeoutMs: 1 });
      const write = await run(
        `mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }`,
        {
          rows: Array.from({ length: 3000 }, (_, i) => ({
            reportId: report,
            status: 'FAILED',
            startedAt: new Date(Date.now() - (i + 1) * 1000).toISOString(),
            completedAt: new Date(Date.now() - (i + 1) * 1000 + 200).toISOString(),
            durationMs: 200,
          })),
        },
      );
      expect(write.body.errors).toBeUndefined();
      expect(write.body.data).toEqual({ insertExecutions: { affected: 3000 } });
    } finally {
      await db.dispose();
    }
  });
});

describe('the dialect switch', () => {
  const text = (query: SQLQuery) => statementText(query);

  it('tells MariaDB from MySQL by SELECT VERSION()', () => {
    expect(dialectOf('10.11.6-MariaDB-0+deb12u1')).toBe('mariadb');
    expect(dialectOf('8.0.36')).toBe('mysql');
    expect(dialectOf('8.4.2-commercial')).toBe('mysql');
  });

  it('writes one statement for MariaDB, seconds as a number', () => {
    const plan = timedStatements('mariadb', sql`SELECT 1`, 250);
    expect(plan.before).toBeUndefined();
    expect(text(plan.query)).toEqual({
      text: 'SET STATEMENT max_statement_time = ? FOR SELECT 1',
      values: [0.25],
    });
  });

  /** A pool look-alike answering SELECT VERSION() with `version` and recording the rest. */
  function fakePool(version: string, failOn?: RegExp) {
    const sent: { text: string; values: unknown[] }[] = [];
    const query = (statement: SQLQuery) => {
      const formatted = text(statement);
      sent.push(formatted);
      if (failOn?.test(formatted.text)) return Promise.reject(new Error('boom'));
      return Promise.resolve(/VERSION\(\)/.test(formatted.text) ? [{ version }] : [{ one: 1 }]);
    };
    const db = { query, task: <T>(fn: (c: unknown) => Promise<T>) => fn({ query }) };
    return { db: db as unknown as Database, sent };
  }

  it('sets and resets max_execution_time around the read on MySQL, on one connection', async () => {
    const { db, sent } = fakePool('8.0.36');
    setStatementTimeout(db, 250);
    expect(await timedQuery(db, sql`SELECT 1`)).toEqual([{ one: 1 }]);
    expect(await timedQuery(db, sql`SELECT 2`)).toEqual([{ one: 1 }]);
    expect(sent).toEqual([
      { text: 'SELECT VERSION() AS version', values: [] },
      { text: 'SET SESSION max_execution_time = ?', values: [250] },
      { text: 'SELECT 1', values: [] },
      { text: 'SET SESSION max_execution_time = DEFAULT', values: [] },
      { text: 'SET SESSION max_execution_time = ?', values: [250] },
      { text: 'SELECT 2', values: [] },
      { text: 'SET SESSION max_execution_time = DEFAULT', values: [] },
    ]);
  });

  it('resets the MySQL session setting after a failed read too', async () => {
    const { db, sent } = fakePool('8.0.36', /^SELECT 1$/);
    setStatementTimeout(db, 250);
    await expect(timedQuery(db, sql`SELECT 1`)).rejects.toThrow('boom');
    expect(sent.at(-1)?.text).toBe('SET SESSION max_execution_time = DEFAULT');
  });
});

describe('database errors a client can act on', () => {
  const codeOf = (error: unknown, timeoutMs?: number) =>
    clientErrorOf(error, { timeoutMs, elapsedMs: 5 })?.extensions.code;

  it('names timeouts, unavailability and a busy pool; leaves the rest unexpected', () => {
    expect(codeOf({ errno: 1969, code: 'ER_STATEMENT_TIMEOUT' }, 10)).toBe('QUERY_TIMEOUT');
    expect(codeOf({ errno: 3024, code: 'ER_QUERY_TIMEOUT' }, 10)).toBe('QUERY_TIMEOUT');
    expect(codeOf({ errno: 1317 }, 5)).toBe('QUERY_TIMEOUT');
    expect(codeOf({ errno: 1317 }, 10_000)).toBeUndefined();
    expect(codeOf({ code: 'ECONNREFUSED' })).toBe('DATABASE_UNAVAILABLE');
    expect(codeOf({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })).toBe('DATABASE_UNAVAILABLE');
    expect(codeOf({ errno: 1927, code: 'ER_CONNECTION_KILLED' })).toBe('DATABASE_UNAVAILABLE');
    expect(codeOf({ code: 'CONNECTION_POOL:QUEUE_TIMEOUT' })).toBe('DATABASE_BUSY');
    expect(codeOf({ errno: 1062, code: 'ER_DUP_ENTRY' })).toBeUndefined();
    expect(codeOf(new Error('something else'))).toBeUndefined();
  });
});

describe('configuration', () => {
  it('reads the timeouts, with defaults, and names a bad variable', () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({
      statementTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      dbQueueTimeoutMs: 10_000,
    });
    expect(
      loadConfig({
        STATEMENT_TIMEOUT_MS: '0',
        REQUEST_TIMEOUT_MS: '0',
        DB_QUEUE_TIMEOUT_MS: '500',
      }),
    ).toMatchObject({ statementTimeoutMs: 0, requestTimeoutMs: 0, dbQueueTimeoutMs: 500 });
    for (const name of ['STATEMENT_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS', 'DB_QUEUE_TIMEOUT_MS']) {
      expect(() => loadConfig({ [name]: '10s' })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: '10s' })).toThrow(new RegExp(`^${name}: `));
    }
    expect(() => loadConfig({ DB_QUEUE_TIMEOUT_MS: '0' })).toThrow(/DB_QUEUE_TIMEOUT_MS/);
  });
});
