/**
 * Plain-SQL oracles of the performance views: each recomputes one view's answer from
 * report_executions, reports and users alone (no rollup, no code from src/), shaped
 * exactly as the GraphQL response of the selection written beside it. Ratios are
 * derived here from exact integer sums, the way DESIGN.md defines them.
 */
import type mysql from 'mysql2/promise';
import { bucketOf } from './histogram-oracle.js';
import type { RowDataPacket } from 'mysql2/promise';

/** A half-open window [from, to) in ISO-8601 UTC with milliseconds. */
export interface OracleWindow {
  from: string;
  to: string;
}

type Connection = Pick<mysql.Connection, 'query'>;
/** What mysql2 returns here: numbers, exact decimals and ids as strings, dates, nulls. */
type Value = string | number | Date | null;
type Row = Record<string, Value>;

/** An ISO instant as a DATETIME(3) literal (sessions run in UTC). */
const at = (iso: string) => iso.replace('T', ' ').replace('Z', '');
const missing = (value: Value | undefined): value is null | undefined =>
  value === null || value === undefined;
const iso = (value: Value | undefined) => (missing(value) ? null : (value as Date).toISOString());
const int = (value: Value | undefined) => (missing(value) ? null : Number(value));
/** An exact decimal sum as the BigInt scalar sends it. */
const digits = (value: Value | undefined) => BigInt(String(value ?? 0)).toString();
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const upper = (value: Value | undefined) => (missing(value) ? null : String(value).toUpperCase());

async function rows(db: Connection, text: string, values: unknown[] = []): Promise<Row[]> {
  const [result] = await db.query<RowDataPacket[]>(text, values);
  return result;
}

const COUNTS = `
  COUNT(e.id) AS executions,
  COALESCE(SUM(e.status = 'success'), 0) AS successes,
  COALESCE(SUM(e.status = 'failed'), 0) AS failures,
  COALESCE(SUM(e.status = 'cancelled'), 0) AS cancelled,
  COALESCE(SUM(e.duration_ms), 0) AS duration_sum,
  COUNT(e.duration_ms) AS duration_count,
  COALESCE(SUM(e.output_size_bytes), 0) AS output_bytes`;

/** The ExecutionMetrics interface fields from a row of COUNTS. */
function metrics(row: Row) {
  const successes = Number(row.successes);
  const failures = Number(row.failures);
  const completed = successes + failures + Number(row.cancelled);
  return {
    executions: Number(row.executions),
    successes,
    failures,
    successRate: ratio(successes, completed),
    failureRate: ratio(failures, completed),
    avgDurationMs: ratio(Number(row.duration_sum), Number(row.duration_count)),
    totalOutputBytes: digits(row.output_bytes),
  };
}

export const METRIC_FIELDS =
  'executions successes failures successRate failureRate avgDurationMs totalOutputBytes';

/** Orders by `key` (nulls last either way), then by id ascending. */
function byKeyThenId<T extends { id: number }>(key: (t: T) => number | null, desc: boolean) {
  return (a: T, b: T) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return desc ? y - x : x - y;
    }
    return a.id - b.id;
  };
}

export interface ReportsSummaryArgs {
  window: OracleWindow;
  providers?: string[];
  orderBy?: 'EXECUTIONS' | 'MAX_DURATION_MS';
  first: number;
}

export const REPORTS_SUMMARY_SELECTION = `totalCount pageInfo { hasNextPage }
  edges { node { report { id } ${METRIC_FIELDS} cancelled maxDurationMs lastExecutedAt } }`;

/** reportsSummary: every report of the filter, zeros included, ordered as asked. */
export async function reportsSummary(db: Connection, args: ReportsSummaryArgs) {
  const filter = args.providers ? 'WHERE r.provider IN (?)' : '';
  const found = await rows(
    db,
    `SELECT r.id, ${COUNTS}, MAX(e.duration_ms) AS max_duration, MAX(e.started_at) AS last_at
     FROM reports r
     LEFT JOIN report_executions e
       ON e.report_id = r.id AND e.started_at >= ? AND e.started_at < ?
     ${filter}
     GROUP BY r.id`,
    [at(args.window.from), at(args.window.to), args.providers?.map((p) => p.toLowerCase())],
  );
  const summaries = found.map((row) => ({
    id: Number(row.id),
    maxDuration: int(row.max_duration),
    node: {
      report: { id: String(row.id) },
      ...metrics(row),
      cancelled: Number(row.cancelled),
      maxDurationMs: int(row.max_duration),
      lastExecutedAt: iso(row.last_at),
    },
  }));
  summaries.sort(
    args.orderBy === 'MAX_DURATION_MS'
      ? byKeyThenId((s) => s.maxDuration, true)
      : byKeyThenId((s) => s.node.executions, true),
  );
  return {
    totalCount: summaries.length,
    pageInfo: { hasNextPage: summaries.length > args.first },
    edges: summaries.slice(0, args.first).map(({ node }) => ({ node })),
  };
}

