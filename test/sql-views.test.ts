/**
 * The sql/views definitions are the reference semantics: for the default window the
 * GraphQL answer of each view equals `SELECT … FROM mv_*` on the same data, row for row.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
type Row = Record<string, unknown>;

const HOUR = 3_600_000;

beforeAll(async () => {
  gateway = await createTestGateway();
  await seedDatabase(gateway.db, { executions: 6000, reports: 300, users: 50 });
  // Alerts and segments the random data may not reach: a failing report run by a power user,
  // long runs, and an active report that never ran.
  const power = await insertUser(gateway.db);
  const failing = await insertReport(gateway.db, {
    created_at: new Date(Date.now() - 400 * 24 * HOUR),
  });
  for (let i = 0; i < 120; i += 1) {
    await insertExecution(gateway.db, failing, new Date(Date.now() - (i + 1) * HOUR), {
      status: i % 3 === 0 ? 'success' : 'failed',
      executed_by: power,
      duration_ms: i < 3 ? 1_000_000 + i : 2_000,
    });
  }
  await insertReport(gateway.db, { created_at: new Date(Date.now() - 100 * 24 * HOUR) });
}, 120_000);
afterAll(() => gateway.drop());

async function graphql(query: string): Promise<Row> {
  const result = await gateway.executeText(query);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

function view(name: string) {
  return queryRows<Row>(gateway.db, sql`SELECT * FROM ${sql.ident(name)}`);
}

const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
// MariaDB renders a DOUBLE in the text protocol that may differ from the shortest
// round-trip form in the last digit (288749 / 3 arrives as …669, not …667): compare
// computed ratios to 12 significant digits on both sides.
const real = (value: unknown) =>
  value === null || value === undefined ? null : Number(Number(value).toPrecision(12));
const reals = <T extends Row>(row: T, fields: string[]): T =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, fields.includes(k) ? real(v) : v]),
  ) as T;
const RATIOS = [
  'success_rate',
  'avg_duration_ms',
  'successRate',
  'avgDurationMs',
  'bytesPerSecond',
  'share',
  'value',
];
// Values arrive as strings (DECIMAL, BIGINT, enums) or numbers; render both as text.
const text = (value: unknown) =>
  value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
const lower = (value: unknown) => text(value)?.toLowerCase() ?? null;
const iso = (value: unknown) =>
  value === null || value === undefined ? null : new Date(value as string | Date).toISOString();
const edges = (connection: unknown) =>
  (connection as { edges: { node: Row }[] }).edges.map((edge) => edge.node);

describe('GraphQL equals mv_* for the default window', () => {
  it('mv_reports_summary', async () => {
    const data = await graphql(`
      {
        reportsSummary(first: 500, orderBy: { field: ID, direction: ASC }) {
          edges {
            node {
              report {
                id
                name
                category
                provider
                owner {
                  id
                }
                active
              }
              executions
              successes
              failures
              cancelled
              successRate
              avgDurationMs
              maxDurationMs
              totalOutputBytes
              lastExecutedAt
            }
          }
        }
      }
    `);
    const fromGraphql = edges(data.reportsSummary).map((n) => {
      const report = n.report as Row;
      return {
        report_id: report.id,
        report_name: report.name,
        category: lower(report.category),
        provider: lower(report.provider),
        owner_id: (report.owner as Row | null)?.id ?? null,
        is_active: report.active,
        executions: n.executions,
        successes: n.successes,
        failures: n.failures,
        cancelled: n.cancelled,
        success_rate: n.successRate,
        avg_duration_ms: n.avgDurationMs,
        max_duration_ms: n.maxDurationMs,
        total_output_bytes: n.totalOutputBytes,
        last_executed_at: n.lastExecutedAt,
      };
    });
    const fromView = (await view('mv_reports_summary'))
      .sort((a, b) => Number(a.report_id) - Number(b.report_id))
      .map((r) => ({
        ...r,
        executions: num(r.executions),
        successes: num(r.successes),
        failures: num(r.failures),
        cancelled: num(r.cancelled),
        max_duration_ms: num(r.max_duration_ms),
        total_output_bytes: text(r.total_output_bytes),
        last_executed_at: iso(r.last_executed_at),
      }));
    expect(fromGraphql.length).toBeGreaterThan(300);
    expect(fromGraphql.map((r) => reals(r, RATIOS))).toEqual(fromView.map((r) => reals(r, RATIOS)));
  });

  it('mv_daily_execution_metrics', async () => {
    const data = await graphql(`
      {
        executionMetrics {
          bucketStart
          executions
          successes
          failures
          successRate
          avgDurationMs
          totalOutputBytes
          distinctReports
          distinctUsers
        }
      }
    `);
    const fromView = (await view('mv_daily_execution_metrics'))
      .map((r) => ({
        bucketStart: iso(r.bucket_start),
        executions: num(r.executions),
        successes: num(r.successes),
        failures: num(r.failures),
        successRate: num(r.success_rate),
        avgDurationMs: num(r.avg_duration_ms),
        totalOutputBytes: text(r.total_output_bytes),
        distinctReports: num(r.distinct_reports),
        distinctUsers: num(r.distinct_users),
      }))
      .sort((a, b) => a.bucketStart!.localeCompare(b.bucketStart!));
    expect(fromView.length).toBeGreaterThan(300);
    expect((data.executionMetrics as Row[]).map((r) => reals(r, RATIOS))).toEqual(
      fromView.map((r) => reals(r, RATIOS)),
    );
  });

  it.each([
    ['providerPerformance', 'mv_provider_performance', 'provider'],
    ['categoryPerformance', 'mv_category_performance', 'category'],
  ])('%s equals %s', async (field, viewName, dimension) => {
    const data =
      await graphql(`{ ${field} { ${dimension} reports activeReports executions successes failures
      successRate avgDurationMs totalOutputBytes bytesPerSecond } }`);
    const fromGraphql = (data[field] as Row[]).map((n) => ({
      ...n,
      [dimension]: lower(n[dimension]),
    }));
    const fromView = (await view(viewName)).map((r) => ({
      [dimension]: r[dimension],
      reports: num(r.reports),
      activeReports: num(r.active_reports),
      executions: num(r.executions),
      successes: num(r.successes),
      failures: num(r.failures),
      successRate: num(r.success_rate),
      avgDurationMs: num(r.avg_duration_ms),
      totalOutputBytes: text(r.total_output_bytes),
      bytesPerSecond: num(r.bytes_per_second),
    }));
    const byKey = (a: Row, b: Row) => String(a[dimension]).localeCompare(String(b[dimension]));
    expect(fromGraphql.sort(byKey).map((r) => reals(r, RATIOS))).toEqual(
      fromView.sort(byKey).map((r) => reals(r, RATIOS)),
    );
  });

  it('mv_user_activity', async () => {
    const data = await graphql(`
      {
        userActivity(first: 500, orderBy: { field: ID, direction: ASC }) {
          edges {
            node {
              user {
                id
                email
                displayName
                role
              }
              reportsOwned
              executions
              successRate
              avgDurationMs
              lastActiveAt
              segment
            }
          }
        }
      }
    `);
    const fromGraphql = edges(data.userActivity).map((n) => {
      const user = n.user as Row;
      return {
        user_id: user.id,
        email: user.email,
        display_name: user.displayName,
        role: lower(user.role),
        reports_owned: n.reportsOwned,
        executions: n.executions,
        success_rate: n.successRate,
        avg_duration_ms: n.avgDurationMs,
        last_active_at: n.lastActiveAt,
        segment: n.segment,
      };
    });
    const fromView = (await view('mv_user_activity'))
      .sort((a, b) => Number(a.user_id) - Number(b.user_id))
      .map((r) => ({
        ...r,
        reports_owned: num(r.reports_owned),
        executions: num(r.executions),
        last_active_at: iso(r.last_active_at),
      }));
    expect(fromGraphql.map((r) => reals(r, RATIOS))).toEqual(fromView.map((r) => reals(r, RATIOS)));
    expect(fromGraphql.map((u) => u.segment)).toContain('POWER');
  });

  it('mv_recent_executions', async () => {
    const nodes: Row[] = [];
    let after: string | null = null;
    for (;;) {
      const data =
        await graphql(`{ recentExecutions(first: 500${after ? `, after: "${after}"` : ''}) {
        pageInfo { hasNextPage endCursor }
        edges { node { id report { id name provider category } executedBy { id } status startedAt completedAt
          durationMs outputSizeBytes rowCount errorMessage performanceCategory outputSizeClass } } } }`);
      const connection = data.recentExecutions as {
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      nodes.push(...edges(connection));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const fromGraphql = nodes.map((n) => {
      const report = n.report as Row;
      return {
        execution_id: n.id,
        report_id: report.id,
        report_name: report.name,
        provider: lower(report.provider),
        category: lower(report.category),
        executed_by: (n.executedBy as Row | null)?.id ?? null,
        status: lower(n.status),
        started_at: n.startedAt,
        completed_at: n.completedAt,
        duration_ms: n.durationMs,
        output_size_bytes: n.outputSizeBytes,
        row_count: n.rowCount,
        error_message: n.errorMessage,
        performance_category: n.performanceCategory,
        output_size_class: n.outputSizeClass,
      };
    });
    const fromView = (await view('mv_recent_executions'))
      .map((r): Row => ({
        ...r,
        started_at: iso(r.started_at),
        completed_at: iso(r.completed_at),
        output_size_bytes: text(r.output_size_bytes),
      }))
      .sort(
        (a, b) =>
          String(b.started_at).localeCompare(String(a.started_at)) ||
          Number(b.execution_id) - Number(a.execution_id),
      );
    expect(fromGraphql.length).toBeGreaterThan(400);
    expect(fromGraphql).toEqual(fromView);
  });

  it('mv_performance_alerts', async () => {
    const data = await graphql(`
      {
        performanceAlerts(types: [LONG_RUNNING, HIGH_FAILURE_RATE, INACTIVE_REPORT]) {
          type
          severity
          report {
            id
          }
          execution {
            id
          }
          value
          threshold
          observedAt
          detail
        }
      }
    `);
    const fromGraphql = (data.performanceAlerts as Row[]).map((a) => ({
      type: a.type,
      severity: a.severity,
      report_id: (a.report as Row).id,
      execution_id: (a.execution as Row | null)?.id ?? null,
      value: a.value,
      threshold: a.threshold,
      observed_at: a.observedAt,
      detail: a.detail,
    }));
    const rank = { CRITICAL: 3, WARNING: 2, INFO: 1 } as Record<string, number>;
    const fromView = (await view('mv_performance_alerts'))
      .map((r): Row => ({
        ...r,
        value: num(r.value),
        threshold: num(r.threshold),
        observed_at: iso(r.observed_at),
      }))
      .sort(
        (a, b) =>
          rank[String(b.severity)]! - rank[String(a.severity)]! ||
          String(b.observed_at).localeCompare(String(a.observed_at)) ||
          String(a.type).localeCompare(String(b.type)) ||
          Number(a.report_id) - Number(b.report_id) ||
          Number(a.execution_id) - Number(b.execution_id),
      );
    expect(new Set(fromGraphql.map((a) => a.type))).toEqual(
      new Set(['LONG_RUNNING', 'HIGH_FAILURE_RATE', 'INACTIVE_REPORT']),
    );
    expect(fromGraphql.map((r) => reals(r, RATIOS))).toEqual(fromView.map((r) => reals(r, RATIOS)));
  });

  it('mv_execution_trends', async () => {
    const data = await graphql(`
      {
        executionTrends {
          pattern
          slots {
            slot
            executions
            share
            avgDurationMs
          }
        }
      }
    `);
    const fromView = (await view('mv_execution_trends'))
      .map((r) => ({
        slot: num(r.slot),
        executions: num(r.executions),
        share: num(r.share),
        avgDurationMs: num(r.avg_duration_ms),
      }))
      .sort((a, b) => a.slot! - b.slot!);
    const trends = data.executionTrends as { pattern: string; slots: Row[] };
    expect(trends.pattern).toBe('HOUR_OF_DAY');
    expect(trends.slots.map((r) => reals(r, RATIOS))).toEqual(
      fromView.map((r) => reals(r, RATIOS)),
    );
  });
});
