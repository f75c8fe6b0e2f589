/**
 * A validation rule bounding the cost of an operation, computed from its shape:
 * a leaf field costs 1, a field with a selection costs 2 plus 1.5 × the cost of
 * what it selects, so each level of nesting weighs more; aliases count every copy
 * and fragments are expanded where they are spread (an inline fragment or a spread
 * adds no level). Only a root field `__schema` is exempt (graphql-js'
 * MaxIntrospectionDepthRule bounds introspection); a fragment is never exempt,
 * whatever its name. Each fragment's cost is computed once (per level: root or
 * nested), so a document that spreads fragments inside fragments is measured in
 * linear time.
 *
 * List sizes count: a root field's selection weighs once per ROWS_PER_COST_UNIT rows
 * it can return (at least once), so 15 aliases of a 20 000-row list cost 40 times
 * what 15 pages of 500 cost. Rows depend on argument values, variables included, so
 * this validation rule (cached per document) sees the shape with every weight 1, a
 * lower bound; result-budget-plugin.ts checks the weighted cost at execution, once the
 * variables are known, before any resolver runs. Unlike graphql-armor cost-limit's
 * `first` multiplier, a page size given as a variable weighs the same as a literal.
 */
import {
  Kind,
  type ASTVisitor,
  type FieldNode,
  type GraphQLError,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

const LEAF_COST = 1;
const OBJECT_COST = 2;
const NESTING_FACTOR = 1.5;
/** One page at the default page-size cap: a list this long weighs what its shape costs. */
export const ROWS_PER_COST_UNIT = 500;

/** How many times a root field's selection weighs: its rows in units, at least 1. */
export type RootWeight = (field: FieldNode) => number;

/** The weight of a list of `rows` rows. */
export function listWeight(rows: number): number {
  return Math.max(1, rows / ROWS_PER_COST_UNIT);
}

type Level = 'operation' | 'root' | 'nested';

/** The cost of a selection set; `fragmentCost` gives a named fragment's at a level. */
function costOf(
  selectionSet: SelectionSetNode,
  fragmentCost: (name: string, root: boolean) => number,
  level: Level,
  weight: RootWeight,
): number {
  const inner: Level = level === 'nested' ? 'nested' : 'root';
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (level === 'operation' && selection.name.value === '__schema') continue;
      total += selection.selectionSet
        ? OBJECT_COST +
          NESTING_FACTOR *
            (level === 'nested' ? 1 : weight(selection)) *
            costOf(selection.selectionSet, fragmentCost, 'nested', weight)
        : LEAF_COST;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += costOf(selection.selectionSet, fragmentCost, inner, weight);
    } else {
      total += fragmentCost(selection.name.value, inner === 'root');
    }
  }
  return total;
}

/** The cost of the operation's root selection set, fragments expanded, root lists weighted. */
export function operationCost(
  selectionSet: SelectionSetNode,
  fragment: (name: string) => { selectionSet: SelectionSetNode } | null | undefined,
  weight: RootWeight = () => 1,
): number {
  const known = new Map<string, number>();
  const inProgress = new Set<string>();
  const fragmentCost = (name: string, root: boolean): number => {
    const key = `${root ? 'root' : 'nested'}:${name}`;
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    const definition = fragment(name);
    // Unknown and cyclic spreads are graphql-js' own validation errors; here they cost nothing.
    if (!definition || inProgress.has(key)) return 0;
    inProgress.add(key);
    const cost = costOf(definition.selectionSet, fragmentCost, root ? 'root' : 'nested', weight);
    inProgress.delete(key);
    known.set(key, cost);
    return cost;
  };
  return costOf(selectionSet, fragmentCost, 'operation', weight);
}

/** The rule: an operation costing more than `maxCost` gets the error `tooCostly(cost)`. */
export function queryCostRule(maxCost: number, tooCostly: (cost: number) => GraphQLError) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const cost = operationCost(operation.selectionSet, (name) => context.getFragment(name));
      if (cost > maxCost) context.reportError(tooCostly(Math.ceil(cost)));
      return false;
    },
  });
}
