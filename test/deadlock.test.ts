/**
 * A real deadlock on MariaDB: another transaction holds a user the gateway's
 * insertExecutions waits for, then asks for the report the gateway holds. The
 * server rolls the lighter transaction (the gateway's) back; the gateway retries
 * it whole and both writes land.
 */
import { sql } from '@databases/mysql';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const ANALYST = 'analyst-key-for-deadlocks';
let gateway: TestGateway;
let report: string;
let user: string;

beforeAll(async () => {
  gateway = await createTestGateway({
    apiKeys: loadConfig({ API_KEYS: `analyst:${ANALYST}` }).apiKeys,
  });
  user = await insertUser(gateway.db);
  report = await insertReport(gateway.db);
  // Rows the other transaction modifies, so that it weighs more than the gateway's.
  for (let i = 0; i < 30; i += 1) await insertExecution(gateway.db, report, '2026-09-01T00:00:00Z');
});
afterAll(() => gateway.drop());

it('retries the whole transaction after a deadlock and keeps both writes', async () => {
  const other = await mysql.createConnection(gateway.url);
  const warnings = vi.spyOn(process.stderr, 'write');
  try {
    await other.query('START TRANSACTION');
    await other.query('UPDATE report_executions SET row_count = 7 WHERE report_id = ?', [report]);
    await other.query('UPDATE users SET display_name = ? WHERE id = ?', ['other', user]);

    // The gateway share-locks the report, then waits for the user.
    const write = gateway.post(
      {
        query:
          'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected ids } }',
        variables: {
          rows: [
            {
              reportId: report,
              executedBy: user,
              status: 'SUCCESS',
              startedAt: '2026-09-02T00:00:00Z',
            },
          ],
        },
      },
      { authorization: `Bearer ${ANALYST}` },
    );
    // Wait until the gateway's transaction is blocked on the user row.
    for (let i = 0; i < 100; i += 1) {
      const [waiting] = await other.query(
        "SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'",
      );
      if (Number((waiting as { n: number | string }[])[0]?.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Now the other transaction wants the report: a cycle, which the server breaks.
    await other.query('UPDATE reports SET name = ? WHERE id = ?', ['changed by other', report]);
    await other.query('COMMIT');

    const result = (await (await write).json()) as {
      data?: { insertExecutions: { affected: number; ids: string[] } };
      errors?: unknown;
    };
    expect(result.errors).toBeUndefined();
    expect(result.data?.insertExecutions.affected).toBe(1);
    const retried = warnings.mock.calls.some(([line]) =>
      /retrying a transaction.*"errno":1213/.test(String(line)),
    );
    expect(retried).toBe(true);

    const inserted = await queryOne<{ executed_by: string }>(
      gateway.db,
      sql`SELECT executed_by FROM report_executions WHERE id = ${result.data!.insertExecutions.ids[0]}`,
    );
    expect(inserted?.executed_by).toBe(user);
    const changed = await queryOne<{ name: string }>(
      gateway.db,
      sql`SELECT name FROM reports WHERE id = ${report}`,
    );
    expect(changed?.name).toBe('changed by other');
  } finally {
    warnings.mockRestore();
    await other.end();
  }
});
