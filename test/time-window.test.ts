import { describe, expect, it } from 'vitest';
import { resolveWindow } from '../src/views/time-window.js';

const now = new Date('2026-03-31T12:00:00.000Z');

function code(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    return {
      code: (error as { extensions?: { code?: string } }).extensions?.code,
      message: (error as Error).message,
    };
  }
  return undefined;
}

describe('resolveWindow', () => {
  it('applies the default duration back from now', () => {
    expect(resolveWindow(undefined, 'P90D', now)).toEqual({
      from: new Date('2025-12-31T12:00:00.000Z'),
      to: now,
    });
  });

  it('counts `last` back from `to` with calendar months and clock hours', () => {
    const to = new Date('2026-03-31T00:00:00.000Z');
    // Calendar months clamp to the month's last day.
    expect(resolveWindow({ to, last: 'P1M' }, 'P90D', now).from).toEqual(
      new Date('2026-02-28T00:00:00.000Z'),
    );
    const leap = new Date('2024-03-31T12:00:00.000Z');
    expect(resolveWindow({ to: leap, last: 'P1M' }, 'P90D', now).from).toEqual(
      new Date('2024-02-29T12:00:00.000Z'),
    );
    expect(
      resolveWindow({ to: new Date('2024-02-29T00:00:00Z'), last: 'P1Y' }, 'P90D', now).from,
    ).toEqual(new Date('2023-02-28T00:00:00.000Z'));
    expect(resolveWindow({ to, last: 'PT1.5H' }, 'P90D', now).from).toEqual(
      new Date('2026-03-30T22:30:00.000Z'),
    );
    expect(resolveWindow({ to, last: 'P1W' }, 'P90D', now).from).toEqual(
      new Date('2026-03-24T00:00:00.000Z'),
    );
  });

  it('keeps an explicit from and to', () => {
    const from = new Date('2026-01-01T00:00:00.000Z');
    const to = new Date('2026-01-01T00:00:00.001Z');
    expect(resolveWindow({ from, to }, 'P90D', now)).toEqual({ from, to });
  });

  it.each([
    [
      { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') },
      'window.from',
    ],
    [
      { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') },
      'window.from',
    ],
    [{ last: 'ninety days' }, 'window.last'],
    [{ last: 'P0D' }, 'window.last'],
    [{ last: 'P1.5D' }, 'window.last'],
    [{ from: new Date('2026-01-01T00:00:00Z'), last: 'P1D' }, 'window'],
    [{ from: new Date('2020-01-01T00:00:00Z') }, 'window'],
    // Absurd durations leave the dates JavaScript holds (NaN); unanchored ones hide in text.
    [{ last: 'P300000Y' }, 'window.last'],
    [{ last: 'P999999999D' }, 'window.last'],
    [{ last: 'PT999999999999999999999S' }, 'window.last'],
    [{ last: 'xxP90Dyy' }, 'window.last'],
    [{ last: 'P90D ' }, 'window.last'],
    [{ last: '-P1D' }, 'window.last'],
    [{ last: 'P90DT' }, 'window.last'],
    [{ last: 'P6Y' }, 'window.last'],
    // Non-finite and out-of-range ends (years 1000 to 9999 fit a DATETIME).
    [{ to: new Date(Number.NaN) }, 'window.to'],
    [{ from: new Date(Number.NaN), to: now }, 'window.from'],
    [
      { from: new Date('0999-12-31T00:00:00Z'), to: new Date('1000-01-01T00:00:00Z') },
      'window.from',
    ],
    [{ to: new Date('1000-06-01T00:00:00Z'), last: 'P1Y' }, 'window.last'],
  ])('rejects %o as BAD_USER_INPUT naming %s', (input, argument) => {
    const failure = code(() => resolveWindow(input, 'P90D', now));
    expect(failure?.code).toBe('BAD_USER_INPUT');
    expect(failure?.message.startsWith(`${argument}:`)).toBe(true);
  });
});
