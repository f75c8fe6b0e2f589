/**
 * The core query of the paged per-entity views (reportsSummary per report,
 * userActivity per user): every base row matching the filter, outer-joined to its
 * executions aggregated inside the window, ordered by any measure, nulls last.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { aggregateExecutions } from './daily-parts.js';
import { isMeasure, measureColumns, type Measure } from './metrics.js';
import { withProjection, type ProjectionPlan } from './projection.js';
import { chooseSource } from './source-chooser.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

export interface SortKey {
  /** Measures the key reads, so the core computes them even when not selected. */
  measures: Measure[];
  /** The key over the view's own output columns at `alias` (the page, or the outer query). */
  expression: (alias: string) => SQLQuery;
}

export interface EntitySummary {
  /** `reports r` or `users u`: the base table and its alias. */
  from: SQLQuery;
  /** The base row's key, output as `keyName` (the relation's foreign key). */
  key: SQLQuery;
  keyName: string;
  /** The executions column pointing at the base row. */
  executionsFk: 'report_id' | 'executed_by';
  window: Window;
  /** The projection of the selection: which measures to compute, what to join. */
  plan: ProjectionPlan;
  /** Further select items and joins (sort columns, per-row counts). */
  columns: SQLQuery[];
  joins: SQLQuery[];
  conditions: SQLQuery[];
  sort: SortKey;
  direction: 'ASC' | 'DESC';
  limit: number;
  offset: number;
}

/** ORDER BY with nulls last in both directions and the key as the tie-break. */
function summaryOrder(
  summary: Pick<EntitySummary, 'sort' | 'direction' | 'keyName'>,
  alias: string,
) {
  const expression = summary.sort.expression(alias);
  const direction = summary.direction === 'ASC' ? sql`ASC` : sql`DESC`;
  return sql`(${expression}) IS NULL, ${expression} ${direction}, ${sql.ident(alias, summary.keyName)} ASC`;
}

/** The query of one page (`limit` rows from `offset`) with the selected related objects. */
export function compileEntitySummary(summary: EntitySummary) {
  const { plan } = summary;
  const measures = new Set([...[...plan.rootColumns].filter(isMeasure), ...summary.sort.measures]);
  const columns = [
    sql`${summary.key} AS ${sql.ident(summary.keyName)}`,
    ...measureColumns(measures, 'a'),
    ...summary.columns,
  ];
  const perKey = summary.executionsFk;
  const aggregate =
    measures.size === 0
      ? sql``
      : sql`LEFT JOIN (${aggregateExecutions(
          perKey,
          measures,
          summary.window,
          chooseSource({ measures, window: summary.window, perKey }).source,
        )}) a
          ON ${sql.ident('a', perKey)} = ${summary.key}`;
  const core = sql`
    SELECT s.* FROM (
      SELECT ${sql.join(columns, ', ')} FROM ${summary.from} ${aggregate} ${sql.join(summary.joins, sql` `)}
      WHERE ${allOf(summary.conditions)}
    ) s
    ORDER BY ${summaryOrder(summary, 's')}
    LIMIT ${summary.limit} OFFSET ${summary.offset}`;
  return { plan, query: withProjection(core, plan, summaryOrder(summary, 'v')) };
}