export type Granularity = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
export type Dimension = 'PROVIDER' | 'CATEGORY';

// Each bucket's start, already as the DateTime scalar prints it.
const BUCKET_STARTS: Record<Granularity, string> = {
  HOUR: `DATE_FORMAT(e.started_at, '%Y-%m-%dT%H:00:00.000Z')`,
  DAY: `DATE_FORMAT(e.started_at, '%Y-%m-%dT00:00:00.000Z')`,
  WEEK: `DATE_FORMAT(DATE(e.started_at) - INTERVAL WEEKDAY(e.started_at) DAY, '%Y-%m-%dT00:00:00.000Z')`,
  MONTH: `DATE_FORMAT(e.started_at, '%Y-%m-01T00:00:00.000Z')`,
};

export interface ExecutionMetricsArgs {
  window: OracleWindow;
  granularity: Granularity;
  groupBy: Dimension[];
}

/** The bucket fields asked for: the dimensions only when grouped by them. */
export function executionMetricsSelection(groupBy: readonly Dimension[]) {
  return `bucketStart ${groupBy.map((d) => d.toLowerCase()).join(' ')} ${METRIC_FIELDS}
    distinctReports distinctUsers`;
}

/** executionMetrics: one bucket per start (and dimension value) with executions, oldest first. */
export async function executionMetrics(db: Connection, args: ExecutionMetricsArgs) {
  const dimensions = args.groupBy.map((d) => `r.${d.toLowerCase()}`);
  // ENUM columns sort by their declared order, as the view orders its dimensions.
  const keys = ['bucket_start', ...dimensions].join(', ');
  const found = await rows(
    db,
    `SELECT ${BUCKET_STARTS[args.granularity]} AS bucket_start,
       ${dimensions.map((d, i) => `${d} AS d${i}`).join(', ')}${dimensions.length ? ',' : ''}
       ${COUNTS},
       COUNT(DISTINCT e.report_id) AS distinct_reports,
       COUNT(DISTINCT e.executed_by) AS distinct_users
     FROM report_executions e JOIN reports r ON r.id = e.report_id
     WHERE e.started_at >= ? AND e.started_at < ?
     GROUP BY ${keys}
     ORDER BY ${keys}`,
    [at(args.window.from), at(args.window.to)],
  );
  return found.map((row) => ({
    bucketStart: row.bucket_start,
    ...Object.fromEntries(args.groupBy.map((d, i) => [d.toLowerCase(), upper(row[`d${i}`])])),
    ...metrics(row),
    distinctReports: Number(row.distinct_reports),
    distinctUsers: Number(row.distinct_users),
  }));
}

export const DIMENSION_PERFORMANCE_FIELDS = `${METRIC_FIELDS} reports activeReports bytesPerSecond`;

/** providerPerformance / categoryPerformance: one row per value that has a report. */
export async function dimensionPerformance(
  db: Connection,
  dimension: 'provider' | 'category',
  window: OracleWindow,
) {
  const found = await rows(
    db,
    `SELECT r.${dimension} AS value, COUNT(*) AS reports, SUM(r.is_active) AS active_reports,
       COALESCE(SUM(a.executions), 0) AS executions,
       COALESCE(SUM(a.successes), 0) AS successes,
       COALESCE(SUM(a.failures), 0) AS failures,
       COALESCE(SUM(a.cancelled), 0) AS cancelled,
       COALESCE(SUM(a.duration_sum), 0) AS duration_sum,
       COALESCE(SUM(a.duration_count), 0) AS duration_count,
       COALESCE(SUM(a.output_bytes), 0) AS output_bytes
     FROM reports r
     LEFT JOIN (
       SELECT e.report_id, ${COUNTS}
       FROM report_executions e
       WHERE e.started_at >= ? AND e.started_at < ?
       GROUP BY e.report_id
     ) a ON a.report_id = r.id
     GROUP BY r.${dimension}
     ORDER BY r.${dimension}`,
    [at(window.from), at(window.to)],
  );
  return found.map((row) => {
    const durationSum = Number(row.duration_sum);
    return {
      [dimension]: upper(row.value),
      ...metrics(row),
      reports: Number(row.reports),
      activeReports: Number(row.active_reports),
      bytesPerSecond:
        durationSum === 0 ? null : Number(digits(row.output_bytes)) / (durationSum / 1000),
    };
  });
}

