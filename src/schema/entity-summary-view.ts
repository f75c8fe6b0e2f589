/**
 * What `reportsSummary` and `userActivity` share: a per-entity summary view paged by
 * keyset as of its first page (its window resolved at that page's clock), cached, its
 * rows identified for node(), which reads only the entities asked for.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { cachedView } from '../cache/cached-view.js';
import type { Database } from '../db/pool.js';
import type { GatewayContext } from '../server/context.js';
import type { PositionedRow, SortKind, SummaryPage } from '../views/entity-summary.js';
import type { RowModel } from '../views/model.js';
import { listClock, type PageArguments } from '../views/pagination.js';
import { tablesRead } from '../views/projection.js';
import { at, selectionOf, type Selection } from '../views/selection.js';
import { resolveWindow, type TimeWindowInput, type Window } from '../views/time-window.js';
import { aggregateIdentity, identify, isIdKey, restrictedIds } from './aggregate-identity.js';
import { summaryConnection, summaryCursors } from './connection.js';

interface Order<Field extends string> {
  field: Field;
  direction: 'ASC' | 'DESC';
}

interface SummaryArguments<Filter, Field extends string> {
  window: Window;
  filter?: Filter | null;
  orderBy: Order<Field>;
  page: SummaryPage;
}

export interface EntitySummaryView<
  Row extends object,
  Filter extends object,
  Field extends string,
  Summary = never,
> {
  /** The root field, and the row type it lists. */
  view: string;
  type: string;
  defaultWindow: string;
  /** The tables the view reads whatever the selection, and its row model. */
  tables: readonly string[];
  rowModel: RowModel;
  /** The filter's id list, which a refetch narrows to the ids asked for. */
  idsField: keyof Filter & string;
  key: (row: Row) => string;
  sortKind: (field: Field) => SortKind;
  fetch: (
    db: Database,
    args: SummaryArguments<Filter, Field>,
    selection: Selection,
  ) => Promise<PositionedRow<Row>[]>;
  count: (db: Database, filter: Filter | null | undefined) => Promise<number>;
  /**
   * A field of the connection over the whole list, not the page (userActivity's
   * segments): computed when selected, cached with the page.
   */
  summary?: {
    field: string;
    compute: (db: Database, window: Window, filter: Filter | null | undefined) => Promise<Summary>;
  };
}

/**
 * Declares the view's row identity and returns its field resolver; `Field` is the
 * view's order fields, which include EXECUTIONS (the default) and ID (a refetch's).
 */
export function entitySummaryView<
  Row extends object,
  Filter extends object,
  Field extends string,
  Summary = never,
>(spec: EntitySummaryView<Row, Filter, Field, Summary>) {
  aggregateIdentity<Row>(spec.type, {
    view: spec.view,
    defaultWindow: spec.defaultWindow,
    shaping: ['filter'],
    key: spec.key,
    validKey: isIdKey,
    refetch: async (context, args, keys, selection) => {
      const filter = args.filter as Filter | null | undefined;
      const listed = filter?.[spec.idsField] as readonly string[] | null | undefined;
      const ids = restrictedIds(listed, keys);
      const rows = await spec.fetch(
        context.db,
        {
          window: args.window,
          filter: { ...filter, [spec.idsField]: ids } as Filter,
          orderBy: { field: 'ID' as Field, direction: 'ASC' },
          page: { backward: false, limit: ids.length },
        },
        selection,
      );
      return rows.map((found) => found.row);
    },
  });

  return async function resolve(
    args: PageArguments & {
      window?: TimeWindowInput | null;
      filter?: Filter | null;
      orderBy?: Order<Field> | null;
    },
    context: GatewayContext,
    info: GraphQLResolveInfo,
  ) {
    const orderBy: Order<Field> = args.orderBy ?? {
      field: 'EXECUTIONS' as Field,
      direction: 'DESC',
    };
    const selection = selectionOf(info);
    const node = at(selection, 'edges', 'node');
    const tables = tablesRead(spec.tables, spec.rowModel, node);
    // A later page covers the window its list's first page covered.
    const cursors = summaryCursors(spec.view, args, spec.sortKind(orderBy.field));
    const windowAt = (clock: Date) => resolveWindow(args.window, spec.defaultWindow, clock);
    windowAt(cursors.clock ?? context.now);
    const { value: connection, clock } = await cachedView(
      context,
      info,
      args,
      tables,
      async (now) => {
        const summary =
          spec.summary && selection.has(spec.summary.field) ? spec.summary : undefined;
        const rowsSelected = selection.has('edges') || selection.has('pageInfo');
        const [connection, summarised] = await Promise.all([
          summaryConnection(
            spec.view,
            args,
            context.config.maxPageSize,
            cursors,
            listClock(args.window, now),
            // A request for the count or the summary alone reads no page.
            (page) =>
              rowsSelected
                ? spec.fetch(
                    context.db,
                    { window: windowAt(now), filter: args.filter, orderBy, page },
                    node,
                  )
                : Promise.resolve([]),
            () => spec.count(context.db, args.filter),
            selection.has('totalCount'),
          ),
          summary?.compute(context.db, windowAt(now), args.filter),
        ]);
        return { ...connection, summary: summarised };
      },
      cursors.clock ?? undefined,
    );
    const rows = connection.edges.map((edge) => edge.node);
    identify(context, spec.type, args, windowAt(clock), rows);
    return connection;
  };
}
