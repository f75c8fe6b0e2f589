/** `reportsSummary`: per-report execution statistics over a window [90 days]. */
import {
  REPORTS_SUMMARY_DEFAULT_WINDOW,
  REPORTS_SUMMARY_ORDER_FIELDS,
  REPORT_SUMMARY_ROW,
  countReports,
  fetchReportsSummary,
  reportsSortKind,
  type ReportSummaryRow,
} from '../views/reports-summary.js';
import { metric } from '../views/metrics.js';
import { builder } from './builder.js';
import { ExecutionMetrics } from './metrics-interface.js';
import { connectionType, orderInput } from './connection.js';
import { entitySummaryView } from './entity-summary-view.js';
import { Report } from './entities.js';
import { ReportFilter, TimeWindow } from './inputs.js';
import { Node } from './node.js';

const VIEW = 'reportsSummary';

const ReportSummary = builder.objectRef<ReportSummaryRow>('ReportSummary').implement({
  description: 'Execution measures of one report inside the window.',
  interfaces: [ExecutionMetrics, Node],
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

const resolve = entitySummaryView({
  view: VIEW,
  type: 'ReportSummary',
  defaultWindow: REPORTS_SUMMARY_DEFAULT_WINDOW,
  tables: ['reports', 'report_executions'],
  rowModel: REPORT_SUMMARY_ROW,
  idsField: 'reportIds',
  key: (row: ReportSummaryRow) => String(row.report_id),
  sortKind: reportsSortKind,
  fetch: fetchReportsSummary,
  count: countReports,
});

const ReportsSummaryOrder = orderInput(
  'ReportsSummaryOrder',
  REPORTS_SUMMARY_ORDER_FIELDS,
  'report id',
);

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
      last: t.arg.int(),
      before: t.arg.string(),
    },
    resolve: (_root, args, context, info) => resolve(args, context, info),
  }),
);
