/** With DATABASE_URL the gateway migrates and serves that server, over real HTTP. */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryRows } from '../src/db/pool.js';
import { startGateway, type RunningGateway } from '../src/main.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let database: TestDatabase;
let gateway: RunningGateway;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  gateway = await startGateway(
    loadConfig({ DATABASE_URL: database.url, PORT: '0', NODE_ENV: 'test' }),
  );
});
afterAll(async () => {
  await gateway.close();
  await database.drop();
});

it('migrates the named database and answers over HTTP, without demo data', async () => {
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`,
  );
  expect(tables.map((t) => t.name).sort()).toEqual([
    'day_rollup',
    'dimension_hourly_rollup',
    'report_daily_rollup',
    'report_executions',
    'report_monthly_rollup',
    'reports',
    'rollup_journal',
    'rollup_report_changes',
    'schema_migrations',
    'user_daily_rollup',
    'users',
  ]);
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ reportsSummary { totalCount } }' }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ data: { reportsSummary: { totalCount: 0 } } });
});