export const USER_ACTIVITY_SELECTION = `totalCount pageInfo { hasNextPage }
  edges { node { user { id } reportsOwned executions successRate avgDurationMs lastActiveAt segment } }`;

const segment = (executions: number) =>
  executions >= 100
    ? 'POWER'
    : executions >= 10
      ? 'ACTIVE'
      : executions >= 1
        ? 'OCCASIONAL'
        : 'INACTIVE';

/** userActivity: every user, reports owned all time, runs in the window; busiest first. */
export async function userActivity(db: Connection, window: OracleWindow, first: number) {
  const found = await rows(
    db,
    `SELECT u.id, COALESCE(o.owned, 0) AS owned, ${COUNTS}, MAX(e.started_at) AS last_at
     FROM users u
     LEFT JOIN report_executions e
       ON e.executed_by = u.id AND e.started_at >= ? AND e.started_at < ?
     LEFT JOIN (
       SELECT owner_id, COUNT(*) AS owned FROM reports WHERE owner_id IS NOT NULL GROUP BY owner_id
     ) o ON o.owner_id = u.id
     GROUP BY u.id, o.owned`,
    [at(window.from), at(window.to)],
  );
  const users = found.map((row) => {
    const { executions, successRate, avgDurationMs } = metrics(row);
    return {
      id: Number(row.id),
      node: {
        user: { id: String(row.id) },
        reportsOwned: Number(row.owned),
        executions,
        successRate,
        avgDurationMs,
        lastActiveAt: iso(row.last_at),
        segment: segment(executions),
      },
    };
  });
  users.sort(byKeyThenId((u) => u.node.executions, true));
  return {
    totalCount: users.length,
    pageInfo: { hasNextPage: users.length > first },
    edges: users.slice(0, first).map(({ node }) => ({ node })),
  };
}

export type TrendPattern = 'HOUR_OF_DAY' | 'DAY_OF_WEEK';

export const EXECUTION_TRENDS_SELECTION =
  'pattern slots { slot executions share avgDurationMs } peak { slot executions }';

/** executionTrends: every slot (UTC hour 0–23 or ISO weekday 1–7), shares of the window. */
export async function executionTrends(db: Connection, window: OracleWindow, pattern: TrendPattern) {
  const slotOf = pattern === 'HOUR_OF_DAY' ? 'HOUR(e.started_at)' : 'WEEKDAY(e.started_at) + 1';
  const found = await rows(
    db,
    `SELECT ${slotOf} AS slot, ${COUNTS}
     FROM report_executions e
     WHERE e.started_at >= ? AND e.started_at < ?
     GROUP BY slot`,
    [at(window.from), at(window.to)],
  );
  const bySlot = new Map(found.map((row) => [Number(row.slot), row]));
  const total = found.reduce((sum, row) => sum + Number(row.executions), 0);
  const [low, high] = pattern === 'HOUR_OF_DAY' ? [0, 23] : [1, 7];
  const slots = [];
  for (let slot = low; slot <= high; slot += 1) {
    const row = bySlot.get(slot);
    const executions = row ? Number(row.executions) : 0;
    slots.push({
      slot,
      executions,
      share: total === 0 ? 0 : executions / total,
      avgDurationMs: row ? ratio(Number(row.duration_sum), Number(row.duration_count)) : null,
    });
  }
  // The busiest slot, the lowest on ties.
  const peak = slots.reduce((best, s) => (s.executions > best.executions ? s : best), slots[0]!);
  return {
    pattern,
    slots,
    peak: total === 0 ? null : { slot: peak.slot, executions: peak.executions },
  };
}

