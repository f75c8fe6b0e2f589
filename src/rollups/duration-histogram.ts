/**
 * Duration histograms: the mergeable form of durations that lets percentiles be
 * read from rollups. A duration d (whole ms) falls in the bucket named by its
 * lower bound: d itself below 128, else d with all but its 7 highest bits cleared
 * (64 buckets per doubling, as HdrHistogram with 2 significant digits). A bucket
 * [lo, hi] is answered by 2·lo·hi / (lo + hi), which is within (hi − lo) / (hi + lo)
 * < 1/129 (0.78 %) of every duration in it; durations below 128 ms are exact.
 *
 * A histogram is stored as text, `bucket:count` pairs in ascending bucket order
 * joined by commas (NULL when empty), so that SQL (GROUP_CONCAT, for rebuilds and
 * checks) and the applier (merging the journal's differences) write the very same
 * text for the same durations.
 */
import { sql, type SQLQuery } from '@databases/mysql';

/** The histogram column every rollup row carries. */
export const HISTOGRAM_COLUMN = 'duration_histogram';

/** Bits of a duration a bucket keeps. */
const SIGNIFICANT_BITS = 7;

/**
 * The bucket of a duration (an SQL expression of whole ms, NULL stays NULL). The
 * migration that installed the journal's triggers (0014) holds its own copy.
 */
export function durationBucket(duration: SQLQuery): SQLQuery {
  return sql`IF(${duration} < 128, ${duration},
    (${duration} >> (LENGTH(BIN(${duration})) - ${SIGNIFICANT_BITS}))
      << (LENGTH(BIN(${duration})) - ${SIGNIFICANT_BITS}))`;
}

/** The width of the bucket that starts at `bucket`: 1 below 128, else 2^(bits − 7). */
function bucketWidth(bucket: number): number {
  return bucket < 128 ? 1 : 2 ** (bucket.toString(2).length - SIGNIFICANT_BITS);
}

/**
 * The value a bucket answers with: within 0.78 % of every duration in it. Rounded
 * to the microsecond, so that it is an exact decimal for sorting and cursors.
 */
export function bucketValue(bucket: number): number {
  const width = bucketWidth(bucket);
  if (width === 1) return bucket;
  const hi = bucket + width - 1;
  return Math.round(((2 * bucket * hi) / (bucket + hi)) * 1000) / 1000;
}

/** Counts per bucket. */
export type Histogram = Map<number, number>;

/**
 * Calls `visit` with each bucket and count of a stored text, in the text's
 * (ascending) order, reading the digits in place: a year of day histograms is
 * hundreds of thousands of pairs.
 */
export function forEachBucket(text: string, visit: (bucket: number, count: number) => void) {
  let bucket = 0;
  let value = 0;
  let negative = false;
  for (let i = 0; i <= text.length; i += 1) {
    const code = i < text.length ? text.charCodeAt(i) : 44; // a ',' closes the last pair
    if (code === 58) {
      bucket = value; // ':'
      value = 0;
    } else if (code === 44) {
      visit(bucket, negative ? -value : value); // ','
      value = 0;
      negative = false;
    } else if (code === 45)
      negative = true; // '-'
    else value = value * 10 + (code - 48);
  }
}

/** Adds the stored text `text` (or NULL) into `into`, `sign` -1 taking it away. */
export function addHistogramText(
  into: Histogram,
  text: string | null | undefined,
  sign: 1 | -1 = 1,
): Histogram {
  if (text) forEachBucket(text, (b, n) => into.set(b, (into.get(b) ?? 0) + sign * n));
  return into;
}

/** The stored text of a histogram: buckets ascending, empty ones left out; NULL when none is left. */
export function histogramText(histogram: Histogram): string | null {
  const pairs = [...histogram.entries()]
    .filter(([, count]) => count !== 0)
    .sort(([a], [b]) => a - b)
    .map(([bucket, count]) => `${bucket}:${count}`);
  return pairs.length === 0 ? null : pairs.join(',');
}

/**
 * Lets GROUP_CONCAT write a whole histogram on this connection (the longest, all
 * 1 728 buckets, is under 40 kB; MySQL's default limit is 1 kB, and cuts silently).
 */
export const HISTOGRAM_TEXT_LIMIT = sql`SET SESSION group_concat_max_len = 1048576`;

/**
 * SQL: the stored text of the (bucket, count) rows of a group, as `histogramText`
 * writes it (on a connection that has run HISTOGRAM_TEXT_LIMIT).
 */
export function histogramAggregate(bucket: SQLQuery, count: SQLQuery): SQLQuery {
  return sql`GROUP_CONCAT(CONCAT(${bucket}, ':', ${count}) ORDER BY ${bucket} SEPARATOR ',')`;
}

/** Percentiles as whole percents (the nearest-rank rule needs exact integer arithmetic). */
export type Percent = 50 | 95 | 99;

/**
 * The nearest-rank percentiles of buckets given in ascending order (`each` calls its
 * visitor with every bucket and count): for each p, the value of the bucket holding
 * the smallest duration d with at least ⌈p·n/100⌉ of the n durations ≤ d (p·n is an
 * exact integer). Null when there is no duration.
 */
function nearestRanks(
  each: (visit: (bucket: number, count: number) => void) => void,
  percents: readonly Percent[],
): Map<Percent, number | null> {
  let total = 0;
  each((_bucket, n) => (total += Math.max(n, 0)));
  const result = new Map<Percent, number | null>(percents.map((p) => [p, null]));
  if (total === 0) return result;
  const pending = [...percents].sort((a, b) => a - b);
  let seen = 0;
  each((bucket, n) => {
    seen += Math.max(n, 0);
    while (pending.length > 0 && seen >= Math.ceil((pending[0]! * total) / 100)) {
      result.set(pending.shift()!, bucketValue(bucket));
    }
  });
  return result;
}

/** The percentiles of a histogram (counts below zero, transient in a rollup, count as none). */
export function percentiles(histogram: Histogram, percents: readonly Percent[]) {
  const buckets = [...histogram.entries()].sort(([a], [b]) => a - b);
  return nearestRanks((visit) => {
    for (const [bucket, n] of buckets) visit(bucket, n);
  }, percents);
}

/** The percentiles of one stored text, read off the text itself (its buckets ascend). */
export function textPercentiles(text: string, percents: readonly Percent[]) {
  return nearestRanks((visit) => forEachBucket(text, visit), percents);
}
