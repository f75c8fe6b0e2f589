/**
 * A view answered over a window: the window is resolved at the request's clock (or,
 * for a cached answer, at the clock it was computed at), so the rows' identities name
 * the window their numbers belong to.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { cachedView } from '../cache/cached-view.js';
import type { GatewayContext } from '../server/context.js';
import { resolveWindow, type TimeWindowInput, type Window } from '../views/time-window.js';

/** Resolves `compute` through the cache; invalid window arguments fail before any SQL. */
export async function windowedView<T>(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  args: { window?: TimeWindowInput | null },
  defaultWindow: string,
  tables: readonly string[],
  compute: (window: Window) => Promise<T>,
): Promise<{ value: T; window: Window }> {
  const windowAt = (clock: Date) => resolveWindow(args.window, defaultWindow, clock);
  windowAt(context.now);
  const { value, clock } = await cachedView(context, info, args, tables, (now) =>
    compute(windowAt(now)),
  );
  return { value, window: windowAt(clock) };
}
