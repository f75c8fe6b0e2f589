/**
 * reportsSummary: every report matching the filter with its execution statistics
 * inside the window (zeros when it has none). Executions are aggregated per report
 * first, then joined to the reports, so the GROUP BY runs on one narrow index range.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { queryOne, queryRows, type Database } from '../db/pool.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import { allOf, col } from './sql-helpers.js';
import type { ReportRow } from './rows.js';
import { REPORT_COLUMNS } from './rows.js';
import type { Window } from './time-window.js';

export const REPORTS_SUMMARY_DEFAULT_WINDOW = 'P90D';

export type ReportsSummaryOrderField =
  | 'EXECUTIONS'
  | 'SUCCESSES'
  | 'FAILURES'
  | 'SUCCESS_RATE'
  | 'AVG_DURATION_MS'
  | 'MAX_DURATION_MS'
  | 'TOTAL_OUTPUT_BYTES'
  | 'LAST_EXECUTED_AT'
  | 'NAME'
  | 'ID';

export interface ReportsSummaryOrder {
  field: ReportsSummaryOrderField;
  direction: 'ASC' | 'DESC';
}

export interface ReportSummaryRow {
  report: ReportRow;
  executions: number;
  successes: number;
  failures: number;
  cancelled: number;
  successRate: number | null;
  avgDurationMs: number | null;
  maxDurationMs: number | null;
  totalOutputBytes: string;
  lastExecutedAt: Date | null;
}

export interface ReportsSummaryArgs {
  window: Window;
  filter?: ReportFilterInput | null;
  orderBy: ReportsSummaryOrder;
  offset: number;
  limit: number;
}

// Qualified expressions: a bare alias inside an ORDER BY expression may resolve to
// the derived table's column (NULL for reports without executions) instead.
const ORDER_EXPRESSIONS: Record<ReportsSummaryOrderField, SQLQuery> = {
  EXECUTIONS: sql`COALESCE(a.executions, 0)`,
  SUCCESSES: sql`COALESCE(a.successes, 0)`,
  FAILURES: sql`COALESCE(a.failures, 0)`,
  SUCCESS_RATE: sql`a.successes / NULLIF(a.successes + a.failures + a.cancelled, 0)`,
  AVG_DURATION_MS: sql`a.duration_sum / NULLIF(a.duration_count, 0)`,
  MAX_DURATION_MS: sql`a.max_duration_ms`,
  TOTAL_OUTPUT_BYTES: sql`COALESCE(a.total_output_bytes, 0)`,
  LAST_EXECUTED_AT: sql`a.last_executed_at`,
  NAME: sql`r.name`,
  ID: sql`r.id`,
};

/** ORDER BY with nulls last in both directions and the report id as the tie-break. */
function orderClause(order: ReportsSummaryOrder): SQLQuery {
  const expression = ORDER_EXPRESSIONS[order.field];
  const direction = order.direction === 'ASC' ? sql`ASC` : sql`DESC`;
  return sql`(${expression}) IS NULL, ${expression} ${direction}, r.id ASC`;
}

/** Fetches one page (`limit` rows from `offset`) of the summary. */
export async function fetchReportsSummary(db: Database, args: ReportsSummaryArgs) {
  const reportColumns = sql.join(
    REPORT_COLUMNS.map((c) => col('r', c)),
    ', ',
  );
  const rows = await queryRows<RawSummary>(
    db,
    sql`
    SELECT ${reportColumns},
      COALESCE(a.executions, 0) AS executions,
      COALESCE(a.successes, 0) AS successes,
      COALESCE(a.failures, 0) AS failures,
      COALESCE(a.cancelled, 0) AS cancelled,
      a.duration_sum, a.duration_count, a.max_duration_ms,
      COALESCE(a.total_output_bytes, 0) AS total_output_bytes,
      a.last_executed_at
    FROM reports r
    LEFT JOIN (
      SELECT report_id,
        COUNT(*) AS executions,
        SUM(status = 'success') AS successes,
        SUM(status = 'failed') AS failures,
        SUM(status = 'cancelled') AS cancelled,
        SUM(duration_ms) AS duration_sum,
        COUNT(duration_ms) AS duration_count,
        MAX(duration_ms) AS max_duration_ms,
        SUM(output_size_bytes) AS total_output_bytes,
        MAX(started_at) AS last_executed_at
      FROM report_executions
      WHERE started_at >= ${args.window.from} AND started_at < ${args.window.to}
      GROUP BY report_id
    ) a ON a.report_id = r.id
    WHERE ${allOf(reportConditions('r', args.filter))}
    ORDER BY ${orderClause(args.orderBy)}
    LIMIT ${args.limit} OFFSET ${args.offset}`,
  );
  return rows.map(toSummaryRow);
}

/** Counts the reports the filter matches (the connection's totalCount). */
export async function countReports(db: Database, filter: ReportFilterInput | null | undefined) {
  const row = await queryOne<{ total: string }>(
    db,
    sql`SELECT COUNT(*) AS total FROM reports r WHERE ${allOf(reportConditions('r', filter))}`,
  );
  return Number(row?.total ?? 0);
}

type RawSummary = Record<string, unknown> & { total_output_bytes: string | null };

function toSummaryRow(raw: RawSummary): ReportSummaryRow {
  const count = (key: string) => Number(raw[key] ?? 0);
  const successes = count('successes');
  const failures = count('failures');
  const cancelled = count('cancelled');
  const completed = successes + failures + cancelled;
  const durationCount = count('duration_count');
  const report = Object.fromEntries(REPORT_COLUMNS.map((c) => [c, raw[c]])) as unknown as ReportRow;
  return {
    report,
    executions: count('executions'),
    successes,
    failures,
    cancelled,
    successRate: completed === 0 ? null : successes / completed,
    avgDurationMs: durationCount === 0 ? null : count('duration_sum') / durationCount,
    maxDurationMs: raw.max_duration_ms === null ? null : count('max_duration_ms'),
    totalOutputBytes: raw.total_output_bytes ?? '0',
    lastExecutedAt: (raw.last_executed_at as Date | null) ?? null,
  };
}
