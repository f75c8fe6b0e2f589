/**
 * Relay's object identification: `interface Node { nodeId: ID! }`, a global id that
 * names the type and the decimal database id (`id` stays the decimal id, as the
 * contract has it), and `node(nodeId)` / `nodes(nodeIds)`, loaded through the
 * request's DataLoaders (a list of ids of one type is one query). Relay's compiler
 * takes it with `nodeInterfaceIdField: "nodeId"`, `nodeInterfaceIdVariableName: "nodeId"`.
 */
import type DataLoader from 'dataloader';
import { badInput } from '../errors.js';
import { loadOrNull, type Loaders } from '../loaders/entity-loaders.js';
import { isId } from '../views/ids.js';
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
const typeOf = new WeakMap<object, NodeType>();

export const Node = builder.interfaceRef<{ id: string }>('Node').implement({
  description:
    "An object with a global id (Relay's object identification); refetch it with node(nodeId).",
  fields: (t) => ({
    nodeId: t.id({
      description: 'A global id, unique across types; `id` is the decimal database id.',
      resolve: (row, _args, _context, info) => globalId(info.parentType.name, row.id),
    }),
  }),
  resolveType: (row) => typeOf.get(row) ?? null,
});

async function loadNode(loaders: Loaders, argument: string, nodeId: string) {
  const { type, id } = parseGlobalId(argument, nodeId);
  const loader = loaders[NODE_LOADERS[type]] as DataLoader<string, { id: string }>;
  const row = await loadOrNull(loader, id);
  if (row) typeOf.set(row, type);
  return row;
}

builder.queryFields((t) => ({
  node: t.field({
    type: Node,
    nullable: true,
    description: 'The object of a nodeId, or null when it no longer exists.',
    args: { nodeId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => loadNode(context.loaders, 'nodeId', String(args.nodeId)),
  }),
  nodes: t.field({
    type: [Node],
    nullable: { list: false, items: true },
    description:
      'The objects of nodeIds, in their order (null where one no longer exists); at most ' +
      'MAX_PAGE_SIZE ids.',
    args: { nodeIds: t.arg.idList({ required: true }) },
    resolve: (_root, args, context) => {
      const max = context.config.maxPageSize;
      if (args.nodeIds.length > max) {
        throw badInput('nodeIds', `at most ${max} ids, got ${args.nodeIds.length}`);
      }
      return Promise.all(
        args.nodeIds.map((nodeId, i) => loadNode(context.loaders, `nodeIds[${i}]`, String(nodeId))),
      );
    },
  }),
}));
