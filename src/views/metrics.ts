/**
 * The execution measures every aggregate view shares, declared once: the SQL
 * aggregate of each measure column (over executions aliased `e`), the columns each
 * GraphQL metric field reads, and the contract's formulas for derived metrics.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Percent } from '../rollups/duration-histogram.js';

export const MEASURES = {
  executions: sql`COUNT(e.id)`,
  successes: sql`SUM(e.status = 'success')`,
  failures: sql`SUM(e.status = 'failed')`,
  cancelled: sql`SUM(e.status = 'cancelled')`,
  duration_sum: sql`COALESCE(SUM(e.duration_ms), 0)`,
  duration_count: sql`COUNT(e.duration_ms)`,
  max_duration_ms: sql`MAX(e.duration_ms)`,
  total_output_bytes: sql`COALESCE(SUM(e.output_size_bytes), 0)`,
  last_executed_at: sql`MAX(e.started_at)`,
  distinct_reports: sql`COUNT(DISTINCT e.report_id)`,
  distinct_users: sql`COUNT(DISTINCT e.executed_by)`,
} satisfies Record<string, SQLQuery>;

export type Measure = keyof typeof MEASURES;

/** True for a column name that is one of the shared measures. */
export function isMeasure(column: string): column is Measure {
  return column in MEASURES;
}

/** Measures that read 0, not NULL, when a group has no executions (outer joins). */
export const ZERO_WHEN_EMPTY: ReadonlySet<Measure> = new Set([
  'executions',
  'successes',
  'failures',
  'cancelled',
  'duration_count',
  'total_output_bytes',
  'distinct_reports',
  'distinct_users',
]);

/** GraphQL metric field → the measure columns it reads. */
export const METRIC_FIELDS = {
  executions: ['executions'],
  successes: ['successes'],
  failures: ['failures'],
  cancelled: ['cancelled'],
  successRate: ['successes', 'failures', 'cancelled'],
  failureRate: ['successes', 'failures', 'cancelled'],
  avgDurationMs: ['duration_sum', 'duration_count'],
  maxDurationMs: ['max_duration_ms'],
  totalOutputBytes: ['total_output_bytes'],
  lastExecutedAt: ['last_executed_at'],
  distinctReports: ['distinct_reports'],
  distinctUsers: ['distinct_users'],
  bytesPerSecond: ['total_output_bytes', 'duration_sum', 'duration_count'],
} satisfies Record<string, readonly Measure[]>;

/** The metric fields of the ExecutionMetrics interface, which every aggregate row offers. */
export const INTERFACE_METRICS = [
  'executions',
  'successes',
  'failures',
  'successRate',
  'failureRate',
  'avgDurationMs',
  'totalOutputBytes',
] as const;

/** The entries of METRIC_FIELDS a row type offers. */
export function metricFields<const F extends keyof typeof METRIC_FIELDS>(...fields: F[]) {
  return Object.fromEntries(fields.map((f) => [f, METRIC_FIELDS[f]])) as Pick<
    typeof METRIC_FIELDS,
    F
  >;
}

/** The percentile fields of ExecutionMetrics and the percent each reads. */
export const PERCENTILE_FIELDS = {
  p50DurationMs: 50,
  p95DurationMs: 95,
  p99DurationMs: 99,
} as const satisfies Record<string, Percent>;

export type PercentileField = keyof typeof PERCENTILE_FIELDS;

/** A row's percentiles, as the views attach them (absent: not asked). */
export type DurationPercentiles = Partial<Record<Percent, number | null>>;

/** The row property the views attach percentiles under. */
export const PERCENTILES = 'duration_percentiles';

/**
 * A row carrying measure columns as the driver returns them (numbers, decimal
 * strings, dates), and the duration percentiles its view attached when asked.
 */
export type MeasureRow = Partial<Record<Measure, string | number | Date | null>> & {
  [PERCENTILES]?: DurationPercentiles;
};

/** The percentile fields read no SQL column: the views attach them to the rows. */
export const PERCENTILE_COLUMNS = Object.fromEntries(
  Object.keys(PERCENTILE_FIELDS).map((field): [string, readonly string[]] => [field, []]),
) as Record<PercentileField, readonly string[]>;

function count(row: MeasureRow, measure: Measure): number {
  return Number(row[measure] ?? 0);
}

