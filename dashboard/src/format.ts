import { utcMinute } from './time-window';

/** How numbers read on the page (the data tables keep the exact values in data-value). */
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export const formatCount = (value: number) => integer.format(value);

export const formatRate = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${oneDecimal.format(value * 100)} %`;

/** Milliseconds as ms, s or min, whichever reads best. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1_000) return `${integer.format(ms)} ms`;
  if (ms < 120_000) return `${oneDecimal.format(ms / 1_000)} s`;
  return `${oneDecimal.format(ms / 60_000)} min`;
}

export const formatTime = (iso: string | null | undefined) => (iso ? `${utcMinute(iso)} UTC` : '–');

/** A bucket's start as an axis label: the hour for hourly buckets, else the day. */
export const bucketLabel = (iso: string, hourly: boolean) =>
  hourly ? iso.slice(5, 16).replace('T', ' ') : iso.slice(0, 10);

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
