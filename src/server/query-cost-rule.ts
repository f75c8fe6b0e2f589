/**
 * A validation rule bounding the cost of an operation, computed from its shape:
 * a leaf field costs 1, a field with a selection costs 2 plus 1.5 × the cost of
 * what it selects, so each level of nesting weighs more; aliases count every copy
 * and fragments are expanded where they are spread (an inline fragment or a spread
 * adds no level). It is graphql-armor cost-limit's model without its `first`
 * multiplier, which counts `first: 500` 500 times but `first: $n` once: here the same
 * request costs the same however its page size is written (pages are capped by
 * MAX_PAGE_SIZE anyway). Only a root field `__schema` is exempt (graphql-js'
 * MaxIntrospectionDepthRule bounds introspection); a fragment is never exempt,
 * whatever its name. Each fragment's cost is computed once, so a document that
 * spreads fragments inside fragments is measured in linear time.
 */
import {
  Kind,
  type ASTVisitor,
  type GraphQLError,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

const LEAF_COST = 1;
const OBJECT_COST = 2;
const NESTING_FACTOR = 1.5;

/** The cost of a selection set; `fragmentCost` gives a named fragment's. */
function costOf(
  selectionSet: SelectionSetNode,
  fragmentCost: (name: string) => number,
  isRoot = false,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isRoot && selection.name.value === '__schema') continue;
      total += selection.selectionSet
        ? OBJECT_COST + NESTING_FACTOR * costOf(selection.selectionSet, fragmentCost)
        : LEAF_COST;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += costOf(selection.selectionSet, fragmentCost);
    } else {
      total += fragmentCost(selection.name.value);
    }
  }
  return total;
}

/** The cost of the operation's root selection set, fragments expanded. */
export function operationCost(
  selectionSet: SelectionSetNode,
  fragment: (name: string) => { selectionSet: SelectionSetNode } | null | undefined,
): number {
  const known = new Map<string, number>();
  const inProgress = new Set<string>();
  const fragmentCost = (name: string): number => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const definition = fragment(name);
    // Unknown and cyclic spreads are graphql-js' own validation errors; here they cost nothing.
    if (!definition || inProgress.has(name)) return 0;
    inProgress.add(name);
    const cost = costOf(definition.selectionSet, fragmentCost);
    inProgress.delete(name);
    known.set(name, cost);
    return cost;
  };
  return costOf(selectionSet, fragmentCost, true);
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
