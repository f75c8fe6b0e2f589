/**
 * performanceAlerts: four kinds of alert in one ordered list.
 * - LONG_RUNNING: each execution in the window with duration_ms > longRunningMs
 *   (CRITICAL from 3× the threshold, else WARNING).
 * - HIGH_FAILURE_RATE: each report with ≥ minExecutions completed executions in the
 *   window and failureRate ≥ the threshold (CRITICAL from 0.5, else WARNING).
 * - INACTIVE_REPORT: each active report created before to − inactiveDays whose newest
 *   execution before `to` is older than that, or absent (INFO).
 * - SLOW_P95: each report with ≥ minExecutions durations in the window whose p95
 *   (from the duration histograms, duration-percentiles.ts) exceeds p95ThresholdMs
 *   (CRITICAL from 3× the threshold, else WARNING). The gateway computes the p95s
 *   first and hands the slow reports to the statement as a JSON table.
 * Ordered CRITICAL first, then observedAt DESC. Values are DOUBLE (`* 1e0`) so the
 * gateway and the mv_performance_alerts view compute them identically.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { aggregateExecutions } from './daily-parts.js';
import { badInput } from '../errors.js';
import { readInSnapshot } from '../db/read.js';
import { percentiles } from '../rollups/duration-histogram.js';
import { forEachReportHistogram } from './duration-percentiles.js';
import type { Measure } from './metrics.js';
import type { RowModel } from './model.js';
import { planProjection, runProjected, withProjection } from './projection.js';
import type { ExecutionRow, ReportRow } from './rows.js';
import type { Selection } from './selection.js';
import { chooseSource } from './source-chooser.js';
import type { Window } from './time-window.js';

export const PERFORMANCE_ALERTS_DEFAULT_WINDOW = 'P7D';
/** The thresholds' defaults: the view's arguments and the live alerts' (alert-watch.ts). */
export const ALERT_THRESHOLD_DEFAULTS = {
  longRunningMs: 300_000,
  failureRateThreshold: 0.2,
  minExecutions: 10,
  inactiveDays: 30,
  p95ThresholdMs: 60_000,
} as const;
export const ALERT_TYPES = [
  'LONG_RUNNING',
  'HIGH_FAILURE_RATE',
  'INACTIVE_REPORT',
  'SLOW_P95',
] as const;
export const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export type Severity = (typeof SEVERITIES)[number];

export interface AlertRow {
  type: AlertType;
  severity: Severity;
  report_id: string;
  execution_id: string | null;
  value: number;
  threshold: number;
  observed_at: Date;
  detail: string;
  report?: ReportRow;
  execution?: ExecutionRow | null;
}

/** An alert's identity: its type, report and execution (null for the per-report types). */
export function alertIdentity(alert: AlertRow): [AlertType, string, string | null] {
  return [
    alert.type,
    String(alert.report_id),
    alert.execution_id ? String(alert.execution_id) : null,
  ];
}

export const ALERT_ROW: RowModel = {
  fields: {
    type: ['type'],
    severity: ['severity'],
    value: ['value'],
    threshold: ['threshold'],
    detail: ['detail'],
    observedAt: ['observed_at'],
    nodeId: ['type', 'report_id', 'execution_id'],
  },
  relations: {
    report: { entity: 'Report', fk: 'report_id', kind: 'many-to-one', join: 'INNER' },
    execution: { entity: 'Execution', fk: 'execution_id', kind: 'many-to-one', join: 'OUTER' },
  },
};

export interface AlertArgs {
  window: Window;
  types: readonly AlertType[];
  minSeverity: Severity;
  longRunningMs: number;
  failureRateThreshold: number;
  minExecutions: number;
  inactiveDays: number;
  p95ThresholdMs: number;
  limit: number;
  /** SLOW_P95's reports: [report id, p95, durations]; computed by fetchPerformanceAlerts. */
  slowReports?: readonly [string, number, number][];
}

