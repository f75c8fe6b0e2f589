/**
 * How many rows each root field of Query can return, from its argument values alone
 * (before any SQL): the result budget (MAX_RESULT_ROWS) adds these up over a request,
 * and the cost rule weighs each root field's selection by them. A field not listed
 * here returns one object or a short list fixed by the schema (the catalog, health).
 */
import type { GatewayContext } from '../server/context.js';
import type { Granularity } from '../views/buckets.js';
import {
  EXECUTION_METRICS_DEFAULT_WINDOW,
  windowBuckets,
  type MetricDimension,
} from '../views/execution-metrics.js';
import { trendSlotCount, type TrendPattern } from '../views/execution-trends.js';
import type { ReportFilterInput } from '../views/filters.js';
import { pageRequest, pageSize } from '../views/pagination.js';
import { CATEGORIES, PROVIDERS } from '../views/rows.js';
import { resolveWindow, type TimeWindowInput } from '../views/time-window.js';

export interface RowBound {
  rows: number;
  /** The argument that sets the number of rows, named when the budget is exceeded. */
  argument?: string;
  /** How the rows were counted, and what makes them fewer. */
  detail: string;
}

type Arguments = Record<string, unknown>;
type BoundContext = Pick<GatewayContext, 'config' | 'now'>;
type Bound = (args: Arguments, context: BoundContext) => RowBound;

/** A connection: one page of `first` (or `last`) rows (default 50, capped). */
const page: Bound = (args, context) => {
  const { size: rows, backward } = pageRequest(args, context.config.maxPageSize);
  return {
    rows,
    argument: backward ? 'last' : 'first',
    detail: `a page of ${rows} rows; ask for smaller pages`,
  };
};

/** Each groupBy dimension multiplies the buckets by its values (those the filter keeps). */
const DIMENSIONS: Record<
  MetricDimension,
  { values: readonly string[]; filter: keyof ReportFilterInput }
> = {
  PROVIDER: { values: PROVIDERS, filter: 'providers' },
  CATEGORY: { values: CATEGORIES, filter: 'categories' },
};

/** executionMetrics: time buckets × dimension values (the count fillGaps fills up to). */
const executionMetrics: Bound = (args, context) => {
  const granularity = args.granularity as Granularity;
  const window = resolveWindow(
    args.window as TimeWindowInput | null | undefined,
    EXECUTION_METRICS_DEFAULT_WINDOW,
    context.now,
  );
  const buckets = windowBuckets({ window, granularity }).length;
  const filter = args.filter as ReportFilterInput | null | undefined;
  let values = 1;
  for (const dimension of new Set((args.groupBy as MetricDimension[] | null) ?? [])) {
    const { values: all, filter: key } = DIMENSIONS[dimension];
    const kept = filter?.[key] as readonly string[] | null | undefined;
    values *= kept ? new Set(kept).size : all.length;
  }
  return {
    rows: buckets * values,
    argument: 'granularity',
    detail:
      `${buckets} ${granularity} buckets × ${values} groupBy value${values === 1 ? '' : 's'} = ${buckets * values} rows; ` +
      'use a coarser granularity, a shorter window or fewer groupBy dimensions',
  };
};

/** The row bound of each root field that can return more than a handful of rows. */
export const ROW_BOUNDS: Readonly<Record<string, Bound>> = {
  reportsSummary: page,
  userActivity: page,
  recentExecutions: page,
  executionMetrics,
  performanceAlerts: (args, context) => {
    // The alert list is one LIMITed query: `first` (default and cap: the page-size cap).
    const cap = context.config.maxPageSize;
    const rows = pageSize((args.first as number | null | undefined) ?? cap, cap);
    return { rows, argument: 'first', detail: `up to ${rows} alerts; ask for fewer` };
  },
  executionTrends: (args) => {
    const rows = trendSlotCount(args.pattern as TrendPattern);
    return { rows, argument: 'pattern', detail: `${rows} slots` };
  },
  nodes: (args) => {
    const rows = (args.nodeIds as readonly unknown[]).length;
    return { rows, argument: 'nodeIds', detail: `${rows} ids; ask for fewer` };
  },
  providerPerformance: () => ({ rows: PROVIDERS.length, detail: 'one row per provider' }),
  categoryPerformance: () => ({ rows: CATEGORIES.length, detail: 'one row per category' }),
};

/** The bound of one root field; one row for fields without a declared bound. */
export function rowBound(field: string, args: Arguments, context: BoundContext): RowBound {
  const bound = Object.hasOwn(ROW_BOUNDS, field) ? ROW_BOUNDS[field] : undefined;
  return bound ? bound(args, context) : { rows: 1, detail: 'one object' };
}
