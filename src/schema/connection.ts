/**
 * Relay-style connections: `edges { cursor node }`, `pageInfo { hasNextPage endCursor }`
 * and `totalCount`, which runs its COUNT query only when it is selected.
 */
import type { ObjectRef } from '@pothos/core';
import { builder } from './builder.js';

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
