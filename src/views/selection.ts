/**
 * The GraphQL selection as a tree of field names (aliases and fragments merged,
 * @skip/@include applied): what the compiler reads to decide which columns and
 * joins a request needs.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

export type Selection = Map<string, Selection>;

/** False when @skip or @include leaves the node out under these variables. */
export function included(
  node: FieldNode | FragmentSpreadNode | InlineFragmentNode,
  variables: Record<string, unknown>,
) {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.if !== false;
}

type Fragments = GraphQLResolveInfo['fragments'];
type Variables = Record<string, unknown>;

function collect(
  set: SelectionSetNode | undefined,
  info: { fragments: Fragments; variableValues: Variables },
  into: Selection,
) {
  for (const node of set?.selections ?? []) {
    if (!included(node, info.variableValues)) continue;
    if (node.kind === Kind.FIELD) {
      const child = into.get(node.name.value) ?? new Map<string, Selection>();
      into.set(node.name.value, child);
      collect(node.selectionSet, info, child);
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      collect(node.selectionSet, info, into);
    } else {
      collect(info.fragments[node.name.value]?.selectionSet, info, into);
    }
  }
}

/** The selection below the given field nodes. */
export function selectionBelow(
  fieldNodes: readonly FieldNode[],
  fragments: Fragments = {},
  variableValues: Variables = {},
): Selection {
  const root: Selection = new Map();
  for (const node of fieldNodes) collect(node.selectionSet, { fragments, variableValues }, root);
  return root;
}

/** The selection below the field being resolved. */
export function selectionOf(info: GraphQLResolveInfo): Selection {
  return selectionBelow(info.fieldNodes, info.fragments, info.variableValues);
}

/** The sub-selection at a path (`edges`, `node`), empty when not selected. */
export function at(selection: Selection, ...path: string[]): Selection {
  let current = selection;
  for (const name of path) current = current.get(name) ?? new Map<string, Selection>();
  return current;
}

/** True when a relation is asked only for `id` (and `__typename`): its foreign key answers it. */
export function asksOnlyId(selection: Selection): boolean {
  return [...selection.keys()].every((name) => name === 'id' || name === '__typename');
}
