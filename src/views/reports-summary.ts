/**
 * reportsSummary: every report matching the filter with its execution measures
 * inside the window (zeros when it has none). Executions are aggregated per report
 * first (only the measures the selection and the order need), then joined to the
 * filtered reports; report fields beyond the id come from a join on the page only.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { queryOne, queryRows, type Database } from '../db/pool.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import {
  METRIC_FIELDS,
  measureColumns,
  measureSelects,
  type Measure,
  type MeasureRow,
} from './metrics.js';
import type { RowModel } from './model.js';
import { planProjection, withProjection } from './projection.js';
import type { ReportRow } from './rows.js';
import type { Selection } from './selection.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

export const REPORTS_SUMMARY_DEFAULT_WINDOW = 'P90D';

/** A row of the view: measures of one report, and the report (or only its id). */
export type ReportSummaryRow = MeasureRow & { report_id: string; report?: ReportRow };

export const REPORT_SUMMARY_ROW: RowModel = {
  fields: METRIC_FIELDS,
  relations: { report: { entity: 'Report', fk: 'report_id', kind: 'one-to-one', join: 'INNER' } },
};

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

export interface ReportsSummaryArgs {
  window: Window;
  filter?: ReportFilterInput | null;
  orderBy: ReportsSummaryOrder;
  offset: number;
  limit: number;
}

type Order = { measures: Measure[]; expression: (alias: string) => SQLQuery };

const c = (alias: string, column: string) => sql.ident(alias, column);

// Each sort key over the view's own columns, so it reads the same inside and outside the page.
const ORDERS: Record<ReportsSummaryOrderField, Order> = {
  EXECUTIONS: { measures: ['executions'], expression: (a) => c(a, 'executions') },
  SUCCESSES: { measures: ['successes'], expression: (a) => c(a, 'successes') },
  FAILURES: { measures: ['failures'], expression: (a) => c(a, 'failures') },
  SUCCESS_RATE: {
    measures: ['successes', 'failures', 'cancelled'],
    expression: (a) =>
      sql`${c(a, 'successes')} / NULLIF(${c(a, 'successes')} + ${c(a, 'failures')} + ${c(a, 'cancelled')}, 0)`,
  },
  AVG_DURATION_MS: {
    measures: ['duration_sum', 'duration_count'],
    expression: (a) => sql`${c(a, 'duration_sum')} / NULLIF(${c(a, 'duration_count')}, 0)`,
  },
  MAX_DURATION_MS: { measures: ['max_duration_ms'], expression: (a) => c(a, 'max_duration_ms') },
  TOTAL_OUTPUT_BYTES: {
    measures: ['total_output_bytes'],
    expression: (a) => c(a, 'total_output_bytes'),
  },
  LAST_EXECUTED_AT: {
    measures: ['last_executed_at'],
    expression: (a) => c(a, 'last_executed_at'),
  },
  NAME: { measures: [], expression: (a) => c(a, 'sort_name') },
  ID: { measures: [], expression: (a) => c(a, 'report_id') },
};

/** ORDER BY with nulls last in both directions and the report id as the tie-break. */
function orderClause(order: ReportsSummaryOrder, alias: string): SQLQuery {
  const expression = ORDERS[order.field].expression(alias);
  const direction = order.direction === 'ASC' ? sql`ASC` : sql`DESC`;
  return sql`(${expression}) IS NULL, ${expression} ${direction}, ${c(alias, 'report_id')} ASC`;
}

/** Compiles one page of the summary for a selection of ReportSummary fields. */
export function compileReportsSummary(args: ReportsSummaryArgs, node: Selection) {
  const plan = planProjection(REPORT_SUMMARY_ROW, node);
  const order = ORDERS[args.orderBy.field];
  const measures = new Set<Measure>(order.measures);
  for (const column of plan.rootColumns) {
    if (column !== 'report_id') measures.add(column as Measure);
  }
  const columns: SQLQuery[] = [sql`r.id AS report_id`, ...measureColumns(measures, 'a')];
  if (args.orderBy.field === 'NAME') columns.push(sql`r.name AS sort_name`);
  const aggregate =
    measures.size === 0
      ? sql``
      : sql`LEFT JOIN (
          SELECT e.report_id, ${sql.join(measureSelects(measures), ', ')}
          FROM report_executions e
          WHERE e.started_at >= ${args.window.from} AND e.started_at < ${args.window.to}
          GROUP BY e.report_id
        ) a ON a.report_id = r.id`;
  const core = sql`
    SELECT s.* FROM (
      SELECT ${sql.join(columns, ', ')} FROM reports r ${aggregate}
      WHERE ${allOf(reportConditions('r', args.filter))}
    ) s
    ORDER BY ${orderClause(args.orderBy, 's')}
    LIMIT ${args.limit} OFFSET ${args.offset}`;
  return { plan, query: withProjection(core, plan, orderClause(args.orderBy, 'v')) };
}

/** Fetches one page (`limit` rows from `offset`) of the summary. */
export async function fetchReportsSummary(
  db: Database,
  args: ReportsSummaryArgs,
  node: Selection,
): Promise<ReportSummaryRow[]> {
  const { plan, query } = compileReportsSummary(args, node);
  const rows = await queryRows<Record<string, unknown>>(db, query);
  return rows.map((row) => plan.read(row) as ReportSummaryRow);
}

/** Counts the reports the filter matches (the connection's totalCount). */
export async function countReports(db: Database, filter: ReportFilterInput | null | undefined) {
  const row = await queryOne<{ total: string }>(
    db,
    sql`SELECT COUNT(*) AS total FROM reports r WHERE ${allOf(reportConditions('r', filter))}`,
  );
  return Number(row?.total ?? 0);
}
