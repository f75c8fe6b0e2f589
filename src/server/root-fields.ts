/**
 * The root fields of a query as graphql-js will execute them: fragments expanded,
 * @skip/@include applied under the coerced variables. Both the result budget (which
 * bounds each root field before any resolver runs) and the response cache (which
 * stores a response only when every root field is a cached view) walk them.
 */
import {
  Kind,
  OperationTypeNode,
  getOperationAST,
  getVariableValues,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { included } from '../views/selection.js';

export type Fragments = Record<string, FragmentDefinitionNode>;

export interface RootField {
  responseKey: string;
  node: FieldNode;
}

export interface ParsedQuery {
  schema: GraphQLSchema;
  query: GraphQLObjectType;
  operation: OperationDefinitionNode;
  fragments: Fragments;
  variables: Record<string, unknown>;
}

// Per execution: the result budget, the response cache and HTTP caching each ask for it,
// with the same arguments object.
const parsed = new WeakMap<ExecutionArgs, ParsedQuery | undefined>();

/** The query with its coerced variables; undefined for anything graphql-js refuses. */
export function parseQuery(args: ExecutionArgs): ParsedQuery | undefined {
  if (!parsed.has(args)) parsed.set(args, parse(args));
  return parsed.get(args);
}

function parse(args: ExecutionArgs): ParsedQuery | undefined {
  const { schema, document } = args;
  const operation = getOperationAST(document, args.operationName);
  const query = schema.getQueryType();
  // Mutations and subscriptions are not queries; a missing operation is graphql-js' error.
  if (operation?.operation !== OperationTypeNode.QUERY || !query) return undefined;
  const variables = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (args.variableValues as Record<string, unknown> | null | undefined) ?? {},
    { maxErrors: 1 },
  );
  // Variables that do not coerce stop graphql-js before any resolver: it reports them.
  if (variables.errors) return undefined;
  const fragments: Fragments = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return { schema, query, operation, fragments, variables: variables.coerced };
}

/** The root fields graphql-js will execute, in order (one response key may repeat). */
export function rootFields({ operation, fragments, variables }: ParsedQuery): RootField[] {
  const into: RootField[] = [];
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const node of set.selections) {
      if (!included(node, variables)) continue;
      if (node.kind === Kind.FIELD) {
        into.push({ responseKey: node.alias?.value ?? node.name.value, node });
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        walk(node.selectionSet);
      } else if (!visited.has(node.name.value)) {
        // graphql-js executes a fragment spread twice in one selection set only once.
        visited.add(node.name.value);
        const fragment = fragments[node.name.value];
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return into;
}
