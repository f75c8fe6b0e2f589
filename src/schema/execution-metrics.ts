/** `executionMetrics`: executions per UTC time bucket [365 days]. */
import {
  EXECUTION_METRICS_DEFAULT_WINDOW,
  fetchExecutionMetrics,
  type MetricDimension,
  type MetricsBucketRow,
} from '../views/execution-metrics.js';
import type { Granularity } from '../views/buckets.js';
import type { ReportFilterInput } from '../views/filters.js';
import { metric } from '../views/metrics.js';
import { selectionOf } from '../views/selection.js';
import { windowedView } from './windowed-view.js';
import { builder } from './builder.js';
import { Provider, ReportCategory } from './enums.js';
import { ExecutionMetrics } from './metrics-interface.js';
import { ReportFilter, TimeWindow } from './inputs.js';
import { Node } from './node.js';
import { aggregateIdentity, identify } from './aggregate-identity.js';
import type { Selection } from '../views/selection.js';
import type { Window } from '../views/time-window.js';
import type { GatewayContext } from '../server/context.js';

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
    interfaces: [ExecutionMetrics, Node],
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

interface MetricsArguments {
  granularity: Granularity;
  groupBy?: readonly MetricDimension[] | null;
  filter?: ReportFilterInput | null;
  fillGaps: boolean;
}

/** The buckets of the view under its arguments (the window resolved). */
function metricsBuckets(
  context: GatewayContext,
  args: MetricsArguments,
  window: Window,
  selection: Selection,
) {
  const { granularity, groupBy, filter, fillGaps } = args;
  return fetchExecutionMetrics(
    context.db,
    { window, granularity, groupBy: groupBy ?? [], filter, fillGaps },
    selection,
  );
}

// A bucket is its start and dimension values under the view's arguments; fillGaps is
// among them because it decides which buckets exist. node() runs the view again whole.
aggregateIdentity<MetricsBucketRow>('ExecutionMetricsBucket', {
  view: 'executionMetrics',
  defaultWindow: EXECUTION_METRICS_DEFAULT_WINDOW,
  shaping: ['granularity', 'groupBy', 'filter', 'fillGaps'],
  key: (row) => [
    new Date(row.bucket_start).toISOString(),
    row.provider ?? null,
    row.category ?? null,
  ],
  validKey: (key) =>
    Array.isArray(key) &&
    key.length === 3 &&
    typeof key[0] === 'string' &&
    key.slice(1).every((value) => value === null || typeof value === 'string'),
  refetch: (context, args, _keys, selection) =>
    metricsBuckets(context, args as unknown as MetricsArguments, args.window, selection),
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
    resolve: async (_root, args, context, info) => {
      const { value: buckets, window } = await windowedView(
        context,
        info,
        args,
        EXECUTION_METRICS_DEFAULT_WINDOW,
        ['report_executions', 'reports'],
        (at) => metricsBuckets(context, args, at, selectionOf(info)),
      );
      identify(context, 'ExecutionMetricsBucket', args, window, buckets);
      return buckets;
    },
  }),
);
