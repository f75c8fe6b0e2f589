/**
 * Relay pagination arguments: `first` (default 50, capped) and opaque cursors.
 * A cursor is base64url JSON tagged with the view it belongs to and with a digest of
 * the arguments it was made under (all but first and after), so a cursor from one
 * view, or from the same view under another orderBy, filter or window, is refused
 * instead of silently paging wrongly.
 */
import { createHash } from 'node:crypto';
import { canonical } from '../canonical-json.js';
import { badInput } from '../errors.js';
import { isStorableDate } from './datetime-range.js';
import type { SortKind } from './entity-summary.js';
import { isId } from './ids.js';

export const DEFAULT_PAGE_SIZE = 50;

/** Validates a page size (`first`, or `last`) against the configured cap. */
export function pageSize(
  first: number | null | undefined,
  cap: number,
  argument = 'first',
): number {
  const size = first ?? Math.min(DEFAULT_PAGE_SIZE, cap);
  if (!Number.isInteger(size) || size < 0)
    throw badInput(argument, `must be 0 or more, got ${size}`);
  if (size > cap) throw badInput(argument, `must be at most ${cap}, got ${size}`);
  return size;
}

export interface PageArguments {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * The page asked for: `first` rows from the start (or after `after`), or, with `last`
 * (or `before` alone), the `last` rows at the end (or just before `before`).
 */
export function pageRequest(args: PageArguments, cap: number): { size: number; backward: boolean } {
  if (args.first != null && args.last != null) {
    throw badInput('last', 'give first or last, not both');
  }
  const backward = args.last != null || (args.before != null && args.first == null);
  return backward
    ? { size: pageSize(args.last, cap, 'last'), backward }
    : { size: pageSize(args.first, cap), backward };
}

const PAGE_ARGUMENTS = new Set(['first', 'after', 'last', 'before']);

/** The digest a cursor carries of the arguments it was made under (all but the page's own). */
export function argumentsTag(args: Record<string, unknown>): string {
  const shaping = Object.fromEntries(
    Object.entries(args).filter(([name]) => !PAGE_ARGUMENTS.has(name)),
  );
  return createHash('sha256').update(canonical(shaping)).digest('base64url').slice(0, 12);
}

/** Encodes a position in the named view, made under arguments `tag`, as an opaque cursor. */
export function encodeCursor(
  view: string,
  tag: string,
  position: Record<string, string | number | null>,
): string {
  return Buffer.from(JSON.stringify({ v: view, a: tag, ...position })).toString('base64url');
}

/**
 * Decodes a cursor of the named view, made under arguments `tag`, holding exactly the
 * position `keys`; `check` returns the typed position or undefined when the values
 * are not what this view writes. Only the exact text the gateway writes is accepted:
 * base64url decoding skips characters it does not know, so garbage around a real
 * cursor, other JSON spellings or extra fields would otherwise still decode.
 */
export function decodeCursor<T>(
  view: string,
  tag: string,
  cursor: string,
  keys: readonly string[],
  check: (fields: Record<string, unknown>) => T | undefined,
  argument: 'after' | 'before' = 'after',
): T {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    fields = undefined;
  }
  const record =
    typeof fields === 'object' && fields !== null && !Array.isArray(fields)
      ? (fields as Record<string, unknown>)
      : undefined;
  const written =
    record !== undefined && Buffer.from(JSON.stringify(record)).toString('base64url') === cursor;
  const position =
    written && record.v === view && hasExactly(record, ['a', ...keys]) ? check(record) : undefined;
  if (position !== undefined && record?.a !== tag) {
    throw badInput(
      argument,
      `this cursor was made under other arguments of ${view} (orderBy, filter or window): ` +
        `keep the arguments of the first page, or start again without ${argument}`,
    );
  }
  if (position === undefined) {
    const shown = cursor.length > 40 ? `${cursor.slice(0, 40)}…` : cursor;
    throw badInput(argument, `${JSON.stringify(shown)} is not a cursor returned by ${view}`);
  }
  return position;
}

/** True when `fields` has exactly the view tag `v` and the given position keys. */
function hasExactly(fields: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(fields).length === keys.length + 1 && keys.every((key) => key in fields);
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
}

/** Splits the `size + 1` rows a query fetched into the page and whether more follow. */
export function toPage<T>(rows: T[], size: number): Page<T> {
  return { nodes: rows.slice(0, size), hasNextPage: rows.length > size };
}

/**
 * The clock a cursor's list resolved its window at (`c`, ms; null for a window with
 * an end of its own), so every page of a list covers the window its first page covered.
 */
export function cursorClock(c: unknown): Date | null | undefined {
  if (c === null) return null;
  if (typeof c !== 'number' || !Number.isSafeInteger(c)) return undefined;
  const clock = new Date(c);
  return isStorableDate(clock) ? clock : undefined;
}

/** The clock a page's cursors carry: only a window ending now (no `to`) moves with it. */
export function listClock(window: { to?: Date | null } | null | undefined, now: Date): Date | null {
  return window?.to ? null : now;
}

/**
 * The cursor of a row of a per-entity view: its sort value, its key, the list's as-of
 * id and clock.
 */
export function summaryCursor(
  view: string,
  tag: string,
  position: { value: string | null; key: string },
  asOf: string,
  clock: Date | null,
): string {
  return encodeCursor(view, tag, {
    x: position.value,
    i: position.key,
    s: asOf,
    c: clock && clock.getTime(),
  });
}

const SORT_VALUE_FORMS: Record<SortKind, RegExp> = {
  number: /^-?\d{1,65}(\.\d{1,30})?$/,
  datetime: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
  text: /^[^]{0,1000}$/,
};

/**
 * Decodes a cursor of a per-entity view ordered by a value of `kind`: the value must
 * have the form the view writes for it (a number, an instant, a text), the key and the
 * as-of id must be database ids.
 */
export function parseSummaryCursor(
  view: string,
  tag: string,
  kind: SortKind,
  cursor: string,
  argument: 'after' | 'before' = 'after',
) {
  return decodeCursor(
    view,
    tag,
    cursor,
    ['x', 'i', 's', 'c'],
    ({ x, i, s, c }) => {
      const valueOk =
        x === null ||
        (typeof x === 'string' &&
          SORT_VALUE_FORMS[kind].test(x) &&
          (kind !== 'datetime' || isStorableDate(new Date(x))));
      if (!valueOk || typeof i !== 'string' || !isId(i)) return undefined;
      if (typeof s !== 'string' || !/^\d{1,20}$/.test(s)) return undefined;
      const clock = cursorClock(c);
      return clock === undefined ? undefined : { position: { value: x, key: i }, asOf: s, clock };
    },
    argument,
  );
}
