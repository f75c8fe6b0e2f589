/**
 * The window every panel covers: a preset (the last 24 hours … 365 days) or a chosen
 * from/to. It is always sent as an explicit [from, to) in UTC, so the page can say
 * exactly which window each chart covers; a preset's `to` is the next whole minute, so
 * that reloads within a minute ask the same question (and hit the gateway's cache).
 */
import type { Granularity } from './gql/graphql';

export const PRESETS = [
  { id: 'P1D', label: 'Last 24 hours', days: 1 },
  { id: 'P7D', label: 'Last 7 days', days: 7 },
  { id: 'P30D', label: 'Last 30 days', days: 30 },
  { id: 'P90D', label: 'Last 90 days', days: 90 },
  { id: 'P365D', label: 'Last 365 days', days: 365 },
] as const;

export type PresetId = (typeof PRESETS)[number]['id'];

export type WindowChoice = { preset: PresetId } | { from: string; to: string };

export interface ResolvedWindow {
  from: string;
  to: string;
  granularity: Granularity;
  /** "per hour", "per day" or "per week": how the time series are bucketed. */
  bucketLabel: string;
  /** "2026-11-02 20:31 – 2026-12-02 20:31 UTC". */
  label: string;
}

const DAY_MS = 86_400_000;

/** Hours up to 3 days, days up to 120, weeks beyond (a chart of at most ~170 bars). */
function granularityFor(spanMs: number): { granularity: Granularity; bucketLabel: string } {
  if (spanMs <= 3 * DAY_MS) return { granularity: 'HOUR', bucketLabel: 'per hour' };
  if (spanMs <= 120 * DAY_MS) return { granularity: 'DAY', bucketLabel: 'per day' };
  return { granularity: 'WEEK', bucketLabel: 'per week' };
}

/** "2026-12-02 20:31" (UTC). */
export function utcMinute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

export function resolveWindow(choice: WindowChoice, now = Date.now()): ResolvedWindow {
  let from: string;
  let to: string;
  if ('preset' in choice) {
    const days = PRESETS.find((preset) => preset.id === choice.preset)?.days ?? 30;
    const end = Math.ceil(now / 60_000) * 60_000;
    to = new Date(end).toISOString();
    from = new Date(end - days * DAY_MS).toISOString();
  } else {
    ({ from, to } = choice);
  }
  const span = Date.parse(to) - Date.parse(from);
  return {
    from,
    to,
    ...granularityFor(span),
    label: `${utcMinute(from)} – ${utcMinute(to)} UTC`,
  };
}

/** The value of a datetime-local input (UTC) for an ISO instant, and back. */
export const toInput = (iso: string) => iso.slice(0, 16);
export const fromInput = (value: string) => new Date(`${value}:00Z`).toISOString();
