/**
 * Relay's object identification: `interface Node { nodeId: ID! }`, a global id that
 * names the type and the decimal database id (`id` stays the decimal id, as the
 * contract has it), and `node(nodeId)` / `nodes(nodeIds)`, loaded through the
 * request's DataLoaders (a list of ids of one type is one query). Relay's compiler
 * takes it with `nodeInterfaceIdField: "nodeId"`, `nodeInterfaceIdVariableName: "nodeId"`.
 */
import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { badInput } from '../errors.js';
import { loadOrNull } from '../loaders/entity-loaders.js';
import type { GatewayContext } from '../server/context.js';
import { isId } from '../views/ids.js';
import { selectionOf } from '../views/selection.js';
import {
  aggregateNodeId,
  parseAggregateId,
  refetchAggregates,
  refetchCost,
  type AggregateRef,
} from './aggregate-identity.js';
import { builder } from './builder.js';

/** The node types and the loader each is fetched by. */
const NODE_LOADERS = { Report: 'report', User: 'user', Execution: 'execution' } as const;
type NodeType = keyof typeof NODE_LOADERS;

/** The global id of row `id` of `type`: base64url of `Type:id`. */
export function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** The type and database id a global id names, or BAD_USER_INPUT naming `argument`. */
export function parseGlobalId(argument: string, raw: string): { type: NodeType; id: string } {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const [type = '', id = ''] = text.split(':');
  if (!Object.hasOwn(NODE_LOADERS, type) || !isId(id) || globalId(type, id) !== raw) {
    const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
    throw badInput(argument, `${JSON.stringify(shown)} is not a nodeId of this API`);
  }
  return { type: type as NodeType, id };
}

/** The type of each value node() and nodes() returned: rows carry no type of their own. */
const typeOf = new WeakMap<object, string>();

export const Node = builder.interfaceRef<object>('Node').implement({
  description:
    "An object with a global id (Relay's object identification); refetch it with node(nodeId). " +
    'A row of a view is identified by its view, the arguments that shape its numbers (the ' +
    'window made absolute) and its key, so one report under two windows is two nodes.',
  fields: (t) => ({
    nodeId: t.id({
      description:
        'A global id, unique across types; on Report, User and Execution `id` is the decimal ' +
        'database id.',
      resolve: (row, _args, context, info) =>
        aggregateNodeId(info.parentType.name, row, context, info.schema) ??
        globalId(info.parentType.name, (row as { id: string }).id),
    }),
  }),
  resolveType: (row) => typeOf.get(row) ?? null,
});

/**
 * The objects of nodeIds in their order: entities through the loaders, aggregate rows
 * by running their views again (one run per view and arguments, at most
 * MAX_QUERY_ALIASES runs: as many as a request may name views).
 */
async function loadNodes(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  list: 'nodeId' | 'nodeIds',
  nodeIds: readonly string[],
): Promise<(object | null)[]> {
  const argument = (i: number) => (list === 'nodeIds' ? `nodeIds[${i}]` : list);
  const refs: (AggregateRef | undefined)[] = nodeIds.map((nodeId, i) =>
    parseAggregateId(argument(i), nodeId, info, context.now),
  );
  const aggregates = refs.filter((ref): ref is AggregateRef => ref !== undefined);
  // Every node and nodes field of the request adds to one count, checked before any SQL.
  const cost = refetchCost(aggregates, context);
  const spent = context.refetchSpent;
  spent.runs += cost.runs;
  spent.rows += cost.rows;
  const maxRuns = Math.max(1, context.config.queryLimits.maxAliases);
  if (spent.runs > maxRuns) {
    throw badInput(
      list,
      `rows of ${spent.runs} views or argument sets in this request; at most ${maxRuns} (MAX_QUERY_ALIASES)`,
    );
  }
  if (spent.rows > context.config.maxResultRows) {
    throw badInput(
      list,
      `refetching these rows runs views of up to ${spent.rows} rows in this request; at most ${context.config.maxResultRows} (MAX_RESULT_ROWS)`,
    );
  }
  const refetched = aggregates.length
    ? await refetchAggregates(context, aggregates, selectionOf(info))
    : [];
  const rowOf = new Map(aggregates.map((ref, i) => [ref, refetched[i] ?? null]));
  return Promise.all(
    nodeIds.map(async (nodeId, i) => {
      const ref = refs[i];
      const found = ref
        ? { type: ref.type, row: rowOf.get(ref)! }
        : await loadEntity(context, argument(i), nodeId);
      if (found.row) typeOf.set(found.row, found.type);
      return found.row;
    }),
  );
}

async function loadEntity(context: GatewayContext, argument: string, nodeId: string) {
  const { type, id } = parseGlobalId(argument, nodeId);
  const loader = context.loaders[NODE_LOADERS[type]] as DataLoader<string, { id: string }>;
  return { type, row: await loadOrNull(loader, id) };
}

builder.queryFields((t) => ({
  node: t.field({
    type: Node,
    nullable: true,
    description: 'The object of a nodeId, or null when it no longer exists.',
    args: { nodeId: t.arg.id({ required: true }) },
    resolve: async (_root, args, context, info) =>
      (await loadNodes(context, info, 'nodeId', [String(args.nodeId)]))[0] ?? null,
  }),
  nodes: t.field({
    type: [Node],
    nullable: { list: false, items: true },
    description:
      'The objects of nodeIds, in their order (null where one no longer exists); at most ' +
      'MAX_PAGE_SIZE ids.',
    args: { nodeIds: t.arg.idList({ required: true }) },
    resolve: (_root, args, context, info) => {
      const max = context.config.maxPageSize;
      if (args.nodeIds.length > max) {
        throw badInput('nodeIds', `at most ${max} ids, got ${args.nodeIds.length}`);
      }
      return loadNodes(context, info, 'nodeIds', args.nodeIds.map(String));
    },
  }),
}));
