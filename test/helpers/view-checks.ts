/**
 * Checks of the views against their plain-SQL oracles (test/helpers/view-oracle.ts):
 * one GraphQL request each, its oracle, and a comparison that names the first row
 * where an answer differs.
 */
import type mysql from 'mysql2/promise';

/** One view request and the oracle of its answer. */
export interface Check {
  view: string;
  args: Record<string, unknown>;
  query: string;
  expected(connection: mysql.Connection): Promise<unknown>;
}

const ARG_TYPES: Record<string, string> = {
  window: 'TimeWindow',
  first: 'Int',
  filter: 'ReportFilter',
  orderBy: 'ReportsSummaryOrder',
  granularity: 'Granularity!',
  groupBy: '[MetricDimension!]',
  pattern: 'TrendPattern!',
  longRunningMs: 'Int!',
  failureRateThreshold: 'Float!',
  minExecutions: 'Int!',
  inactiveDays: 'Int!',
  p95ThresholdMs: 'Int!',
};

export function check(
  view: string,
  args: Record<string, unknown>,
  selection: string,
  expected: Check['expected'],
): Check {
  const names = Object.keys(args);
  const definitions = names.map((n) => `$${n}: ${ARG_TYPES[n]}`).join(', ');
  const passed = names.map((n) => `${n}: $${n}`).join(', ');
  return {
    view,
    args,
    query: `query (${definitions}) { ${view}(${passed}) { ${selection} } }`,
    expected,
  };
}

/** JSON with every object's keys sorted: equal values print alike whatever their field order. */
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );

/** The first place two answers differ, and the row (list element) that holds it. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (canonical(expected) === canonical(actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i += 1) {
      const inner = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (inner === undefined) continue;
      // The deepest row wins: a difference inside a nested list names that list's row.
      return inner.startsWith('row ')
        ? inner
        : `row ${path}[${i}]: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(actual[i])}`;
    }
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const inner = firstDifference(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
      );
      if (inner !== undefined) return inner;
    }
  }
  return `${path || 'answer'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
