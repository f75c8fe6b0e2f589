/**
 * The ExecutionMetrics interface: the measures every aggregate view shares, with
 * the contract's formulas. View types implement it and add their own fields.
 */
import { PERCENTILES, PERCENTILE_FIELDS, metric, type MeasureRow } from '../views/metrics.js';
import { builder } from './builder.js';

export const ExecutionMetrics = builder.interfaceRef<MeasureRow>('ExecutionMetrics').implement({
  description:
    'Measures of a set of executions. Completed = success + failed + cancelled; rates are ' +
    'fractions in [0, 1] of the completed ones, null when none completed.',
  fields: (t) => ({
    executions: t.int({ resolve: (row) => metric.count(row, 'executions') }),
    successes: t.int({ resolve: (row) => metric.count(row, 'successes') }),
    failures: t.int({ resolve: (row) => metric.count(row, 'failures') }),
    successRate: t.float({
      nullable: true,
      description: 'successes ÷ completed.',
      resolve: (row) => metric.successRate(row),
    }),
    failureRate: t.float({
      nullable: true,
      description: 'failures ÷ completed.',
      resolve: (row) => metric.failureRate(row),
    }),
    avgDurationMs: t.float({
      nullable: true,
      description: 'Mean of the non-null durations.',
      resolve: (row) => metric.avgDurationMs(row),
    }),
    totalOutputBytes: t.field({
      type: 'BigInt',
      description: 'Exact sum of output sizes.',
      resolve: (row) => metric.totalOutputBytes(row),
    }),
    ...Object.fromEntries(
      Object.entries(PERCENTILE_FIELDS).map(([field, percent]) => [
        field,
        t.float({
          nullable: true,
          description:
            `The ${percent}th percentile of the non-null durations (nearest rank: the smallest ` +
            `duration d with at least ⌈${percent / 100}·n⌉ of the n durations ≤ d), read from ` +
            'duration histograms: within 0.8 % of the exact value, exact below 128 ms; null ' +
            'without durations.',
          resolve: (row) => {
            const values = row[PERCENTILES];
            // Each view attaches the percentiles its selection asks for.
            if (!values || !(percent in values)) throw new Error(`${field} was not computed`);
            return values[percent] ?? null;
          },
        }),
      ]),
    ),
  }),
});
