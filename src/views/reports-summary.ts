/**
 * reportsSummary: every report matching the filter with its execution measures
 * inside the window (zeros when it has none), computing only the measures the
 * selection and the order need; report fields beyond the id are joined to the page.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readInSnapshot } from '../db/read.js';
import type { Percent } from '../rollups/duration-histogram.js';
import { noPercentiles, reportPercentiles, selectedPercents } from './duration-percentiles.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import {
  compileEntitySummary,
  fetchEntitySummary,
  type EntitySummary,
  type PositionedRow,
  type SortKey,
  type SummaryPage,
} from './entity-summary.js';
import {
  INTERFACE_METRICS,
  PERCENTILES,
  PERCENTILE_COLUMNS,
  metricFields,
  type DurationPercentiles,
  type Measure,
  type MeasureRow,
} from './metrics.js';
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
    // Read from the rollups' histograms apart from the SQL columns (fetchReportsSummary).
    ...PERCENTILE_COLUMNS,
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
  'P50_DURATION_MS',
  'P95_DURATION_MS',
  'P99_DURATION_MS',
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

/** The order fields on a percentile, and its percent. */
const PERCENTILE_ORDERS: Partial<Record<ReportsSummaryOrderField, Percent>> = {
  P50_DURATION_MS: 50,
  P95_DURATION_MS: 95,
  P99_DURATION_MS: 99,
};

/** A percentile order reads the value joined from the percentiles computed for every report. */
const PERCENTILE_SORT: SortKey = {
  measures: [],
  expression: (a) => c(a, 'sort_percentile'),
  kind: 'number',
};

/**
 * Every report's percentile as a table to join (`pct`: report_id, p): the values are
 * computed by the gateway from the histograms, then sorted and paged by the server
 * like any measure. One JSON parameter, whatever the number of reports.
 */
function percentileTable(all: Map<string, DurationPercentiles>, percent: Percent): SQLQuery {
  const rows = JSON.stringify([...all].map(([id, values]) => [id, values[percent] ?? null]));
  return sql`LEFT JOIN JSON_TABLE(${rows}, '$[*]' COLUMNS (
      report_id BIGINT UNSIGNED PATH '$[0]', p DECIMAL(20, 3) PATH '$[1]')) pct ON pct.report_id = r.id`;
}

const SORTS: Record<ReportsSummaryOrderField, SortKey> = {
  EXECUTIONS: byMeasure('executions'),
  SUCCESSES: byMeasure('successes'),
  FAILURES: byMeasure('failures'),
  SUCCESS_RATE: SUCCESS_RATE_SORT,
  AVG_DURATION_MS: AVG_DURATION_SORT,
  MAX_DURATION_MS: byMeasure('max_duration_ms'),
  TOTAL_OUTPUT_BYTES: byMeasure('total_output_bytes'),
  LAST_EXECUTED_AT: byMeasure('last_executed_at', 'datetime'),
  P50_DURATION_MS: PERCENTILE_SORT,
  P95_DURATION_MS: PERCENTILE_SORT,
  P99_DURATION_MS: PERCENTILE_SORT,
  NAME: { measures: [], expression: (a) => c(a, 'sort_name'), kind: 'text' },
  ID: { measures: [], expression: (a) => c(a, 'report_id'), kind: 'number' },
};

/** What a cursor's sort value is under an order field. */
export const reportsSortKind = (field: ReportsSummaryOrderField) => SORTS[field].kind;

/**
 * Compiles one page of the summary for a selection of ReportSummary fields; under a
 * percentile order, `percentiles` holds every report's (none: an empty order, for explain).
 */
export function compileReportsSummary(
  args: ReportsSummaryArgs,
  node: Selection,
  percentiles = new Map<string, DurationPercentiles>(),
) {
  const plan = planProjection(REPORT_SUMMARY_ROW, node);
  const percent = PERCENTILE_ORDERS[args.orderBy.field];
  const summary: EntitySummary = {
    from: sql`reports r`,
    key: sql`r.id`,
    keyName: 'report_id',
    executionsFk: 'report_id',
    window: args.window,
    plan,
    columns:
      args.orderBy.field === 'NAME'
        ? [sql`r.name AS sort_name`]
        : percent
          ? [sql`pct.p AS sort_percentile`]
          : [],
    joins: percent ? [percentileTable(percentiles, percent)] : [],
    conditions: reportConditions('r', args.filter),
    sort: SORTS[args.orderBy.field],
    direction: args.orderBy.direction,
    page: args.page,
  };
  return compileEntitySummary(summary);
}

/**
 * Fetches one page of the summary, each row with its position. With percentiles
 * asked or ordered by, the page and the percentiles are read in one snapshot (as of
 * the list's first page on a later one), so they count the same executions.
 */
export async function fetchReportsSummary(
  db: Database,
  args: ReportsSummaryArgs,
  node: Selection,
): Promise<PositionedRow<ReportSummaryRow>[]> {
  const order = PERCENTILE_ORDERS[args.orderBy.field];
  const percents = selectedPercents(node, order ? [order] : []);
  if (percents.length === 0) {
    return fetchEntitySummary(db, compileReportsSummary(args, node), 'report_id', args.page);
  }
  const { window, page } = args;
  return readInSnapshot(db, async (connection) => {
    const all = order
      ? await reportPercentiles(db, connection, window, page.asOf, percents, args.filter)
      : undefined;
    const rows = await fetchEntitySummary<ReportSummaryRow>(
      db,
      compileReportsSummary(args, node, all),
      'report_id',
      page,
      connection,
    );
    // A row's key is its position's: the row holds report_id only when selected.
    const keys = rows.map((r) => r.position.key);
    const found =
      all ?? (await reportPercentiles(db, connection, window, page.asOf, percents, keys));
    for (const { row, position } of rows) {
      row[PERCENTILES] = found.get(position.key) ?? noPercentiles(percents);
    }
    return rows;
  });
}

/** Counts the reports the filter matches (the connection's totalCount). */
export async function countReports(db: Database, filter: ReportFilterInput | null | undefined) {
  return countWhere(db, sql`reports r`, reportConditions('r', filter));
}
