/**
 * runMaintenance: admin only, arguments checked before anything runs, a report per
 * task; CLEANUP deletes in bounded chunks with rollups and cache kept exact;
 * INTEGRITY finds orphans and rollup drift, REFRESH_ROLLUPS repairs the drift.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import { rollupDrift } from '../src/rollups/rollup-drift.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const KEYS = { analyst: 'analyst-key-maint-0123456789', admin: 'admin-key-maint-0123456789' };
let gateway: TestGateway;
let report: string;

const RUN = `mutation ($tasks: [MaintenanceTask!]!, $days: Int) {
  runMaintenance(tasks: $tasks, retentionDays: $days) {
    ok durationMs tasks { task ok durationMs rowsAffected problems messages } } }`;

interface TaskReport {
  task: string;
  ok: boolean;
  rowsAffected: number;
  problems: string[];
  messages: string[];
}

beforeAll(async () => {
  const keyed = loadConfig({ API_KEYS: `analyst:${KEYS.analyst},admin:${KEYS.admin}` });
  gateway = await createTestGateway(
    { apiKeys: keyed.apiKeys, readsNeedKey: true, cleanupChunkRows: 4 },
    { useCache: true },
  );
  report = await insertReport(gateway.db);
  const user = await insertUser(gateway.db);
  const day = 86_400_000;
  // 10 executions 100–109 days old, 3 recent ones.
  for (let i = 0; i < 10; i += 1) {
    await insertExecution(gateway.db, report, new Date(Date.now() - (100 + i) * day), {
      executed_by: user,
      duration_ms: 1000 + i,
    });
  }
  for (let i = 0; i < 3; i += 1) {
    await insertExecution(gateway.db, report, new Date(Date.now() - (i + 1) * day), {
      executed_by: user,
    });
  }
});
afterAll(() => gateway.drop());

async function run(variables: Record<string, unknown>, key = KEYS.admin) {
  gateway.statements.length = 0;
  const response = await gateway.post(
    { query: RUN, variables },
    { authorization: `Bearer ${key}` },
  );
  return (await response.json()) as {
    data?: { runMaintenance: { ok: boolean; tasks: TaskReport[] } } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

const executionCount = async () =>
  Number(
    (await queryOne<{ n: number }>(gateway.db, sql`SELECT COUNT(*) AS n FROM report_executions`))
      ?.n,
  );

describe('runMaintenance', () => {
  it('is refused below admin and checks its arguments before running anything', async () => {
    const forbidden = await run({ tasks: ['ANALYZE'] }, KEYS.analyst);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const missing = await run({ tasks: ['ANALYZE', 'CLEANUP'] });
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(missing.errors?.[0]?.message).toMatch(/retentionDays/);
    const zero = await run({ tasks: ['CLEANUP'], days: 0 });
    expect(zero.errors?.[0]?.message).toMatch(/retentionDays/);
    expect(gateway.statements).toEqual([]);
    expect(await executionCount()).toBe(13);
  });

  it('ANALYZE, OPTIMIZE and CHECK report every table', async () => {
    const result = await run({ tasks: ['CHECK', 'ANALYZE', 'OPTIMIZE'] });
    expect(result.errors).toBeUndefined();
    const tasks = result.data!.runMaintenance.tasks;
    expect(tasks.map((t) => t.task)).toEqual(['OPTIMIZE', 'ANALYZE', 'CHECK']);
    for (const task of tasks) {
      expect(task.ok).toBe(true);
      for (const table of [
        'users',
        'reports',
        'report_executions',
        'report_daily_rollup',
        'user_daily_rollup',
        'report_monthly_rollup',
        'dimension_hourly_rollup',
        'day_rollup',
        'rollup_journal',
        'rollup_report_changes',
      ]) {
        expect(task.messages.some((m) => m.startsWith(`${table}:`))).toBe(true);
      }
    }
  });

  it('CLEANUP deletes old executions in chunks, keeping rollups and the cache exact', async () => {
    const summary = `{ reportsSummary(window: { last: "P365D" }) { edges { node { executions } } } }`;
    const read = async () => {
      const response = await gateway.post(
        { query: summary },
        { authorization: `Bearer ${KEYS.analyst}` },
      );
      const body = (await response.json()) as {
        data: { reportsSummary: { edges: { node: { executions: number } }[] } };
      };
      return body.data.reportsSummary.edges[0]!.node.executions;
    };
    expect(await read()).toBe(13); // now cached

    const result = await run({ tasks: ['CLEANUP'], days: 30 });
    const cleanup = result.data!.runMaintenance.tasks[0]!;
    expect(cleanup).toMatchObject({ task: 'CLEANUP', ok: true, rowsAffected: 10 });
    // 10 rows, 4 per chunk: three chunks (4, 4, 2).
    expect(
      gateway.statements.filter((s) => /^\s*DELETE FROM report_executions/.test(s)),
    ).toHaveLength(3);
    expect(await executionCount()).toBe(3);
    expect((await rollupDrift(gateway.db)).map((d) => d.driftingCells)).toEqual([0, 0, 0, 0, 0]);
    expect(await read()).toBe(3);
  });

  it('INTEGRITY finds orphans and rollup drift; REFRESH_ROLLUPS repairs the drift', async () => {
    // An orphan can only exist where foreign key checks were switched off.
    await gateway.db.task(async (connection) => {
      await connection.query(sql`SET foreign_key_checks = 0`);
      await connection.query(sql`
        INSERT INTO report_executions (report_id, status, started_at)
        VALUES (999999, 'success', ${new Date()})`);
      await connection.query(sql`SET foreign_key_checks = 1`);
    });
    await gateway.fold();
    await gateway.db.query(
      sql`UPDATE report_daily_rollup SET executions = executions + 5 WHERE report_id = ${report}`,
    );
    const before = await run({ tasks: ['INTEGRITY'] });
    expect(before.errors).toBeUndefined();
    const integrity = before.data!.runMaintenance.tasks[0]!;
    expect(before.data!.runMaintenance.ok).toBe(false);
    expect(integrity.problems).toEqual([
      '1 executions of a missing report',
      expect.stringMatching(/^report_daily_rollup: \d+ cells differ .*REFRESH_ROLLUPS$/),
    ]);

    const after = await run({ tasks: ['INTEGRITY', 'REFRESH_ROLLUPS'] });
    const [refresh, check] = after.data!.runMaintenance.tasks;
    expect(refresh).toMatchObject({ task: 'REFRESH_ROLLUPS', ok: true });
    expect(refresh!.rowsAffected).toBeGreaterThan(0);
    // Only the orphan is left; the rollups match the raw rows again.
    expect(check!.problems).toEqual(['1 executions of a missing report']);
    await gateway.db.query(sql`DELETE FROM report_executions WHERE report_id = 999999`);
    // The rollups never held the orphan; its journal rows go once folded.
    await gateway.fold();
    expect((await run({ tasks: ['INTEGRITY'] })).data!.runMaintenance.ok).toBe(true);
  });
});