export const RECENT_EXECUTIONS_SELECTION = `totalCount pageInfo { hasNextPage }
  edges { node { id report { id } executedBy { id } status startedAt completedAt durationMs
    outputSizeBytes rowCount errorMessage performanceCategory outputSizeClass } }`;

const performanceCategory = (ms: number | null) =>
  ms === null
    ? null
    : ms < 1_000
      ? 'FAST'
      : ms < 10_000
        ? 'NORMAL'
        : ms < 60_000
          ? 'SLOW'
          : 'VERY_SLOW';

function outputSizeClass(bytes: string | null) {
  if (bytes === null || bytes === '0') return 'NONE';
  const n = BigInt(bytes);
  return n < 1n << 20n ? 'SMALL' : n < 100n << 20n ? 'MEDIUM' : 'LARGE';
}

/** recentExecutions: the first page of the window's executions, newest first. */
export async function recentExecutions(db: Connection, window: OracleWindow, first: number) {
  const range = [at(window.from), at(window.to)];
  const [count] = await rows(
    db,
    'SELECT COUNT(*) AS n FROM report_executions WHERE started_at >= ? AND started_at < ?',
    range,
  );
  const page = await rows(
    db,
    `SELECT * FROM report_executions WHERE started_at >= ? AND started_at < ?
     ORDER BY started_at DESC, id DESC LIMIT ?`,
    [...range, first + 1],
  );
  return {
    totalCount: Number(count!.n),
    pageInfo: { hasNextPage: page.length > first },
    edges: page.slice(0, first).map((row) => {
      const bytes = row.output_size_bytes === null ? null : digits(row.output_size_bytes);
      return {
        node: {
          id: String(row.id),
          report: { id: String(row.report_id) },
          executedBy: row.executed_by === null ? null : { id: String(row.executed_by) },
          status: upper(row.status),
          startedAt: iso(row.started_at),
          completedAt: iso(row.completed_at),
          durationMs: int(row.duration_ms),
          outputSizeBytes: bytes,
          rowCount: int(row.row_count),
          errorMessage: row.error_message,
          performanceCategory: performanceCategory(int(row.duration_ms)),
          outputSizeClass: outputSizeClass(bytes),
        },
      };
    }),
  };
}

export interface AlertArgs {
  window: OracleWindow;
  longRunningMs: number;
  failureRateThreshold: number;
  minExecutions: number;
  inactiveDays: number;
  p95ThresholdMs: number;
  first: number;
}

/**
 * The p95 the README documents: the nearest-rank duration's bucket (itself below
 * 128 ms, else its 7 highest bits kept) answered by 2·lo·hi / (lo + hi), to the µs.
 */
function documentedP95(durations: number[]): number {
  const sorted = [...durations].sort((a, b) => a - b);
  const d = sorted[Math.floor((95 * sorted.length + 99) / 100) - 1]!;
  const lo = bucketOf(d);
  const width = lo < 128 ? 1 : 2 ** (lo.toString(2).length - 7);
  if (width === 1) return lo;
  const hi = lo + width - 1;
  return Math.round(((2 * lo * hi) / (lo + hi)) * 1000) / 1000;
}

export const PERFORMANCE_ALERTS_SELECTION =
  'type severity report { id } execution { id } value threshold observedAt detail';

const SEVERITY_RANK: Record<string, number> = { CRITICAL: 3, WARNING: 2, INFO: 1 };

