/**
 * The key of a cached view result: the view, its arguments (canonical JSON: keys
 * sorted, nulls left out, dates as ISO text), the selection and the caller's role, hashed.
 */
import { createHash } from 'node:crypto';
import { canonical } from '../canonical-json.js';
import type { Selection } from '../views/selection.js';

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
  const text = canonical([view, args, selectionText(selection), role]);
  // v2: entries hold the clock their windows were resolved at (cached-view.ts).
  return `view2:${view}:${createHash('sha256').update(text).digest('base64url')}`;
}
