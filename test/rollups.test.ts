/**
 * The daily rollups stay exact whoever writes: the gateway's mutations and
 * statements run straight in SQL both go through the journal's triggers. After
 * every round of writes the journal is folded (before that, INTEGRITY checks
 * rollups plus journal) and each rollup row is compared with a recomputation (in
 * TypeScript) from the raw rows; INTEGRITY finds planted drift and
 * REFRESH_ROLLUPS repairs it.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryRows } from '../src/db/pool.js';
import { rebuildChunk, refreshRollups } from '../src/rollups/refresh-rollups.js';
import { fetchReportsSummary } from '../src/views/reports-summary.js';
import type { Selection } from '../src/views/selection.js';
import type { Window } from '../src/views/time-window.js';
import { rollupDrift } from '../src/rollups/rollup-drift.js';
import { foldJournal } from '../src/rollups/applier.js';
import { insertReport, insertUser } from './helpers/fixtures.js';
import { rollupHistograms } from './helpers/histogram-oracle.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';
import { Random } from '../src/seed/random.js';

const ADMIN = 'admin-key-rollups-0123456789';
let gateway: TestGateway;
const users: string[] = [];
const reports: string[] = [];
const random = new Random(20261125);

beforeAll(async () => {
  const keyed = loadConfig({ API_KEYS: `admin:${ADMIN}` });
  gateway = await createTestGateway({ apiKeys: keyed.apiKeys });
  for (let i = 0; i < 3; i += 1) users.push(await insertUser(gateway.db));
  for (let i = 0; i < 3; i += 1) reports.push(await insertReport(gateway.db));
});
afterAll(() => gateway.drop());

interface RawRow {
  report_id: string;
  executed_by: string | null;
  status: string;
  started_at: Date;
  duration_ms: number | null;
  output_size_bytes: string | null;
}

/** Each rollup recomputed from the raw rows, in the rollup tables' column order. */
function expectedRollup(rows: RawRow[], key: 'report_id' | 'executed_by') {
  const cells = new Map<string, RawRow[]>();
  for (const row of rows) {
    if (row[key] === null) continue;
    const cell = `${row.started_at.toISOString().slice(0, 10)}|${row[key]}`;
    cells.set(cell, [...(cells.get(cell) ?? []), row]);
  }
  return [...cells.entries()]
    .map(([cell, group]) => {
      const durations = group.map((r) => r.duration_ms).filter((d): d is number => d !== null);
      const count = (status: string) => group.filter((r) => r.status === status).length;
      return [
        ...cell.split('|'),
        group.length,
        count('success'),
        count('failed'),
        count('cancelled'),
        durations.length,
        durations.reduce((a, b) => a + b, 0),
        durations.length === 0 ? null : Math.max(...durations),
        group.reduce((sum, r) => sum + BigInt(r.output_size_bytes ?? 0), 0n).toString(),
        new Date(Math.max(...group.map((r) => r.started_at.getTime()))).toISOString(),
      ].join(',');
    })
    .sort();
}

/** The stored rollup rows (zero rows mean an emptied cell, so they are left out). */
async function storedRollup(table: string, key: string) {
  const rows = await queryRows<Record<string, unknown>>(
    gateway.db,
    sql`SELECT DATE_FORMAT(bucket_date, '%Y-%m-%d') AS day, ${sql.ident(key)} AS k, executions,
          successes, failures, cancelled, duration_count, duration_sum, max_duration_ms,
          total_output_bytes, last_executed_at
        FROM ${sql.ident(table)} WHERE executions > 0`,
  );
  return rows
    .map((r) =>
      [
        r.day,
        r.k,
        ...[
          'executions',
          'successes',
          'failures',
          'cancelled',
          'duration_count',
          'duration_sum',
        ].map((c) => Number(r[c])),
        r.max_duration_ms === null ? null : Number(r.max_duration_ms),
        String(r.total_output_bytes),
        (r.last_executed_at as Date).toISOString(),
      ].join(','),
    )
    .sort();
}

