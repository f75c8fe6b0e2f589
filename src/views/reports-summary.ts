/**
 * reportsSummary: every report matching the filter with its execution measures
 * inside the window (zeros when it has none), computing only the measures the
 * selection and the order need; report fields beyond the id are joined to the page.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import {
  compileEntitySummary,
  fetchEntitySummary,
  type EntitySummary,
  type PositionedRow,
  type SortKey,
  type SummaryPage,
} from './entity-summary.js';
import { INTERFACE_METRICS, metricFields, type Measure, type MeasureRow } from './metrics.js';
import type { RowModel } from './model.js';
import { planProjection } from './projection.js';
import type { ReportRow } from './rows.js';
import type { Selection } from './selection.js';
import { countWhere } from './sql-helpers.js';
import type { Window } from './time-window.js';

export const REPORTS_SUMMARY_DEFAULT_WINDOW = 'P90D';

/** A row of the view: measures of one report, and the report (or only its id). */
export type ReportSummaryRow = MeasureRow & { report_id: string; report?: ReportRow };

export const REPORT_SUMMARY_ROW: RowModel = {
  fields: {
    ...metricFields(...INTERFACE_METRICS, 'cancelled', 'maxDurationMs', 'lastExecutedAt'),
    nodeId: ['report_id'],
  },
  relations: { report: { entity: 'Report', fk: 'report_id', kind: 'one-to-one', join: 'INNER' } },
};

export const REPORTS_SUMMARY_ORDER_FIELDS = [
  'EXECUTIONS',
  'SUCCESSES',
  'FAILURES',
  'SUCCESS_RATE',
  'AVG_DURATION_MS',
  'MAX_DURATION_MS',
  'TOTAL_OUTPUT_BYTES',
  'LAST_EXECUTED_AT',
  'NAME',
  'ID',
] as const;

export type ReportsSummaryOrderField = (typeof REPORTS_SUMMARY_ORDER_FIELDS)[number];

export interface ReportsSummaryOrder {
  field: ReportsSummaryOrderField;
  direction: 'ASC' | 'DESC';
}

export interface ReportsSummaryArgs {
  window: Window;
  filter?: ReportFilterInput | null;
  orderBy: ReportsSummaryOrder;
  page: SummaryPage;
}

const c = (alias: string, column: string) => sql.ident(alias, column);

/** A sort key on one measure column. */
const byMeasure = (measure: Measure, kind: SortKey['kind'] = 'number'): SortKey => ({
  measures: [measure],
  expression: (a) => c(a, measure),
  kind,
});

/**
 * A quotient as one exact decimal: the server shows a division with 4 decimals but
 * compares it with more, so the value a cursor holds would not be the one compared.
 */
const quotient = (dividend: SQLQuery, divisor: SQLQuery) =>
  sql`CAST(${dividend} / NULLIF(${divisor}, 0) AS DECIMAL(65, 30))`;

/** successes ÷ completed, the order of SUCCESS_RATE. */
export const SUCCESS_RATE_SORT: SortKey = {
  measures: ['successes', 'failures', 'cancelled'],
  expression: (a) =>
    quotient(
      c(a, 'successes'),
      sql`${c(a, 'successes')} + ${c(a, 'failures')} + ${c(a, 'cancelled')}`,
    ),
  kind: 'number',
};

/** Mean duration, the order of AVG_DURATION_MS. */
export const AVG_DURATION_SORT: SortKey = {
  measures: ['duration_sum', 'duration_count'],
  expression: (a) => quotient(c(a, 'duration_sum'), c(a, 'duration_count')),
  kind: 'number',
};

const SORTS: Record<ReportsSummaryOrderField, SortKey> = {
  EXECUTIONS: byMeasure('executions'),
  SUCCESSES: byMeasure('successes'),
  FAILURES: byMeasure('failures'),
  SUCCESS_RATE: SUCCESS_RATE_SORT,
  AVG_DURATION_MS: AVG_DURATION_SORT,
  MAX_DURATION_MS: byMeasure('max_duration_ms'),
  TOTAL_OUTPUT_BYTES: byMeasure('total_output_bytes'),
  LAST_EXECUTED_AT: byMeasure('last_executed_at', 'datetime'),
  NAME: { measures: [], expression: (a) => c(a, 'sort_name'), kind: 'text' },
  ID: { measures: [], expression: (a) => c(a, 'report_id'), kind: 'number' },
};

/** What a cursor's sort value is under an order field. */
export const reportsSortKind = (field: ReportsSummaryOrderField) => SORTS[field].kind;

/** Compiles one page of the summary for a selection of ReportSummary fields. */
export function compileReportsSummary(args: ReportsSummaryArgs, node: Selection) {
  const plan = planProjection(REPORT_SUMMARY_ROW, node);
  const summary: EntitySummary = {
    from: sql`reports r`,
    key: sql`r.id`,
    keyName: 'report_id',
    executionsFk: 'report_id',
    window: args.window,
    plan,
    columns: args.orderBy.field === 'NAME' ? [sql`r.name AS sort_name`] : [],
    joins: [],
    conditions: reportConditions('r', args.filter),
    sort: SORTS[args.orderBy.field],
    direction: args.orderBy.direction,
    page: args.page,
  };
  return compileEntitySummary(summary);
}

/** Fetches one page of the summary, each row with its position. */
export async function fetchReportsSummary(
  db: Database,
  args: ReportsSummaryArgs,
  node: Selection,
): Promise<PositionedRow<ReportSummaryRow>[]> {
  return fetchEntitySummary(db, compileReportsSummary(args, node), 'report_id', args.page);
}

/** Counts the reports the filter matches (the connection's totalCount). */
export async function countReports(db: Database, filter: ReportFilterInput | null | undefined) {
  return countWhere(db, sql`reports r`, reportConditions('r', filter));
}
