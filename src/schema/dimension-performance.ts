/** `providerPerformance` and `categoryPerformance` [90 days]. */
import {
  DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
  fetchDimensionPerformance,
  type Dimension,
  type DimensionPerformanceRow,
} from '../views/dimension-performance.js';
import { metric } from '../views/metrics.js';
import { selectionOf } from '../views/selection.js';
import { windowedView } from './windowed-view.js';
import { builder } from './builder.js';
import { Provider, ReportCategory } from './enums.js';
import { ExecutionMetrics } from './metrics-interface.js';
import { ReportFilter, TimeWindow } from './inputs.js';
import { Node } from './node.js';
import { aggregateIdentity, identify } from './aggregate-identity.js';
import type { ReportFilterInput } from '../views/filters.js';

function performanceType(name: string, dimension: Dimension) {
  return builder.objectRef<DimensionPerformanceRow>(name).implement({
    description: `Reports and their executions inside the window, per ${dimension}.`,
    interfaces: [ExecutionMetrics, Node],
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

function dimensionField(fieldName: string, dimension: Dimension, typeName: string) {
  const type = performanceType(typeName, dimension);
  aggregateIdentity<DimensionPerformanceRow>(typeName, {
    view: fieldName,
    defaultWindow: DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
    shaping: ['filter'],
    key: (row) => row[dimension]!,
    validKey: (key) => typeof key === 'string',
    refetch: (context, args, _keys, selection) =>
      fetchDimensionPerformance(
        context.db,
        dimension,
        { window: args.window, filter: args.filter as ReportFilterInput | null | undefined },
        selection,
      ),
  });
  builder.queryField(fieldName, (t) =>
    t.field({
      type: [type],
      description: `One row per ${dimension} with at least one report matching the filter (default window: the last 90 days).`,
      args: { window: t.arg({ type: TimeWindow }), filter: t.arg({ type: ReportFilter }) },
      resolve: async (_root, args, context, info) => {
        const { value: rows, window } = await windowedView(
          context,
          info,
          args,
          DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
          ['reports', 'report_executions'],
          (at) =>
            fetchDimensionPerformance(
              context.db,
              dimension,
              { window: at, filter: args.filter },
              selectionOf(info),
            ),
        );
        identify(context, typeName, args, window, rows);
        return rows;
      },
    }),
  );
}

dimensionField('providerPerformance', 'provider', 'ProviderPerformance');
dimensionField('categoryPerformance', 'category', 'CategoryPerformance');
