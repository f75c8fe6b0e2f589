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
  getArgumentValues,
  getNamedType,
  isCompositeType,
  locatedError,
  type ExecutionArgs,
  type FieldNode,
  type GraphQLError,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { rowBound, type RowBound } from '../schema/row-bounds.js';
import { badInput } from '../errors.js';
import type { GatewayContext } from './context.js';
import { listWeight, operationCost } from './query-cost-rule.js';
import { limitError } from './query-limits-plugin.js';
import { rowBytes } from './response-bytes.js';
import { parseQuery, rootFields, type ParsedQuery, type RootField } from './root-fields.js';

/** The most response one request may build, rows × the most bytes each can take. */
const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

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

/**
 * The estimate of each response key, and the row bound of each root field node (for
 * the cost); or the BAD_USER_INPUT error of an argument a bound could not accept.
 */
function estimate(request: ParsedQuery, context: GatewayContext) {
  const { schema, query, fragments, variables } = request;
  const measured = new Map<string, number>();
  const bounds = new Map<FieldNode, RowBound>();
  const perKey = new Map<string, Estimate>();
  for (const field of rootFields(request)) {
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
  const request = parseQuery(args);
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