/** The contract's formulas, computed from measure columns. */
export const metric = {
  count,
  completed: (row: MeasureRow) =>
    count(row, 'successes') + count(row, 'failures') + count(row, 'cancelled'),
  /** success ÷ completed; null when nothing completed. */
  successRate(row: MeasureRow) {
    const completed = metric.completed(row);
    return completed === 0 ? null : count(row, 'successes') / completed;
  },
  /** failed ÷ completed; null when nothing completed. */
  failureRate(row: MeasureRow) {
    const completed = metric.completed(row);
    return completed === 0 ? null : count(row, 'failures') / completed;
  },
  /** Mean of the non-null durations. */
  avgDurationMs(row: MeasureRow) {
    const n = count(row, 'duration_count');
    return n === 0 ? null : count(row, 'duration_sum') / n;
  },
  maxDurationMs: (row: MeasureRow) =>
    row.max_duration_ms === null || row.max_duration_ms === undefined
      ? null
      : Number(row.max_duration_ms),
  /** Exact byte sum as a string of digits. */
  totalOutputBytes: (row: MeasureRow) =>
    row.total_output_bytes === null || row.total_output_bytes === undefined
      ? '0'
      : String(row.total_output_bytes),
  lastExecutedAt: (row: MeasureRow) => (row.last_executed_at as Date | null | undefined) ?? null,
  /** totalOutputBytes ÷ (sum of durations ÷ 1000); null without durations. */
  bytesPerSecond(row: MeasureRow) {
    const ms = count(row, 'duration_sum');
    return count(row, 'duration_count') === 0 || ms === 0
      ? null
      : Number(metric.totalOutputBytes(row)) / (ms / 1000);
  },
};

/** `aggregate AS measure` select items over executions `e`. */
export function measureSelects(measures: Iterable<Measure>): SQLQuery[] {
  return [...measures].map((m) => sql`${MEASURES[m]} AS ${sql.ident(m)}`);
}

/** Outer-join-safe reads of measure columns from the aggregated alias `a`. */
export function measureColumns(measures: Iterable<Measure>, alias: string): SQLQuery[] {
  return [...measures].map((m) =>
    ZERO_WHEN_EMPTY.has(m)
      ? sql`COALESCE(${sql.ident(alias, m)}, 0) AS ${sql.ident(m)}`
      : sql`${sql.ident(alias, m)} AS ${sql.ident(m)}`,
  );
}

// How per-report measures combine into a larger group (distinct counts do not).
const REAGGREGATE: Partial<Record<Measure, 'SUM' | 'MAX'>> = {
  executions: 'SUM',
  successes: 'SUM',
  failures: 'SUM',
  cancelled: 'SUM',
  duration_sum: 'SUM',
  duration_count: 'SUM',
  max_duration_ms: 'MAX',
  total_output_bytes: 'SUM',
  last_executed_at: 'MAX',
};

/**
 * The measures of group `key` as of execution id `asOf`: `current` (alias `n`, every
 * execution) less `newer` (alias `d`, the executions after asOf). Sums subtract; a
 * maximum stands unless a newer execution reached it, and is then read again from the
 * group's executions up to asOf (`recount`, rare: the newer rows rarely hold it).
 */
export function measuresAsOf(
  measures: Iterable<Measure>,
  recount: (measure: Measure) => SQLQuery,
): SQLQuery[] {
  return [...measures].map((m) => {
    const [now, newer] = [sql.ident('n', m), sql.ident('d', m)];
    if (REAGGREGATE[m] === 'SUM') {
      return sql`COALESCE(${now}, 0) - COALESCE(${newer}, 0) AS ${sql.ident(m)}`;
    }
    if (REAGGREGATE[m] === 'MAX') {
      return sql`CASE WHEN ${newer} IS NULL OR ${newer} < ${now} THEN ${now}
        ELSE (${recount(m)}) END AS ${sql.ident(m)}`;
    }
    throw new Error(`measure ${m} cannot be taken back to an earlier moment`);
  });
}

/** Combines per-report measures of alias `a` over a GROUP BY. */
export function reaggregateColumns(measures: Iterable<Measure>, alias: string): SQLQuery[] {
  return [...measures].map((m) => {
    const column = sql.ident(alias, m);
    if (REAGGREGATE[m] === 'MAX') return sql`MAX(${column}) AS ${sql.ident(m)}`;
    if (REAGGREGATE[m] === 'SUM') return sql`COALESCE(SUM(${column}), 0) AS ${sql.ident(m)}`;
    throw new Error(`measure ${m} cannot be combined across reports`);
  });
}
