/**
 * The key of a cached view result: the view, its arguments (normalized: keys sorted,
 * dates as ISO text), the selection and the caller's role, hashed.
 */
import { createHash } from 'node:crypto';
import type { Selection } from '../views/selection.js';

function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
}

function selectionText(selection: Selection): string {
  return [...selection.keys()]
    .sort()
    .map((field) => {
      const child = selection.get(field)!;
      return child.size === 0 ? field : `${field}{${selectionText(child)}}`;
    })
    .join(',');
}

/** A stable key for one view request. */
export function cacheKey(view: string, args: unknown, selection: Selection, role: string): string {
  const text = JSON.stringify([view, normalize(args), selectionText(selection), role]);
  // v2: entries hold the clock their windows were resolved at (cached-view.ts).
  return `view2:${view}:${createHash('sha256').update(text).digest('base64url')}`;
}