/** Checks the thresholds, naming the argument that is out of range. */
export function validateAlertArgs(args: AlertArgs) {
  if (!Number.isInteger(args.longRunningMs) || args.longRunningMs < 0) {
    throw badInput(
      'longRunningMs',
      `must be a whole number of milliseconds ≥ 0, got ${args.longRunningMs}`,
    );
  }
  if (!(args.failureRateThreshold >= 0 && args.failureRateThreshold <= 1)) {
    throw badInput(
      'failureRateThreshold',
      `must be between 0 and 1, got ${args.failureRateThreshold}`,
    );
  }
  if (!Number.isInteger(args.minExecutions) || args.minExecutions < 1) {
    throw badInput('minExecutions', `must be 1 or more, got ${args.minExecutions}`);
  }
  if (!Number.isInteger(args.inactiveDays) || args.inactiveDays < 1 || args.inactiveDays > 3650) {
    throw badInput('inactiveDays', `must be from 1 to 3650, got ${args.inactiveDays}`);
  }
  if (!Number.isInteger(args.p95ThresholdMs) || args.p95ThresholdMs < 0) {
    throw badInput(
      'p95ThresholdMs',
      `must be a whole number of milliseconds ≥ 0, got ${args.p95ThresholdMs}`,
    );
  }
}

/** Long runs are few: the (duration_ms, started_at) index finds them without reading the window. */
function longRunning(args: AlertArgs): SQLQuery {
  const limit = args.longRunningMs;
  return sql`
    SELECT 'LONG_RUNNING' AS type,
      CASE WHEN e.duration_ms >= 3 * ${limit} THEN 'CRITICAL' ELSE 'WARNING' END AS severity,
      e.report_id AS report_id, e.id AS execution_id,
      e.duration_ms * 1e0 AS value, ${limit} * 1e0 AS threshold, e.started_at AS observed_at,
      CONCAT('Ran for ', e.duration_ms, ' ms; the limit is ', ${limit}, ' ms') AS detail
    FROM report_executions e
    WHERE e.started_at >= ${args.window.from} AND e.started_at < ${args.window.to}
      AND e.duration_ms > ${limit}`;
}

function highFailureRate(args: AlertArgs): SQLQuery {
  const measures: Measure[] = ['successes', 'failures', 'cancelled', 'last_executed_at'];
  const { source } = chooseSource({ measures, window: args.window, perKey: 'report_id' });
  const perReport = aggregateExecutions('report_id', measures, args.window, source);
  return sql`
    SELECT 'HIGH_FAILURE_RATE' AS type,
      CASE WHEN 2 * a.failures >= a.completed THEN 'CRITICAL' ELSE 'WARNING' END AS severity,
      a.report_id AS report_id, NULL AS execution_id,
      a.failures * 1e0 / a.completed AS value, ${args.failureRateThreshold} * 1e0 AS threshold,
      a.last_executed_at AS observed_at,
      CONCAT(a.failures, ' of ', a.completed, ' completed executions failed') AS detail
    FROM (
      SELECT g.report_id, g.failures, g.successes + g.failures + g.cancelled AS completed,
        g.last_executed_at
      FROM (${perReport}) g
    ) a
    WHERE a.completed >= ${args.minExecutions} AND a.failures >= ${args.failureRateThreshold} * a.completed`;
}

function inactiveReport(args: AlertArgs): SQLQuery {
  const cutoff = new Date(args.window.to.getTime() - args.inactiveDays * 86_400_000);
  return sql`
    SELECT 'INACTIVE_REPORT' AS type, 'INFO' AS severity, x.id AS report_id, NULL AS execution_id,
      TIMESTAMPDIFF(DAY, COALESCE(x.last_run, x.created_at), ${args.window.to}) * 1e0 AS value,
      ${args.inactiveDays} * 1e0 AS threshold,
      COALESCE(x.last_run, x.created_at) AS observed_at,
      CASE WHEN x.last_run IS NULL
        THEN CONCAT('Never executed; created ', TIMESTAMPDIFF(DAY, x.created_at, ${args.window.to}), ' days ago')
        ELSE CONCAT('No execution for ', TIMESTAMPDIFF(DAY, x.last_run, ${args.window.to}), ' days')
      END AS detail
    FROM (
      SELECT r.id, r.created_at,
        (SELECT e.started_at FROM report_executions e
         WHERE e.report_id = r.id AND e.started_at < ${args.window.to}
         ORDER BY e.started_at DESC LIMIT 1) AS last_run
      FROM reports r
      WHERE r.is_active AND r.created_at < ${cutoff}
    ) x
    WHERE x.last_run IS NULL OR x.last_run < ${cutoff}`;
}

