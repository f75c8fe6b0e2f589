/** `executionMetrics`: executions per UTC time bucket [365 days]. */
import {
  EXECUTION_METRICS_DEFAULT_WINDOW,
  fetchExecutionMetrics,
  type MetricsBucketRow,
} from '../views/execution-metrics.js';
import { metric } from '../views/metrics.js';
import { selectionOf } from '../views/selection.js';
import { resolveWindow } from '../views/time-window.js';
import { cachedView } from '../cache/cached-view.js';
import { builder } from './builder.js';
import { Provider, ReportCategory } from './enums.js';
import { ExecutionMetrics } from './metrics-interface.js';
import { ReportFilter, TimeWindow } from './inputs.js';

const Granularity = builder.enumType('Granularity', {
  description: 'UTC buckets: the hour, the day, the ISO week (from Monday) or the month.',
  values: ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const,
});

const MetricDimension = builder.enumType('MetricDimension', {
  values: ['PROVIDER', 'CATEGORY'] as const,
});

const ExecutionMetricsBucket = builder
  .objectRef<MetricsBucketRow>('ExecutionMetricsBucket')
  .implement({
    description: 'Executions started in one time bucket (and dimension value, with groupBy).',
    interfaces: [ExecutionMetrics],
    fields: (t) => ({
      bucketStart: t.field({ type: 'DateTime', resolve: (row) => row.bucket_start }),
      provider: t.field({
        type: Provider,
        nullable: true,
        description: 'Set when grouped by PROVIDER.',
        resolve: (row) => row.provider ?? null,
      }),
      category: t.field({
        type: ReportCategory,
        nullable: true,
        description: 'Set when grouped by CATEGORY.',
        resolve: (row) => row.category ?? null,
      }),
      distinctReports: t.int({ resolve: (row) => metric.count(row, 'distinct_reports') }),
      distinctUsers: t.int({
        description: 'Distinct executedBy users (executions without a user not counted).',
        resolve: (row) => metric.count(row, 'distinct_users'),
      }),
    }),
  });

builder.queryField('executionMetrics', (t) =>
  t.field({
    type: [ExecutionMetricsBucket],
    description:
      'Executions per time bucket in the window (default the last 365 days), oldest first. ' +
      'Buckets without executions are left out unless fillGaps (with groupBy, gaps are filled ' +
      'for each dimension value that occurs in the window). At most 10 000 buckets.',
    args: {
      window: t.arg({ type: TimeWindow }),
      granularity: t.arg({ type: Granularity, required: true, defaultValue: 'DAY' }),
      groupBy: t.arg({ type: [MetricDimension] }),
      filter: t.arg({ type: ReportFilter }),
      fillGaps: t.arg.boolean({ required: true, defaultValue: false }),
    },
    resolve: (_root, args, context, info) => {
      const window = resolveWindow(args.window, EXECUTION_METRICS_DEFAULT_WINDOW, context.now);
      return cachedView(context, info, args, ['report_executions', 'reports'], () =>
        fetchExecutionMetrics(
          context.db,
          {
            window,
            granularity: args.granularity,
            groupBy: args.groupBy ?? [],
            filter: args.filter,
            fillGaps: args.fillGaps,
          },
          selectionOf(info),
        ),
      );
    },
  }),
);
