/**
 * Resolves a `TimeWindow` argument into a half-open interval [from, to) in UTC.
 * `last` is an ISO-8601 duration counted back from `to`; `to` defaults to now.
 */
import { parse as parseDuration } from 'iso8601-duration';
import { badInput } from '../errors.js';

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

/** Subtracts an ISO-8601 duration from `to` with UTC calendar arithmetic. */
function subtractDuration(argument: string, to: Date, text: string): Date {
  let d: ReturnType<typeof parseDuration>;
  try {
    d = parseDuration(text);
  } catch {
    throw badInput(argument, `"${text}" is not an ISO-8601 duration such as P90D or PT6H`);
  }
  const whole = [d.years, d.months, d.weeks, d.days].every((n) => Number.isInteger(n ?? 0));
  if (!whole) throw badInput(argument, `"${text}": years, months, weeks and days must be whole`);
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
  if (result.getTime() >= to.getTime()) {
    throw badInput(argument, `"${text}" must be a positive duration`);
  }
  return result;
}

/** Validates and resolves a window; `defaultLast` applies when neither `from` nor `last` is given. */
export function resolveWindow(
  input: TimeWindowInput | null | undefined,
  defaultLast: string,
  now: Date,
): Window {
  const to = input?.to ?? now;
  if (input?.from && input.last) {
    throw badInput('window', 'give either from or last, not both');
  }
  const from = input?.from ?? subtractDuration('window.last', to, input?.last ?? defaultLast);
  if (from.getTime() >= to.getTime()) {
    throw badInput(
      'window.from',
      `must be before window.to (${from.toISOString()} ≥ ${to.toISOString()})`,
    );
  }
  const limit = new Date(to);
  limit.setUTCFullYear(limit.getUTCFullYear() - MAX_YEARS);
  if (from.getTime() < limit.getTime()) {
    throw badInput('window', `spans more than ${MAX_YEARS} years`);
  }
  return { from, to };
}
