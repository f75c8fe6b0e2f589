/**
 * The result budget, checked once the variables are known and before any resolver
 * runs (so before any SQL, and before either cache stores anything): each root field
 * of a query declares how many rows its arguments can return (schema/row-bounds.ts),
 * and a request whose fields together exceed MAX_RESULT_ROWS is refused with
 * BAD_USER_INPUT naming the argument of the largest one (`executionMetrics.granularity`,
 * `recentExecutions.first`); so is one whose rows could take more than 100 MiB of
 * response (response-bytes.ts). The same bounds weigh the root lists in the query cost
 * (query-cost-rule.ts): a request over MAX_QUERY_COST once its list sizes count is
 * refused with QUERY_TOO_COMPLEX, like one whose shape alone is too costly.
 */
import {
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  locatedError,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { rowBound, type RowBound } from '../schema/row-bounds.js';
import { badInput } from '../errors.js';
import { included } from '../views/selection.js';
import type { GatewayContext } from './context.js';
import { listWeight, operationCost } from './query-cost-rule.js';
import { limitError } from './query-limits-plugin.js';
import { rowBytes } from './response-bytes.js';

type Fragments = Record<string, FragmentDefinitionNode>;

/** The most response one request may build, rows × the most bytes each can take. */
const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

interface RootField {
  responseKey: string;
  node: FieldNode;
}

/** The root fields graphql-js will execute: fragments expanded, @skip/@include applied. */
function rootFields(
  set: SelectionSetNode,
  fragments: Fragments,
  variables: Record<string, unknown>,
  visited = new Set<string>(),
  into: RootField[] = [],
): RootField[] {
  for (const node of set.selections) {
    if (!included(node, variables)) continue;
    if (node.kind === Kind.FIELD) {
      into.push({ responseKey: node.alias?.value ?? node.name.value, node });
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      rootFields(node.selectionSet, fragments, variables, visited, into);
    } else if (!visited.has(node.name.value)) {
      // graphql-js executes a fragment spread twice in one selection set only once.
      visited.add(node.name.value);
      const fragment = fragments[node.name.value];
      if (fragment) rootFields(fragment.selectionSet, fragments, variables, visited, into);
    }
  }
  return into;
}

/** What one root field (one response key) can return. */
interface Estimate extends RootField {
  bound: RowBound;
  /** Rows × the most bytes one row of the selection can take. */
  bytes: number;
}

/** The argument path an error names: the field and the argument that sets its size. */
function argumentOf({ node, bound }: Estimate): string {
  return [node.name.value, bound.argument].filter(Boolean).join('.');
}

/** Refuses the request for its largest field: BAD_USER_INPUT naming that field's argument. */
function tooLarge(largest: Estimate, problem: string): GraphQLError {
  const error = badInput(argumentOf(largest), `${largest.bound.detail}. ${problem}`);
  return locatedError(error, [largest.node], [largest.responseKey]);
}

interface Parsed {
  schema: GraphQLSchema;
  query: GraphQLObjectType;
  operation: OperationDefinitionNode;
  fragments: Fragments;
  variables: Record<string, unknown>;
}

/** The query to estimate with its coerced variables; undefined for anything graphql-js refuses. */
function parse(args: ExecutionArgs): Parsed | undefined {
  const { schema, document } = args;
  const operation = getOperationAST(document, args.operationName);
  const query = schema.getQueryType();
  // Mutations return what their input holds; a missing operation is graphql-js' error.
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

/**
 * The estimate of each response key, and the row bound of each root field node (for
 * the cost); or the BAD_USER_INPUT error of an argument a bound could not accept.
 */
function estimate(request: Parsed, context: GatewayContext) {
  const { schema, query, operation, fragments, variables } = request;
  const measured = new Map<string, number>();
  const bounds = new Map<FieldNode, RowBound>();
  const perKey = new Map<string, Estimate>();
  for (const field of rootFields(operation.selectionSet, fragments, variables)) {
    const definition = query.getFields()[field.node.name.value];
    if (!definition) continue; // __typename, __schema, __type
    let bound: RowBound;
    try {
      bound = rowBound(
        definition.name,
        getArgumentValues(definition, field.node, variables),
        context,
      );
    } catch (error) {
      return locatedError(error, [field.node], [field.responseKey]);
    }
    bounds.set(field.node, bound);
    const type = getNamedType(definition.type);
    const bytes =
      field.node.selectionSet && isCompositeType(type)
        ? bound.rows * rowBytes(schema, type, field.node.selectionSet, fragments, measured)
        : 0;
    // Fields merged under one response key run once, their selections merged.
    const merged = perKey.get(field.responseKey);
    if (merged) merged.bytes += bytes;
    else perKey.set(field.responseKey, { ...field, bound, bytes });
  }
  return { estimates: [...perKey.values()], bounds };
}

/** The error refusing this execution before it starts, or undefined to let it run. */
function refusal(args: ExecutionArgs, context: GatewayContext): GraphQLError | undefined {
  const request = parse(args);
  if (!request) return undefined;
  const estimated = estimate(request, context);
  if (estimated instanceof Error) return estimated;
  const { estimates, bounds } = estimated;
  const largest = (size: (estimate: Estimate) => number) =>
    estimates.reduce((a, b) => (size(b) > size(a) ? b : a));

  const budget = context.config.maxResultRows;
  const rows = estimates.reduce((sum, estimate) => sum + estimate.bound.rows, 0);
  if (rows > budget) {
    return tooLarge(
      largest((e) => e.bound.rows),
      `The request asks for ${rows} rows in all; at most ${budget} (MAX_RESULT_ROWS)`,
    );
  }
  const bytes = estimates.reduce((sum, estimate) => sum + estimate.bytes, 0);
  if (bytes > MAX_RESPONSE_BYTES) {
    const mib = (n: number) => `${Math.ceil(n / 1024 / 1024)} MiB`;
    return tooLarge(
      largest((e) => e.bytes),
      `Its fields may answer up to ${mib(bytes)} in all (text fields hold up to 64 KiB); at most ${mib(MAX_RESPONSE_BYTES)}`,
    );
  }
  const { maxCost } = context.config.queryLimits;
  const cost = operationCost(
    request.operation.selectionSet,
    (name) => request.fragments[name],
    (node) => listWeight(bounds.get(node)?.rows ?? 1),
  );
  if (cost > maxCost) {
    return limitError(
      'cost',
      maxCost,
      `Query cost limit of ${maxCost} exceeded, found ${Math.ceil(cost)} (list sizes counted).`,
    );
  }
  return undefined;
}

/** The yoga plugin. */
export function resultBudgetPlugin(): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // envelop types these loosely; they are graphql-js' execution arguments.
      const execution = args as ExecutionArgs;
      const error = refusal(execution, execution.contextValue as GatewayContext);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