/** Folds the journal as the gateway's applier does, then compares what the rollups hold. */
async function expectRollupsExact() {
  await expectNoDrift();
  await gateway.db.task((conn) => foldJournal(conn));
  const raw = await queryRows<RawRow>(
    gateway.db,
    sql`SELECT report_id, executed_by, status, started_at, duration_ms, output_size_bytes
        FROM report_executions`,
  );
  expect(await storedRollup('report_daily_rollup', 'report_id')).toEqual(
    expectedRollup(raw, 'report_id'),
  );
  expect(await storedRollup('user_daily_rollup', 'executed_by')).toEqual(
    expectedRollup(raw, 'executed_by'),
  );
  for (const [table, [stored, expected]] of Object.entries(await rollupHistograms(gateway.db))) {
    expect(stored, `${table} histograms`).toEqual(expected);
  }
  await expectNoDrift();
  return raw.length;
}

async function expectNoDrift() {
  expect((await rollupDrift(gateway.db)).map((d) => d.driftingCells)).toEqual([0, 0, 0, 0, 0]);
}

/** A random execution around the first days of March 2026 (a day boundary every 24 h). */
function randomExecution() {
  const status = random.pick(['success', 'success', 'failed', 'cancelled', 'running', 'queued']);
  const startedAt = new Date(Date.UTC(2026, 2, 1) + random.int(0, 3 * 86_400_000));
  const done = status !== 'running' && status !== 'queued';
  return {
    reportId: random.pick(reports),
    executedBy: random.int(0, 3) === 0 ? null : random.pick(users),
    status: status.toUpperCase(),
    startedAt: startedAt.toISOString(),
    completedAt: done ? new Date(startedAt.getTime() + 1000).toISOString() : null,
    durationMs: status === 'queued' || random.int(0, 4) === 0 ? null : random.int(0, 500_000),
    outputSizeBytes: random.int(0, 3) === 0 ? null : String(random.int(0, 10_000_000)),
  };
}

async function mutate(query: string, variables: Record<string, unknown>) {
  const response = await gateway.post({ query, variables }, { authorization: `Bearer ${ADMIN}` });
  const body = (await response.json()) as {
    data?: Record<string, { affected: number; ids: string[] }>;
    errors?: unknown;
  };
  expect(body.errors).toBeUndefined();
  return Object.values(body.data!)[0]!;
}

