/** `reportsSummary`: per-report execution statistics over a window [90 days]. */
import { resolveWindow } from '../views/time-window.js';
import { decodeCursor, encodeCursor, pageSize, toPage } from '../views/pagination.js';
import {
  REPORTS_SUMMARY_DEFAULT_WINDOW,
  countReports,
  fetchReportsSummary,
  type ReportSummaryRow,
} from '../views/reports-summary.js';
import { builder } from './builder.js';
import { connectionType } from './connection.js';
import { Report } from './entities.js';
import { SortDirection } from './enums.js';
import { ReportFilter, TimeWindow } from './inputs.js';

const VIEW = 'reportsSummary';

const ReportSummary = builder.objectRef<ReportSummaryRow>('ReportSummary').implement({
  description: 'Execution statistics of one report inside the window.',
  fields: (t) => ({
    report: t.field({ type: Report, resolve: (row) => row.report }),
    executions: t.exposeInt('executions'),
    successes: t.exposeInt('successes'),
    failures: t.exposeInt('failures'),
    cancelled: t.exposeInt('cancelled'),
    successRate: t.exposeFloat('successRate', {
      nullable: true,
      description:
        'successes ÷ completed (success + failed + cancelled); null when none completed.',
    }),
    avgDurationMs: t.exposeFloat('avgDurationMs', {
      nullable: true,
      description: 'Mean of the non-null durations.',
    }),
    maxDurationMs: t.exposeInt('maxDurationMs', { nullable: true }),
    totalOutputBytes: t.field({ type: 'BigInt', resolve: (row) => row.totalOutputBytes }),
    lastExecutedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The newest startedAt inside the window.',
      resolve: (row) => row.lastExecutedAt,
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

function parseOffsetCursor(after: string | null | undefined): number {
  if (!after) return 0;
  return decodeCursor(VIEW, after, ({ o }) =>
    typeof o === 'number' && Number.isSafeInteger(o) && o >= 0 ? o : undefined,
  );
}

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
    resolve: async (_root, args, context) => {
      const window = resolveWindow(args.window, REPORTS_SUMMARY_DEFAULT_WINDOW, context.now);
      const size = pageSize(args.first, context.config.maxPageSize);
      const offset = parseOffsetCursor(args.after);
      const rows = await fetchReportsSummary(context.db, {
        window,
        filter: args.filter,
        orderBy: args.orderBy ?? { field: 'EXECUTIONS', direction: 'DESC' },
        offset,
        limit: size + 1,
      });
      const page = toPage(rows, size);
      for (const row of page.nodes) context.loaders.report.prime(row.report.id, row.report);
      return {
        edges: page.nodes.map((node, index) => ({
          node,
          cursor: encodeCursor(VIEW, { o: offset + index + 1 }),
        })),
        hasNextPage: page.hasNextPage,
        totalCount: () => countReports(context.db, args.filter),
      };
    },
  }),
);
