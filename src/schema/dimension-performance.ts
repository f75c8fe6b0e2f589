/** `providerPerformance` and `categoryPerformance` [90 days]. */
import {
  DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
  fetchDimensionPerformance,
  type Dimension,
  type DimensionPerformanceRow,
} from '../views/dimension-performance.js';
import { metric } from '../views/metrics.js';
import { selectionOf } from '../views/selection.js';
import { resolveWindow } from '../views/time-window.js';
import { cachedView } from '../cache/cached-view.js';
import { builder } from './builder.js';
import { Provider, ReportCategory } from './enums.js';
import { ExecutionMetrics } from './metrics-interface.js';
import { ReportFilter, TimeWindow } from './inputs.js';

function performanceType(name: string, dimension: Dimension) {
  return builder.objectRef<DimensionPerformanceRow>(name).implement({
    description: `Reports and their executions inside the window, per ${dimension}.`,
    interfaces: [ExecutionMetrics],
    fields: (t) => ({
      ...(dimension === 'provider'
        ? { provider: t.field({ type: Provider, resolve: (row) => row.provider! }) }
        : { category: t.field({ type: ReportCategory, resolve: (row) => row.category! }) }),
      reports: t.int({
        description: 'Reports matching the filter.',
        resolve: (row) => Number(row.reports),
      }),
      activeReports: t.int({
        description: 'Active reports among them.',
        resolve: (row) => Number(row.active_reports),
      }),
      bytesPerSecond: t.float({
        nullable: true,
        description: 'totalOutputBytes ÷ (sum of durationMs ÷ 1000); null without durations.',
        resolve: (row) => metric.bytesPerSecond(row),
      }),
    }),
  });
}

function dimensionField(
  fieldName: string,
  dimension: Dimension,
  type: ReturnType<typeof performanceType>,
) {
  builder.queryField(fieldName, (t) =>
    t.field({
      type: [type],
      description: `One row per ${dimension} with at least one report matching the filter (default window: the last 90 days).`,
      args: { window: t.arg({ type: TimeWindow }), filter: t.arg({ type: ReportFilter }) },
      resolve: (_root, args, context, info) => {
        const window = resolveWindow(
          args.window,
          DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
          context.now,
        );
        return cachedView(context, info, args, ['reports', 'report_executions'], () =>
          fetchDimensionPerformance(
            context.db,
            dimension,
            { window, filter: args.filter },
            selectionOf(info),
          ),
        );
      },
    }),
  );
}

dimensionField(
  'providerPerformance',
  'provider',
  performanceType('ProviderPerformance', 'provider'),
);
dimensionField(
  'categoryPerformance',
  'category',
  performanceType('CategoryPerformance', 'category'),
);
