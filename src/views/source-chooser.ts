/**
 * The one place that decides which source answers a view's question: the hourly
 * dimension rollup, day_rollup, the daily (report and user, with monthly) rollups,
 * or the raw rows. A view states its measures, window, filter and grouping; the
 * first source in the order below that can answer exactly is chosen, and the
 * reason says why (for raw rows: why each rollup declined).
 */
import { rollupNamed } from '../rollups/rollup-tables.js';
import type { Granularity } from './buckets.js';
import { rollupDays, type RollupKey } from './daily-parts.js';
import { DAY_COLUMNS } from './day-parts.js';
import type { TrendPattern } from './execution-trends.js';
import { reportConditions, type ReportFilterInput } from './filters.js';
import { wholeHours } from './hourly-parts.js';
import type { Measure } from './metrics.js';
import type { Window } from './time-window.js';

/** What a view asks: which measures, over which window and filter, grouped how. */
export interface SourceQuestion {
  measures: Iterable<Measure>;
  window: Window;
  filter?: ReportFilterInput | null;
  /** The answer's time slots: buckets of a granularity, a trend pattern's slots, or none. */
  slot?: Granularity | TrendPattern;
  /** Grouping by the reports' provider and/or category. */
  dimensions?: readonly ('provider' | 'category')[];
  /** One row per report or per user over the whole window. */
  perKey?: RollupKey;
}

/**
 * - `hourly`: dimension_hourly_rollup (hourlyParts)
 * - `day`: day_rollup (dayParts)
 * - `daily`: report_daily_rollup / user_daily_rollup, with report_monthly_rollup
 *   (windowParts, keyDays, aggregateExecutions)
 * - `raw`: report_executions only
 */
export type Source = 'hourly' | 'day' | 'daily' | 'raw';

export interface SourceChoice {
  source: Source;
  /** A short sentence for explain: what serves, or why no rollup could. */
  reason: string;
}

interface Question {
  measures: Measure[];
  window: Window;
  filter: ReportFilterInput | null | undefined;
  slot: Granularity | TrendPattern | undefined;
  dimensions: readonly string[];
  perKey: RollupKey | undefined;
}

// The measures each rollup holds, from the rollups' declarations.
const DAILY_MEASURES: ReadonlySet<string> = new Set(rollupNamed('report_daily_rollup').columns);
const HOURLY_MEASURES: ReadonlySet<string> = new Set(
  rollupNamed('dimension_hourly_rollup').columns,
);
const DAY_MEASURES: ReadonlySet<string> = new Set(
  rollupNamed('day_rollup').columns.map(
    (column) => Object.entries(DAY_COLUMNS).find(([, c]) => c === column)?.[0] ?? column,
  ),
);

const DISTINCT: ReadonlySet<Measure> = new Set(['distinct_reports', 'distinct_users']);

/** Time buckets, as opposed to a trend pattern's slots (hour of day, weekday). */
const BUCKETS: ReadonlySet<string> = new Set<Granularity>(['HOUR', 'DAY', 'WEEK', 'MONTH']);
const isBucket = (slot: Question['slot']): slot is Granularity =>
  slot !== undefined && BUCKETS.has(slot);

/** Slots finer than a UTC day, which rollups by day cannot place. */
const SUB_DAY: ReadonlySet<string> = new Set(['HOUR', 'HOUR_OF_DAY']);

/** True when the filter narrows the reports in any way. */
const narrows = (filter: Question['filter']) => reportConditions('r', filter).length > 0;

/**
 * True when the filter picks particular reports (by id, owner or active flag),
 * which a rollup keyed by provider and category cannot tell apart.
 */
const picksReports = (filter: Question['filter']) =>
  Boolean(
    filter &&
    (filter.reportIds ||
      filter.ownerIds ||
      (filter.active !== undefined && filter.active !== null)),
  );

