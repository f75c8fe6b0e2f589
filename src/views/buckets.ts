/**
 * UTC time buckets: the start of the hour, day, ISO week (Monday) or month, the
 * same in SQL (for grouping) and in TypeScript (for filling gaps).
 */
import { sql, type SQLQuery } from '@databases/mysql';

export type Granularity = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

/** The bucket start of `column` (sessions run in UTC). */
export function bucketSql(granularity: Granularity, column: SQLQuery): SQLQuery {
  switch (granularity) {
    case 'HOUR':
      return sql`CAST(DATE_FORMAT(${column}, '%Y-%m-%d %H:00:00') AS DATETIME)`;
    case 'DAY':
      return sql`CAST(DATE(${column}) AS DATETIME)`;
    case 'WEEK':
      return sql`CAST(DATE(${column}) - INTERVAL WEEKDAY(${column}) DAY AS DATETIME)`;
    case 'MONTH':
      return sql`CAST(DATE_FORMAT(${column}, '%Y-%m-01') AS DATETIME)`;
  }
}

/** The start of the bucket holding `date`. */
export function bucketStart(granularity: Granularity, date: Date): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  switch (granularity) {
    case 'HOUR':
      return new Date(Date.UTC(y, m, d, date.getUTCHours()));
    case 'DAY':
      return new Date(Date.UTC(y, m, d));
    case 'WEEK':
      return new Date(Date.UTC(y, m, d - ((date.getUTCDay() + 6) % 7)));
    case 'MONTH':
      return new Date(Date.UTC(y, m, 1));
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(granularity: Granularity, start: Date): Date {
  const next = new Date(start);
  if (granularity === 'HOUR') next.setUTCHours(next.getUTCHours() + 1);
  else if (granularity === 'DAY') next.setUTCDate(next.getUTCDate() + 1);
  else if (granularity === 'WEEK') next.setUTCDate(next.getUTCDate() + 7);
  else next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}

/** Every bucket start overlapping [from, to), at most `limit` of them (undefined past it). */
export function bucketStarts(granularity: Granularity, from: Date, to: Date, limit: number) {
  const starts: Date[] = [];
  for (
    let start = bucketStart(granularity, from);
    start < to;
    start = nextBucket(granularity, start)
  ) {
    if (starts.length === limit) return undefined;
    starts.push(start);
  }
  return starts;
}