/** The reports whose p95 exceeds the threshold, observed at their newest start in the window. */
function slowP95(args: AlertArgs): SQLQuery {
  const limit = args.p95ThresholdMs;
  const { source } = chooseSource({
    measures: ['last_executed_at'],
    window: args.window,
    perKey: 'report_id',
  });
  const newest = aggregateExecutions('report_id', ['last_executed_at'], args.window, source);
  return sql`
    SELECT 'SLOW_P95' AS type,
      CASE WHEN s.p95 >= 3 * ${limit} THEN 'CRITICAL' ELSE 'WARNING' END AS severity,
      s.report_id AS report_id, NULL AS execution_id,
      s.p95 * 1e0 AS value, ${limit} * 1e0 AS threshold, a.last_executed_at AS observed_at,
      CONCAT('p95 of ', s.n, ' durations is ', s.p95 * 1e0, ' ms; the limit is ', ${limit}, ' ms')
        AS detail
    FROM JSON_TABLE(${JSON.stringify(args.slowReports ?? [])}, '$[*]' COLUMNS (
      report_id BIGINT UNSIGNED PATH '$[0]', p95 DECIMAL(20, 3) PATH '$[1]', n BIGINT PATH '$[2]')) s
    JOIN (${newest}) a ON a.report_id = s.report_id`;
}

const BRANCHES: Record<AlertType, (args: AlertArgs) => SQLQuery> = {
  LONG_RUNNING: longRunning,
  HIGH_FAILURE_RATE: highFailureRate,
  INACTIVE_REPORT: inactiveReport,
  SLOW_P95: slowP95,
};

const rank = (alias: string) =>
  sql`CASE ${sql.ident(alias, 'severity')} WHEN 'CRITICAL' THEN 3 WHEN 'WARNING' THEN 2 ELSE 1 END`;

/** CRITICAL first, then the newest; the rest only makes the order total. */
const order = (alias: string) =>
  sql`${rank(alias)} DESC, ${sql.ident(alias, 'observed_at')} DESC, ${sql.ident(alias, 'type')},
      ${sql.ident(alias, 'report_id')}, ${sql.ident(alias, 'execution_id')}`;

/** Compiles the alert list; undefined when no type is asked for. */
export function compilePerformanceAlerts(args: AlertArgs, selection: Selection) {
  validateAlertArgs(args);
  const plan = planProjection(ALERT_ROW, selection);
  const types = ALERT_TYPES.filter((type) => args.types.includes(type));
  if (types.length === 0) return { plan, query: undefined };
  const minRank = SEVERITIES.indexOf(args.minSeverity) + 1;
  const core = sql`
    SELECT alerts.* FROM (${sql.join(
      types.map((type) => BRANCHES[type](args)),
      sql` UNION ALL `,
    )}) alerts
    WHERE ${rank('alerts')} >= ${minRank}
    ORDER BY ${order('alerts')}
    LIMIT ${args.limit}`;
  return { plan, query: withProjection(core, plan, order('v')) };
}

/**
 * Runs the view. With SLOW_P95 asked, every report's p95 is read first, in the
 * same snapshot as the list, and the slow ones go into the statement.
 */
export async function fetchPerformanceAlerts(
  db: Database,
  args: AlertArgs,
  selection: Selection,
): Promise<AlertRow[]> {
  if (!args.types.includes('SLOW_P95')) {
    const { plan, query } = compilePerformanceAlerts(args, selection);
    return query ? runProjected<AlertRow>(db, { plan, query }) : [];
  }
  validateAlertArgs(args);
  return readInSnapshot(db, async (connection) => {
    const slowReports: [string, number, number][] = [];
    await forEachReportHistogram(
      db,
      connection,
      args.window,
      undefined,
      (report, histogram) => {
        const durations = [...histogram.values()].reduce((sum, n) => sum + Math.max(n, 0), 0);
        const p95 = percentiles(histogram, [95]).get(95);
        if (p95 != null && p95 > args.p95ThresholdMs && durations >= args.minExecutions) {
          slowReports.push([report, p95, durations]);
        }
      },
      null,
    );
    const { plan, query } = compilePerformanceAlerts({ ...args, slowReports }, selection);
    return runProjected<AlertRow>(db, { plan, query: query! }, connection);
  });
}
