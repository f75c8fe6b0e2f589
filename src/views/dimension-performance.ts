/**
 * providerPerformance / categoryPerformance: one row per provider (or category)
 * having at least one report that matches the filter, with report counts and the
 * execution measures of those reports inside the window.
 */
import { sql } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readRows } from '../db/read.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import { aggregateExecutions } from './daily-parts.js';
import { readWithPercentiles } from './duration-percentiles.js';
import { hourlyParts } from './hourly-parts.js';
import {
  INTERFACE_METRICS,
  PERCENTILE_COLUMNS,
  isMeasure,
  metricFields,
  reaggregateColumns,
  type MeasureRow,
} from './metrics.js';
import type { RowModel } from './model.js';
import { planProjection } from './projection.js';
import type { Category, ProviderName } from './rows.js';
import type { Selection } from './selection.js';
import { chooseSource } from './source-chooser.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

export const DIMENSION_PERFORMANCE_DEFAULT_WINDOW = 'P90D';

export type Dimension = 'provider' | 'category';

export type DimensionPerformanceRow = MeasureRow & {
  provider?: ProviderName;
  category?: Category;
  reports?: number | string;
  active_reports?: number | string;
};

/** The row model of both views: the dimension, report counts and the shared metrics. */
export function dimensionRowModel(dimension: Dimension): RowModel {
  return {
    fields: {
      ...metricFields(...INTERFACE_METRICS, 'bytesPerSecond'),
      ...PERCENTILE_COLUMNS,
      [dimension]: [dimension],
      reports: ['reports'],
      activeReports: ['active_reports'],
      nodeId: [dimension],
    },
    relations: {},
  };
}

export interface DimensionPerformanceArgs {
  window: Window;
  filter?: ReportFilterInput | null;
}

/**
 * Compiles the query for one dimension and a selection of row fields. The measures
 * come from the source the chooser picks: the hourly rollup, or per report from the
 * daily rollups or raw rows; report counts always come from reports.
 */
export function compileDimensionPerformance(
  dimension: Dimension,
  args: DimensionPerformanceArgs,
  selection: Selection,
) {
  const plan = planProjection(dimensionRowModel(dimension), selection);
  const measures = [...plan.rootColumns].filter(isMeasure);
  const key = sql.ident('r', dimension);
  const name = sql.ident(dimension);
  // Without measures only reports are read.
  const { source } =
    measures.length > 0
      ? chooseSource({
          measures,
          window: args.window,
          filter: args.filter,
          dimensions: [dimension],
        })
      : { source: 'raw' as const };
  if (source === 'hourly') {
    const query = sql`
      SELECT c.*, ${sql.join(
        measures.map((m) => sql`COALESCE(${sql.ident('m', m)}, 0) AS ${sql.ident(m)}`),
        ', ',
      )}
      FROM (
        SELECT ${key} AS ${name}, COUNT(*) AS reports, SUM(r.is_active) AS active_reports
        FROM reports r WHERE ${allOf(reportConditions('r', args.filter))} GROUP BY ${key}
      ) c LEFT JOIN (
        SELECT ${sql.ident('p', dimension)} AS ${name}, ${sql.join(reaggregateColumns(measures, 'p'), ', ')}
        FROM (${hourlyParts(measures, args.window, args.filter, { dimensions: [dimension] })}) p
        GROUP BY ${sql.ident('p', dimension)}
      ) m ON m.${name} = c.${name}
      ORDER BY c.${name}`;
    return { plan, query };
  }
  const aggregate =
    measures.length === 0
      ? sql``
      : sql`LEFT JOIN (${aggregateExecutions('report_id', measures, args.window, source)}) a ON a.report_id = r.id`;
  const measureItems =
    measures.length === 0 ? sql`` : sql`, ${sql.join(reaggregateColumns(measures, 'a'), ', ')}`;
  const query = sql`
    SELECT ${key} AS ${name}, COUNT(*) AS reports, SUM(r.is_active) AS active_reports
      ${measureItems}
    FROM reports r ${aggregate}
    WHERE ${allOf(reportConditions('r', args.filter))}
    GROUP BY ${key}
    ORDER BY ${key}`;
  return { plan, query };
}

/** Runs the view for one dimension; percentiles, when asked, per value from the same moment. */
export async function fetchDimensionPerformance(
  db: Database,
  dimension: Dimension,
  args: DimensionPerformanceArgs,
  selection: Selection,
): Promise<DimensionPerformanceRow[]> {
  const { query } = compileDimensionPerformance(dimension, args, selection);
  const dimensions = [dimension];
  const { source } = chooseSource({
    measures: [],
    window: args.window,
    filter: args.filter,
    dimensions,
  });
  return readWithPercentiles(
    db,
    selection,
    { source, window: args.window, filter: args.filter, grouping: { dimensions } },
    (connection) => readRows<DimensionPerformanceRow>(db, query, connection),
  );
}