describe('daily rollups', () => {
  it('stay exact through the gateway mutations', async () => {
    const inserted = await mutate(
      `mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows, batchSize: 7) { affected ids } }`,
      { rows: Array.from({ length: 60 }, randomExecution) },
    );
    expect(inserted.affected).toBe(60);
    expect(await expectRollupsExact()).toBe(60);

    // A report moving to another provider and category moves its hourly sums.
    await mutate(`mutation ($rows: [ReportInput!]!) { upsertReports(rows: $rows) { affected } }`, {
      rows: [{ id: reports[0], name: 'Moved', category: 'COST', provider: 'GCP' }],
    });
    await expectRollupsExact();

    // Status and duration changes move counts and can lower a cell's maximum.
    await mutate(
      `mutation ($rows: [ExecutionUpdate!]!) { updateExecutions(rows: $rows) { affected } }`,
      {
        rows: inserted.ids.slice(0, 15).map((id, i) => ({
          id,
          status: i % 2 === 0 ? 'FAILED' : 'CANCELLED',
          completedAt: '2026-03-05T00:00:00.000Z',
          durationMs: i,
        })),
      },
    );
    await expectRollupsExact();

    await mutate(`mutation ($ids: [ID!]) { deleteExecutions(ids: $ids) { affected } }`, {
      ids: inserted.ids.slice(10, 25),
    });
    await expectRollupsExact();
    await mutate(
      `mutation ($before: DateTime) { deleteExecutions(before: $before) { affected } }`,
      {
        before: '2026-03-01T12:00:00.000Z',
      },
    );
    expect(await expectRollupsExact()).toBeGreaterThan(0);
  });

  it('stay exact through statements run straight in SQL', async () => {
    const { db } = gateway;
    for (let i = 0; i < 40; i += 1) {
      const row = randomExecution();
      await db.query(sql`
        INSERT INTO report_executions (report_id, executed_by, status, started_at, duration_ms,
          output_size_bytes)
        VALUES (${row.reportId}, ${row.executedBy}, ${row.status.toLowerCase()},
          ${new Date(row.startedAt)}, ${row.durationMs}, ${row.outputSizeBytes})`);
    }
    await expectRollupsExact();

    // Moves across days, reports and users, including to and from no user.
    await db.query(sql`UPDATE report_executions
                       SET started_at = started_at + INTERVAL 1 DAY, completed_at = completed_at + INTERVAL 1 DAY
                       WHERE id % 3 = 0`);
    await db.query(sql`UPDATE report_executions SET report_id = ${reports[0]}, executed_by = NULL
                       WHERE id % 4 = 1`);
    await db.query(sql`UPDATE report_executions SET executed_by = ${users[2]}, duration_ms = NULL
                       WHERE id % 5 = 2`);
    await expectRollupsExact();

    // Across a month boundary: the monthly cells of February and March both change.
    await db.query(sql`UPDATE report_executions
                       SET started_at = started_at - INTERVAL 3 DAY, completed_at = completed_at - INTERVAL 3 DAY
                       WHERE id % 6 = 5`);
    await expectRollupsExact();
    await db.query(sql`DELETE FROM report_executions WHERE id % 7 = 3`);
    await expectRollupsExact();

    await db.query(sql`UPDATE reports SET provider = 'oci' WHERE id = ${reports[1]}`);
    await db.query(sql`UPDATE reports SET category = 'security', name = 'Renamed'`);
    await expectRollupsExact();

    // Deleting a report cascades to its executions without firing their triggers;
    // the rollup's own cascade keeps it exact. The same for a user.
    await db.query(sql`DELETE FROM reports WHERE id = ${reports[2]}`);
    await db.query(sql`DELETE FROM users WHERE id = ${users[1]}`);
    expect(await expectRollupsExact()).toBeGreaterThan(0);
  });

  it('INTEGRITY reports planted drift and REFRESH_ROLLUPS repairs it', async () => {
    const { db } = gateway;
    await db.query(sql`UPDATE report_daily_rollup SET executions = executions + 1
                       WHERE executions > 0 ORDER BY bucket_date LIMIT 1`);
    await db.query(
      sql`DELETE FROM user_daily_rollup WHERE executions > 0 ORDER BY bucket_date LIMIT 2`,
    );
    // A duration counted in the wrong bucket.
    await db.query(sql`UPDATE dimension_hourly_rollup
                       SET duration_histogram = CONCAT('1:1,', duration_histogram)
                       WHERE duration_histogram NOT LIKE '1:%' ORDER BY bucket_hour LIMIT 1`);
    const drift = await rollupDrift(db);
    expect(drift.map((d) => [d.table, d.driftingCells])).toEqual([
      ['report_daily_rollup', 1],
      ['user_daily_rollup', 2],
      ['report_monthly_rollup', 0],
      ['dimension_hourly_rollup', 1],
      // Rebuilt from the daily rollups only for the days the applier folds: untouched.
      ['day_rollup', 0],
    ]);
    expect(drift[0]!.examples).toHaveLength(1);

    const refreshed = await refreshRollups(db, undefined, 1);
    expect(refreshed.chunks).toBeGreaterThan(1);
    expect(refreshed.rows).toBeGreaterThan(0);
    await expectRollupsExact();
  });

  it('a refresh in progress blocks no reader, who sees the exact rows of before', async () => {
    const { db } = gateway;
    const executions: Selection = new Map([['executions', new Map() as Selection]]);
    const summary = (window: Window) =>
      fetchReportsSummary(
        db,
        {
          window,
          orderBy: { field: 'ID', direction: 'ASC' },
          page: { backward: false, limit: 50 },
        },
        executions,
      ).then((rows) => rows.map((found) => found.row));
    const days = {
      fromDay: new Date('2026-03-01T00:00:00Z'),
      toDay: new Date('2026-03-06T00:00:00Z'),
    };
    const window = { from: days.fromDay, to: days.toDay };
    const exact = await summary({ ...window, rawOnly: true });
    expect(exact.some((row) => Number(row.executions) > 0)).toBe(true);
    await db.tx(async (tx) => {
      await rebuildChunk(tx, days);
      // The chunk's rollup rows are deleted and rewritten, not yet committed.
      gateway.statements.length = 0;
      const during = await Promise.race([
        summary(window),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('the read was blocked')), 3000),
        ),
      ]);
      expect(gateway.statements.some((s) => s.includes('report_daily_rollup'))).toBe(true);
      expect(during).toEqual(exact);
    });
  });
});
