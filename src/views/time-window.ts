/**
 * Resolves a `TimeWindow` argument into a half-open interval [from, to) in UTC.
 * `last` is an ISO-8601 duration counted back from `to`; `to` defaults to now.
 * Every end is a real instant inside the DATETIME range and the span is at most
 * five years, so no invalid date (NaN, year 300 000 BC) ever reaches SQL.
 */
import { parse as parseDuration, pattern as durationPattern } from 'iso8601-duration';
import { badInput } from '../errors.js';
import { DATETIME_RANGE_TEXT, isStorableDate } from './datetime-range.js';

export interface TimeWindowInput {
  from?: Date | null;
  to?: Date | null;
  last?: string | null;
}

export interface Window {
  from: Date;
  to: Date;
  /** Read only raw rows, never the rollups: the reference the rollup path is tested against. */
  rawOnly?: boolean;
}

const MAX_YEARS = 5;

/**
 * The whole text must be a duration: the library's pattern is unanchored, so on its
 * own it finds "P90D" inside "xxP90Dyy" (and ignores the sign of "-P1D"). A `T` must
 * be followed by a time part.
 */
const WHOLE_DURATION = new RegExp(`^${durationPattern.source}$`);

/** The input quoted for a message, shortened: it may be huge. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Subtracts an ISO-8601 duration from `to` with UTC calendar arithmetic. */
function subtractDuration(argument: string, to: Date, text: string): Date {
  let d: ReturnType<typeof parseDuration>;
  try {
    if (!WHOLE_DURATION.test(text) || text.endsWith('T')) throw new RangeError(text);
    d = parseDuration(text);
  } catch {
    throw badInput(argument, `${quoted(text)} is not an ISO-8601 duration such as P90D or PT6H`);
  }
  const whole = [d.years, d.months, d.weeks, d.days].every((n) => Number.isInteger(n ?? 0));
  if (!whole)
    throw badInput(argument, `${quoted(text)}: years, months, weeks and days must be whole`);
  // Calendar months and years clamp to the month's last day (Mar 31 − P1M = Feb 28/29).
  const year = to.getUTCFullYear() - (d.years ?? 0);
  const month = to.getUTCMonth() - (d.months ?? 0);
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const monthsBack = new Date(
    Date.UTC(
      year,
      month,
      Math.min(to.getUTCDate(), lastDay),
      to.getUTCHours(),
      to.getUTCMinutes(),
      to.getUTCSeconds(),
      to.getUTCMilliseconds(),
    ),
  );
  const days = (d.days ?? 0) + 7 * (d.weeks ?? 0);
  const clock = ((d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0)) * 1000;
  const result = new Date(monthsBack.getTime() - days * 86_400_000 - Math.round(clock));
  // An absurd duration (P300000Y, P999999999D) leaves the dates JavaScript can hold: NaN.
  if (!Number.isFinite(result.getTime())) {
    throw badInput(argument, `${quoted(text)} spans more than ${MAX_YEARS} years`);
  }
  if (result.getTime() >= to.getTime()) {
    throw badInput(argument, `${quoted(text)} must be a positive duration`);
  }
  return result;
}

/** Checks a given end of the window is inside the DATETIME range. */
function storable(argument: string, date: Date): Date {
  if (!isStorableDate(date)) throw badInput(argument, `must lie ${DATETIME_RANGE_TEXT}`);
  return date;
}

/** Validates and resolves a window; `defaultLast` applies when neither `from` nor `last` is given. */
export function resolveWindow(
  input: TimeWindowInput | null | undefined,
  defaultLast: string,
  now: Date,
): Window {
  const to = storable('window.to', input?.to ?? now);
  if (input?.from && input.last) {
    throw badInput('window', 'give either from or last, not both');
  }
  // The argument a span error names: the duration when the window came from one.
  const spanArgument = input?.from ? 'window' : 'window.last';
  const from = input?.from
    ? storable('window.from', input.from)
    : subtractDuration('window.last', to, input?.last ?? defaultLast);
  if (from.getTime() >= to.getTime()) {
    throw badInput(
      'window.from',
      `must be before window.to (${from.toISOString()} ≥ ${to.toISOString()})`,
    );
  }
  const limit = new Date(to);
  limit.setUTCFullYear(limit.getUTCFullYear() - MAX_YEARS);
  if (from.getTime() < limit.getTime()) {
    throw badInput(spanArgument, `spans more than ${MAX_YEARS} years`);
  }
  return { from: storable(spanArgument, from), to };
}