/** The first measure `holds` rejects, as a reason. */
function missing(measures: readonly Measure[], holds: (m: Measure) => boolean) {
  const measure = measures.find((m) => !holds(m));
  return measure === undefined ? undefined : `holds no ${measure}`;
}

function noWholeDays(window: Window) {
  if (window.rawOnly) return 'the window is read from raw rows only';
  return rollupDays(window) ? undefined : 'the window holds no whole UTC day';
}

/** A source that serves unless `declines` gives a reason. */
interface Candidate {
  source: Exclude<Source, 'raw'>;
  name: string;
  declines(q: Question): string | undefined;
}

const CANDIDATES: readonly Candidate[] = [
  {
    source: 'day',
    name: 'day_rollup',
    declines(q) {
      if (!isBucket(q.slot)) return 'it answers time buckets only';
      if (q.slot === 'HOUR') return 'hour buckets are finer than its days';
      if (q.perKey) return `it has no ${q.perKey}`;
      if (q.dimensions.length > 0) return 'it has no provider or category';
      if (narrows(q.filter)) return 'it covers all reports, and the filter narrows them';
      return (
        noWholeDays(q.window) ??
        missing(q.measures, (m) => DAY_MEASURES.has(m)) ??
        // Distinct counts of days do not add up to a week's or month's.
        (q.slot !== 'DAY' && q.measures.some((m) => DISTINCT.has(m))
          ? 'its distinct counts add up only per day'
          : undefined)
      );
    },
  },
  {
    source: 'hourly',
    name: 'dimension_hourly_rollup',
    declines(q) {
      if (q.perKey) return `it has no ${q.perKey}`;
      if (q.window.rawOnly) return 'the window is read from raw rows only';
      if (picksReports(q.filter)) return 'the filter picks particular reports';
      if (!wholeHours(q.window)) return 'the window holds no whole UTC hour';
      return missing(q.measures, (m) => HOURLY_MEASURES.has(m));
    },
  },
  {
    source: 'daily',
    name: 'daily rollups',
    declines(q) {
      if (q.slot !== undefined && SUB_DAY.has(q.slot)) return 'its slots are finer than a day';
      const whole = noWholeDays(q.window);
      if (whole) return whole;
      if (!isBucket(q.slot)) return missing(q.measures, (m) => DAILY_MEASURES.has(m));
      // Per bucket, distinct counts are counted over per-key day parts (keyDays).
      const summed = q.measures.filter((m) => !DISTINCT.has(m));
      const notHeld = missing(summed, (m) => DAILY_MEASURES.has(m));
      if (notHeld) return notHeld;
      // Distinct users come from the user rollup, which knows nothing of reports.
      const reportScoped = q.dimensions.length > 0 || narrows(q.filter);
      return q.measures.includes('distinct_users') && reportScoped
        ? 'its distinct users know nothing of reports, and the question is scoped to reports'
        : undefined;
    },
  },
];

const SERVES: Record<Exclude<Source, 'raw'>, string> = {
  day: 'day_rollup for the whole UTC days, raw rows at the edges',
  hourly: 'dimension_hourly_rollup for the whole UTC hours, raw rows at the edges',
  daily: 'the daily and monthly rollups for the whole UTC days, raw rows at the edges',
};

/** Which source answers the question, and why. */
export function chooseSource(question: SourceQuestion): SourceChoice {
  const q: Question = {
    measures: [...question.measures],
    window: question.window,
    filter: question.filter,
    slot: question.slot,
    dimensions: question.dimensions ?? [],
    perKey: question.perKey,
  };
  const declined: string[] = [];
  for (const candidate of CANDIDATES) {
    const reason = candidate.declines(q);
    if (reason === undefined) return { source: candidate.source, reason: SERVES[candidate.source] };
    declined.push(`${candidate.name}: ${reason}`);
  }
  return { source: 'raw', reason: `raw rows (${declined.join('; ')})` };
}
