/** `reportsSummary`: per-report execution statistics over a window [90 days]. */
import { listClock } from '../views/pagination.js';
import { resolveWindow } from '../views/time-window.js';
import {
  REPORTS_SUMMARY_DEFAULT_WINDOW,
  REPORTS_SUMMARY_ORDER_FIELDS,
  REPORT_SUMMARY_ROW,
  countReports,
  fetchReportsSummary,
  reportsSortKind,
  type ReportSummaryRow,
} from '../views/reports-summary.js';
import type { ReportFilterInput } from '../views/filters.js';
import { metric } from '../views/metrics.js';
import { at, selectionOf } from '../views/selection.js';
import { cachedView } from '../cache/cached-view.js';
import { tablesRead } from '../views/projection.js';
import { builder } from './builder.js';
import { ExecutionMetrics } from './metrics-interface.js';
import { connectionType, orderInput, summaryConnection, summaryCursors } from './connection.js';
import { Report } from './entities.js';
import { ReportFilter, TimeWindow } from './inputs.js';
import { Node } from './node.js';
import { aggregateIdentity, identify, isIdKey, restrictedIds } from './aggregate-identity.js';

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

aggregateIdentity<ReportSummaryRow>('ReportSummary', {
  view: VIEW,
  defaultWindow: REPORTS_SUMMARY_DEFAULT_WINDOW,
  shaping: ['filter'],
  key: (row) => String(row.report_id),
  validKey: isIdKey,
  refetch: (context, args, keys, selection) => {
    const filter = args.filter as ReportFilterInput | null | undefined;
    const reportIds = restrictedIds(filter?.reportIds, keys);
    return fetchReportsSummary(
      context.db,
      {
        window: args.window,
        filter: { ...filter, reportIds },
        orderBy: { field: 'ID', direction: 'ASC' },
        page: { backward: false, limit: reportIds.length },
      },
      selection,
    ).then((rows) => rows.map((found) => found.row));
  },
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
    resolve: async (_root, args, context, info) => {
      const orderBy = args.orderBy ?? { field: 'EXECUTIONS', direction: 'DESC' };
      const selection = selectionOf(info);
      const tables = tablesRead(
        ['reports', 'report_executions'],
        REPORT_SUMMARY_ROW,
        at(selection, 'edges', 'node'),
      );
      // A later page covers the window its list's first page covered.
      const cursors = summaryCursors(VIEW, args, reportsSortKind(orderBy.field));
      const windowAt = (clock: Date) =>
        resolveWindow(args.window, REPORTS_SUMMARY_DEFAULT_WINDOW, clock);
      windowAt(cursors.clock ?? context.now);
      const { value: connection, clock } = await cachedView(
        context,
        info,
        args,
        tables,
        (now) =>
          summaryConnection(
            VIEW,
            args,
            context.config.maxPageSize,
            cursors,
            listClock(args.window, now),
            (page) =>
              fetchReportsSummary(
                context.db,
                { window: windowAt(now), filter: args.filter, orderBy, page },
                at(selection, 'edges', 'node'),
              ),
            () => countReports(context.db, args.filter),
            selection.has('totalCount'),
          ),
        cursors.clock ?? undefined,
      );
      const rows = connection.edges.map((edge) => edge.node);
      identify(context, 'ReportSummary', args, windowAt(clock), rows);
      return connection;
    },
  }),
);
