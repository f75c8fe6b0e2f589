/**
 * Relay-style connections: `edges { cursor node }`, `pageInfo { hasNextPage endCursor }`
 * and `totalCount`, which runs its COUNT query only when it is selected.
 */
import type { ObjectRef } from '@pothos/core';
import { offsetCursor, pageSize, parseOffsetCursor, toPage } from '../views/pagination.js';
import { builder } from './builder.js';
import { SortDirection } from './enums.js';

export interface ConnectionShape<Node> {
  edges: { cursor: string; node: Node }[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

export const PageInfo = builder
  .objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo')
  .implement({
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
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
          endCursor: parent.edges.at(-1)?.cursor ?? null,
        }),
      }),
      totalCount: t.int({ resolve: (parent) => parent.totalCount() }),
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
  args: { first?: number | null; after?: string | null },
  cap: number,
  fetch: (offset: number, limit: number) => Promise<Node[]>,
  count: () => Promise<number>,
): Promise<ConnectionShape<Node>> {
  const size = pageSize(args.first, cap);
  const offset = parseOffsetCursor(view, args.after);
  const page = toPage(await fetch(offset, size + 1), size);
  return {
    edges: page.nodes.map((node, index) => ({
      node,
      cursor: offsetCursor(view, offset + index + 1),
    })),
    hasNextPage: page.hasNextPage,
    totalCount: count,
  };
}
