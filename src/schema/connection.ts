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
  pageSize,
  parseOffsetCursor,
  toPage,
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
 * One page of an offset-paged view: fetches `first + 1` rows from the offset the
 * `after` cursor points past, and counts only when totalCount is selected.
 */
export async function offsetConnection<Node>(
  view: string,
  args: { first?: number | null; after?: string | null } & Record<string, unknown>,
  cap: number,
  fetch: (offset: number, limit: number) => Promise<Node[]>,
  count: (() => Promise<number>) | null,
): Promise<ConnectionShape<Node>> {
  const size = pageSize(args.first, cap);
  const tag = argumentsTag(args);
  const offset = parseOffsetCursor(view, tag, args.after);
  // Both must be async: a synchronous throw in one would leave the other's rejection unhandled.
  const [rows, totalCount] = await Promise.all([fetch(offset, size + 1), count ? count() : null]);
  const page = toPage(rows, size);
  return {
    edges: page.nodes.map((node, index) => ({
      node,
      cursor: offsetCursor(view, tag, offset + index + 1),
    })),
    hasNextPage: page.hasNextPage,
    hasPreviousPage: offset > 0,
    totalCount,
  };
}
