/**
 * Relay-style connections: `edges { cursor node }`, `pageInfo { hasNextPage
 * hasPreviousPage startCursor endCursor }` and `totalCount`, whose COUNT query runs only
 * when it is selected (in parallel with the page, so the whole connection is one
 * cacheable value).
 */
import type { ObjectRef } from '@pothos/core';
import {
  argumentsTag,
  offsetCursor,
  pageRequest,
  parseOffsetCursor,
  toPage,
  type PageArguments,
} from '../views/pagination.js';
import { builder } from './builder.js';
import { SortDirection } from './enums.js';

export interface ConnectionShape<Node> {
  edges: { cursor: string; node: Node }[];
  hasNextPage: boolean;
  /** Rows come before this page: it starts after a cursor (Relay asks it of every page). */
  hasPreviousPage: boolean;
  /** Null when totalCount was not selected. */
  totalCount: number | null;
}

interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
      description: 'True when the page starts after a cursor.',
    }),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** Defines `<Name>Connection` and `<Name>Edge` for a node type. */
export function connectionType<Node>(
  name: string,
  node: ObjectRef<typeof builder.$inferSchemaTypes, Node>,
) {
  const edge = builder.objectRef<{ cursor: string; node: Node }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.expose('node', { type: node }),
    }),
  });
  return builder.objectRef<ConnectionShape<Node>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [edge], resolve: (parent) => parent.edges }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (parent) => ({
          hasNextPage: parent.hasNextPage,
          hasPreviousPage: parent.hasPreviousPage,
          startCursor: parent.edges[0]?.cursor ?? null,
          endCursor: parent.edges.at(-1)?.cursor ?? null,
        }),
      }),
      totalCount: t.int({ resolve: (parent) => parent.totalCount ?? 0 }),
    }),
  });
}

/** An order input `{ field, direction = DESC }` with its `<name>Field` enum. */
export function orderInput<const F extends string>(
  name: string,
  fields: readonly F[],
  tieBreak: string,
) {
  const field = builder.enumType(`${name}Field`, { values: fields });
  return builder.inputType(name, {
    description: `Sort order; nulls sort last either way and ties break on ${tieBreak} ascending.`,
    fields: (t) => ({
      field: t.field({ type: field, required: true }),
      direction: t.field({ type: SortDirection, required: true, defaultValue: 'DESC' }),
    }),
  });
}

/**
 * One page of an offset-paged view. Forward (`first`, `after`): `first + 1` rows from
 * the row after `after`. Backward (`last`, `before`): the `last` rows just before
 * `before`, or at the end of the list (which needs the count). The count runs, in
 * parallel with the page, when totalCount is selected or the end must be known.
 */
export async function offsetConnection<Node>(
  view: string,
  args: PageArguments & Record<string, unknown>,
  cap: number,
  fetch: (offset: number, limit: number) => Promise<Node[]>,
  count: () => Promise<number>,
  countSelected: boolean,
): Promise<ConnectionShape<Node>> {
  const { size, backward } = pageRequest(args, cap);
  const tag = argumentsTag(args);
  const lower = parseOffsetCursor(view, tag, args.after);
  // The row `before` points at is the first one the page may not hold.
  const upper = args.before ? parseOffsetCursor(view, tag, args.before, 'before') - 1 : undefined;
  const needsEnd = backward && upper === undefined;
  const counted = countSelected || needsEnd ? count() : Promise.resolve(null);
  // Awaited below; a failed page read must not leave its rejection unhandled meanwhile.
  counted.catch(() => undefined);
  let start: number;
  let rows: Node[];
  let hasNextPage: boolean;
  if (backward) {
    const end = upper ?? (await counted)!;
    start = Math.max(lower, end - size);
    rows = await fetch(start, Math.max(0, end - start));
    hasNextPage = upper !== undefined;
  } else {
    start = lower;
    const limit = upper === undefined ? size + 1 : Math.max(0, Math.min(size + 1, upper - lower));
    const page = toPage(await fetch(start, limit), size);
    rows = page.nodes;
    hasNextPage = page.hasNextPage || (upper !== undefined && lower + rows.length < upper);
  }
  return {
    edges: rows.map((node, index) => ({
      node,
      cursor: offsetCursor(view, tag, start + index + 1),
    })),
    hasNextPage,
    hasPreviousPage: start > 0,
    totalCount: await counted,
  };
}
