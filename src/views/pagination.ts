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
 * Decodes a cursor of the named view; `check` returns the typed position or
 * undefined when the fields are not what this view writes.
 */
export function decodeCursor<T>(
  view: string,
  cursor: string,
  check: (fields: Record<string, unknown>) => T | undefined,
): T {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    fields = undefined;
  }
  const isObject = typeof fields === 'object' && fields !== null;
  const position =
    isObject && (fields as { v?: unknown }).v === view
      ? check(fields as Record<string, unknown>)
      : undefined;
  if (position === undefined) {
    throw badInput('after', `"${cursor.slice(0, 40)}" is not a cursor returned by ${view}`);
  }
  return position;
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
  return decodeCursor(view, after, ({ o }) =>
    typeof o === 'number' && Number.isSafeInteger(o) && o >= 0 ? o : undefined,
  );
}
