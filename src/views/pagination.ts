/**
 * Relay pagination arguments: `first` (default 50, capped) and opaque cursors.
 * A cursor is base64url JSON tagged with the view it belongs to, so a cursor from
 * one view is rejected by another instead of silently paging wrongly.
 */
import { badInput } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 50;

/** Validates `first` against the configured cap. */
export function pageSize(first: number | null | undefined, cap: number): number {
  const size = first ?? Math.min(DEFAULT_PAGE_SIZE, cap);
  if (!Number.isInteger(size) || size < 0)
    throw badInput('first', `must be 0 or more, got ${size}`);
  if (size > cap) throw badInput('first', `must be at most ${cap}, got ${size}`);
  return size;
}

/** Encodes a position in the named view as an opaque cursor. */
export function encodeCursor(view: string, position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify({ v: view, ...position })).toString('base64url');
}

/**
 * Decodes a cursor of the named view holding exactly the position `keys`; `check`
 * returns the typed position or undefined when the values are not what this view
 * writes. Only the exact text the gateway writes is accepted: base64url decoding
 * skips characters it does not know, so garbage around a real cursor, other JSON
 * spellings or extra fields would otherwise still decode.
 */
export function decodeCursor<T>(
  view: string,
  cursor: string,
  keys: readonly string[],
  check: (fields: Record<string, unknown>) => T | undefined,
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
    written && record.v === view && hasExactly(record, keys) ? check(record) : undefined;
  if (position === undefined) {
    const shown = cursor.length > 40 ? `${cursor.slice(0, 40)}…` : cursor;
    throw badInput('after', `${JSON.stringify(shown)} is not a cursor returned by ${view}`);
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

/** The cursor after the `offset`-th row of an offset-paged view. */
export function offsetCursor(view: string, offset: number): string {
  return encodeCursor(view, { o: offset });
}

/** The offset an `after` cursor of the view points past (0 without a cursor). */
export function parseOffsetCursor(view: string, after: string | null | undefined): number {
  if (!after) return 0;
  return decodeCursor(view, after, ['o'], ({ o }) =>
    typeof o === 'number' && Number.isSafeInteger(o) && o >= 0 ? o : undefined,
  );
}