/** performanceAlerts of every type: CRITICAL first, then the newest (ties by type, report, execution). */
export async function performanceAlerts(db: Connection, args: AlertArgs) {
  const range = [at(args.window.from), at(args.window.to)];
  const to = at(args.window.to);
  const cutoff = at(
    new Date(Date.parse(args.window.to) - args.inactiveDays * 86_400_000).toISOString(),
  );
  const longRuns = await rows(
    db,
    `SELECT id, report_id, duration_ms, started_at FROM report_executions
     WHERE started_at >= ? AND started_at < ? AND duration_ms > ?`,
    [...range, args.longRunningMs],
  );
  const perReport = await rows(
    db,
    `SELECT report_id, SUM(status = 'failed') AS failures,
       SUM(status IN ('success', 'failed', 'cancelled')) AS completed, MAX(started_at) AS last_at
     FROM report_executions WHERE started_at >= ? AND started_at < ?
     GROUP BY report_id`,
    range,
  );
  const idle = await rows(
    db,
    `SELECT x.id, COALESCE(x.last_run, x.created_at) AS observed, x.last_run IS NULL AS never,
       TIMESTAMPDIFF(DAY, COALESCE(x.last_run, x.created_at), ?) AS days
     FROM (
       SELECT r.id, r.created_at,
         (SELECT MAX(e.started_at) FROM report_executions e
          WHERE e.report_id = r.id AND e.started_at < ?) AS last_run
       FROM reports r WHERE r.is_active AND r.created_at < ?
     ) x
     WHERE x.last_run IS NULL OR x.last_run < ?`,
    [to, to, cutoff, cutoff],
  );
  const runs = await rows(
    db,
    `SELECT report_id, duration_ms, started_at FROM report_executions
     WHERE started_at >= ? AND started_at < ? AND duration_ms IS NOT NULL`,
    range,
  );
  const durationsOf = new Map<string, number[]>();
  for (const run of runs) {
    const id = String(run.report_id);
    durationsOf.set(id, [...(durationsOf.get(id) ?? []), Number(run.duration_ms)]);
  }
  const slow = [...durationsOf]
    .map(([reportId, durations]) => ({
      reportId,
      n: durations.length,
      p95: documentedP95(durations),
    }))
    .filter((r) => r.n >= args.minExecutions && r.p95 > args.p95ThresholdMs);
  const alerts = [
    ...slow.map((r) => ({
      type: 'SLOW_P95',
      severity: r.p95 >= 3 * args.p95ThresholdMs ? 'CRITICAL' : 'WARNING',
      report: { id: r.reportId },
      execution: null,
      value: r.p95,
      threshold: args.p95ThresholdMs,
      observedAt: iso(perReport.find((p) => String(p.report_id) === r.reportId)!.last_at)!,
      detail: `p95 of ${r.n} durations is ${r.p95} ms; the limit is ${args.p95ThresholdMs} ms`,
    })),
    ...longRuns.map((row) => {
      const ms = Number(row.duration_ms);
      return {
        type: 'LONG_RUNNING',
        severity: ms >= 3 * args.longRunningMs ? 'CRITICAL' : 'WARNING',
        report: { id: String(row.report_id) },
        execution: { id: String(row.id) },
        value: ms,
        threshold: args.longRunningMs,
        observedAt: iso(row.started_at)!,
        detail: `Ran for ${ms} ms; the limit is ${args.longRunningMs} ms`,
      };
    }),
    ...perReport
      .map((row) => ({
        reportId: String(row.report_id),
        lastAt: row.last_at,
        failures: Number(row.failures),
        completed: Number(row.completed),
      }))
      .filter(
        (row) =>
          row.completed >= args.minExecutions &&
          row.failures >= args.failureRateThreshold * row.completed,
      )
      .map((row) => ({
        type: 'HIGH_FAILURE_RATE',
        severity: 2 * row.failures >= row.completed ? 'CRITICAL' : 'WARNING',
        report: { id: row.reportId },
        execution: null,
        value: row.failures / row.completed,
        threshold: args.failureRateThreshold,
        observedAt: iso(row.lastAt)!,
        detail: `${row.failures} of ${row.completed} completed executions failed`,
      })),
    ...idle.map((row) => ({
      type: 'INACTIVE_REPORT',
      severity: 'INFO',
      report: { id: String(row.id) },
      execution: null,
      value: Number(row.days),
      threshold: args.inactiveDays,
      observedAt: iso(row.observed)!,
      detail: Number(row.never)
        ? `Never executed; created ${Number(row.days)} days ago`
        : `No execution for ${Number(row.days)} days`,
    })),
  ];
  const executionId = (a: (typeof alerts)[number]) => (a.execution ? Number(a.execution.id) : 0);
  alerts.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity]! - SEVERITY_RANK[a.severity]! ||
      b.observedAt.localeCompare(a.observedAt) ||
      a.type.localeCompare(b.type) ||
      Number(a.report.id) - Number(b.report.id) ||
      executionId(a) - executionId(b),
  );
  return alerts.slice(0, args.first);
}
