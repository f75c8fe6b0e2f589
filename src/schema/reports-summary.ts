/** `reportsSummary`: per-report execution statistics over a window [90 days]. */
import { resolveWindow } from '../views/time-window.js';
import { offsetCursor, pageSize, parseOffsetCursor, toPage } from '../views/pagination.js';
import {
  REPORTS_SUMMARY_DEFAULT_WINDOW,
  countReports,
  fetchReportsSummary,
  type ReportSummaryRow,
} from '../views/reports-summary.js';
import { metric } from '../views/metrics.js';
import { at, selectionOf } from '../views/selection.js';
import { builder } from './builder.js';
import { ExecutionMetrics } from './metrics-interface.js';
import { connectionType } from './connection.js';
import { Report } from './entities.js';
import { SortDirection } from './enums.js';
import { ReportFilter, TimeWindow } from './inputs.js';

const VIEW = 'reportsSummary';

const ReportSummary = builder.objectRef<ReportSummaryRow>('ReportSummary').implement({
  description: 'Execution measures of one report inside the window.',
  interfaces: [ExecutionMetrics],
  fields: (t) => ({
    report: t.field({
      type: Report,
      resolve: (row, _args, context) => row.report ?? context.loaders.report.load(row.report_id),
    }),
    cancelled: t.int({ resolve: (row) => metric.count(row, 'cancelled') }),
    maxDurationMs: t.int({ nullable: true, resolve: (row) => metric.maxDurationMs(row) }),
    lastExecutedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The newest startedAt inside the window.',
      resolve: (row) => metric.lastExecutedAt(row),
    }),
  }),
});

const ReportsSummaryOrderField = builder.enumType('ReportsSummaryOrderField', {
  values: [
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
  ] as const,
});

const ReportsSummaryOrder = builder.inputType('ReportsSummaryOrder', {
  description: 'Sort order; nulls sort last either way and ties break on report id ascending.',
  fields: (t) => ({
    field: t.field({ type: ReportsSummaryOrderField, required: true }),
    direction: t.field({ type: SortDirection, required: true, defaultValue: 'DESC' }),
  }),
});

const ReportSummaryConnection = connectionType('ReportSummary', ReportSummary);

builder.queryField('reportsSummary', (t) =>
  t.field({
    type: ReportSummaryConnection,
    description:
      'Every report matching the filter with its executions in the window (default the last 90 days), ' +
      'zeros included; ordered by executions DESC, then id ASC unless orderBy says otherwise.',
    args: {
      window: t.arg({ type: TimeWindow }),
      filter: t.arg({ type: ReportFilter }),
      orderBy: t.arg({ type: ReportsSummaryOrder }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: async (_root, args, context, info) => {
      const window = resolveWindow(args.window, REPORTS_SUMMARY_DEFAULT_WINDOW, context.now);
      const size = pageSize(args.first, context.config.maxPageSize);
      const offset = parseOffsetCursor(VIEW, args.after);
      const rows = await fetchReportsSummary(
        context.db,
        {
          window,
          filter: args.filter,
          orderBy: args.orderBy ?? { field: 'EXECUTIONS', direction: 'DESC' },
          offset,
          limit: size + 1,
        },
        at(selectionOf(info), 'edges', 'node'),
      );
      const page = toPage(rows, size);
      return {
        edges: page.nodes.map((node, index) => ({
          node,
          cursor: offsetCursor(VIEW, offset + index + 1),
        })),
        hasNextPage: page.hasNextPage,
        totalCount: () => countReports(context.db, args.filter),
      };
    },
  }),
);
