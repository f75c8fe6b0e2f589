/**
 * The database budget of one request (REQUEST_DB_BUDGET_MS): its reads together stay
 * within it, however many run side by side. The reads are slowed on purpose: `users`
 * becomes a view that calls `nap()` for each row, and `nap()` writes one row to a
 * non-transactional log before it sleeps, so the log counts the time the server spent,
 * a killed statement included, independently of the gateway's own clock.
 */
import { sql } from '@databases/mysql';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { cacheNamespace, ViewCache } from '../src/cache/view-cache.js';
import { openPool, queryOne } from '../src/db/pool.js';
import { createGateway } from '../src/server/yoga.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { eventually, poolIdle } from './helpers/eventually.js';
import { insertReport, insertUser } from './helpers/fixtures.js';

// As in nap() below (a routine's body takes no placeholders).
const NAP_SECONDS = 0.1;
const USERS = 4;
// Three aliases of userActivity; each reads `users` twice (its page and its count).
const PAGE_AND_COUNT = '{ totalCount edges { node { executions } } }';
const THREE_SLOW_VIEWS = `{
  a: userActivity ${PAGE_AND_COUNT}
  b: userActivity(window: { last: "P10D" }) ${PAGE_AND_COUNT}
  c: userActivity(window: { last: "P20D" }) ${PAGE_AND_COUNT}
}`;

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const owner = await insertUser(database.db);
  for (let i = 1; i < USERS; i += 1) await insertUser(database.db);
  await insertReport(database.db, { owner_id: owner });
  const { db } = database;
  await db.query(sql`CREATE TABLE naps (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=MyISAM`);
  // mysql2 directly: @databases/mysql splits its text at semicolons.
  const connection = await mysql.createConnection(database.url);
  await connection.query(`CREATE FUNCTION nap() RETURNS INT NOT DETERMINISTIC MODIFIES SQL DATA
    BEGIN INSERT INTO naps () VALUES (); DO SLEEP(0.1); RETURN 0; END`);
  await connection.end();
  await db.query(sql`RENAME TABLE users TO users_data`);
  await db.query(sql`CREATE VIEW users AS SELECT u.* FROM users_data u WHERE nap() = 0`);
});
afterAll(() => database.drop());

async function napsDuring(fn: () => Promise<void>) {
  const count = async () =>
    Number((await queryOne<{ n: string }>(database.db, sql`SELECT COUNT(*) AS n FROM naps`))?.n);
  const before = await count();
  await fn();
  return (await count()) - before;
}

/** Runs `query` on a gateway with these settings; resolves with the body and the naps taken. */
async function ask(query: string, overrides: Partial<Config>, statementTimeoutMs = 60_000) {
  const db = openPool(database.url, { statementTimeoutMs });
  const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), ...overrides };
  const cache = ViewCache.create(config, cacheNamespace(database.url));
  const yoga = createGateway({ db, databaseUrl: database.url, config, cache });
  let body: GraphQLBody = {};
  try {
    const naps = await napsDuring(async () => {
      const response = await yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
        body: JSON.stringify({ query }),
      });
      body = (await response.json()) as GraphQLBody;
    });
    await eventually(poolIdle(db));
    return { body, naps };
  } finally {
    await db.dispose();
  }
}

describe('REQUEST_DB_BUDGET_MS', () => {
  it('lets a request whose reads fit in the budget through', async () => {
    const { body, naps } = await ask(THREE_SLOW_VIEWS, { requestDbBudgetMs: 60_000 });
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ a: { totalCount: USERS } });
    // Six reads of USERS rows each, at least: well over the budget of the next test.
    expect(naps * NAP_SECONDS).toBeGreaterThanOrEqual(6 * USERS * NAP_SECONDS);
  });

  it('stops reads running side by side once together they reach the budget', async () => {
    const budgetMs = 800;
    const { body, naps } = await ask(THREE_SLOW_VIEWS, { requestDbBudgetMs: budgetMs });
    const codes = new Set(body.errors?.map((error) => error.extensions?.code));
    expect(codes).toEqual(new Set(['DB_BUDGET_EXCEEDED']));
    expect(body.errors?.[0]?.message).toMatch(/database time of 0\.8 s \(REQUEST_DB_BUDGET_MS\)/);
    // Each nap is logged as it starts: every read may have begun one more when stopped.
    expect(naps * NAP_SECONDS * 1000).toBeLessThanOrEqual(budgetMs + 6 * NAP_SECONDS * 1000);
    // Nothing of the request is still running on the server.
    const running = await queryOne<{ n: string }>(
      database.db,
      sql`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
          WHERE INFO LIKE '%users%' AND ID <> CONNECTION_ID()`,
    );
    expect(Number(running?.n)).toBe(0);
  });

  it.each([
    ['with a statement timeout (the server stops it)', 60_000],
    ['without one (stopped by KILL QUERY)', 0],
  ])('stops a lone read at the budget, %s', async (_how, statementTimeoutMs) => {
    const { body, naps } = await ask(
      '{ userActivity { edges { node { executions } } } }',
      { requestDbBudgetMs: 150 },
      statementTimeoutMs,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('DB_BUDGET_EXCEEDED');
    expect(naps).toBeLessThanOrEqual(3);
  });
});
