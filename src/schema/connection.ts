/**
 * Relay-style connections: `edges { cursor node }`, `pageInfo { hasNextPage
 * hasPreviousPage startCursor endCursor }` and `totalCount`, whose COUNT query runs only
 * when it is selected (in parallel with the page, so the whole connection is one
 * cacheable value).
 */
import type { ObjectRef } from '@pothos/core';
import type { PositionedRow, SortKind, SummaryPage } from '../views/entity-summary.js';
import {
  argumentsTag,
  pageRequest,
  parseSummaryCursor,
  summaryCursor,
  toPage,
  type PageArguments,
} from '../views/pagination.js';
import { badInput } from '../errors.js';
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

/**
 * Defines `<Name>Connection` and `<Name>Edge` for a node type, a Relay connection;
 * `Extra` is what a view adds to it (userActivity's segments).
 */
export function connectionType<Node, Extra extends object = object>(
  name: string,
  node: ObjectRef<typeof builder.$inferSchemaTypes, Node>,
) {
  const edge = builder.objectRef<{ cursor: string; node: Node }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.expose('node', { type: node }),
    }),
  });
  return builder.objectRef<ConnectionShape<Node> & Extra>(`${name}Connection`).implement({
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

/** The cursors of a request to a per-entity view, checked before any SQL. */
export type SummaryCursors = ReturnType<typeof summaryCursors>;

/**
 * Decodes `after` and `before` of a per-entity view ordered by a value of `sortKind`;
 * given together they must come from one list (one as-of id and clock), whose clock
 * the page's window is resolved at.
 */
export function summaryCursors(view: string, args: PageArguments, sortKind: SortKind) {
  const tag = argumentsTag(args as Record<string, unknown>);
  const cursor = (text: string | null | undefined, argument: 'after' | 'before') =>
    text ? parseSummaryCursor(view, tag, sortKind, text, argument) : undefined;
  const after = cursor(args.after, 'after');
  const before = cursor(args.before, 'before');
  if (
    after &&
    before &&
    (after.asOf !== before.asOf || after.clock?.getTime() !== before.clock?.getTime())
  ) {
    throw badInput('before', 'after and before come from different pagings of the list');
  }
  return { tag, after, before, clock: (after ?? before)?.clock };
}

/**
 * One page of a per-entity view, paged by keyset: `first` rows after `after`, or the
 * `last` rows before `before` (or at the end). The cursors hold the execution id the
 * list's first page was computed as of and the clock its window was resolved at;
 * every later page is computed as of both. The count runs in parallel when totalCount
 * is selected.
 */
export async function summaryConnection<Node>(
  view: string,
  args: PageArguments,
  cap: number,
  cursors: SummaryCursors,
  clock: Date | null,
  fetch: (page: SummaryPage) => Promise<PositionedRow<Node>[]>,
  count: () => Promise<number>,
  countSelected: boolean,
): Promise<ConnectionShape<Node>> {
  const { size, backward } = pageRequest(args, cap);
  const { tag, after, before } = cursors;
  const [rows, totalCount] = await Promise.all([
    fetch({
      after: after?.position,
      before: before?.position,
      backward,
      limit: size + 1,
      asOf: (after ?? before)?.asOf,
    }),
    countSelected ? count() : null,
  ]);
  const page = toPage(rows, size);
  // Backwards the rows came nearest-the-end first, and one more means more before them.
  const nodes = backward ? page.nodes.reverse() : page.nodes;
  return {
    edges: nodes.map(({ row, position, asOf }) => ({
      node: row,
      cursor: summaryCursor(view, tag, position, asOf, clock),
    })),
    hasNextPage: backward ? before !== undefined : page.hasNextPage,
    hasPreviousPage: backward ? page.hasNextPage : after !== undefined,
    totalCount,
  };
}
