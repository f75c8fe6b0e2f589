/**
 * The core query of the paged per-entity views (reportsSummary per report,
 * userActivity per user): every base row matching the filter, outer-joined to its
 * executions aggregated inside the window, ordered by any measure, nulls last,
 * paged by keyset (the sort value and the key of the last row seen).
 *
 * A list is computed as of the newest execution id when its first page was read
 * (`asOf`, carried in its cursors): the executions inserted since then are taken away
 * from the groups they touch, so the order the first page was part of holds and no
 * row is seen twice or lost.
 */
import { sql, type Queryable, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readOne, readRows } from '../db/read.js';
import { badInput } from '../errors.js';
import { aggregateExecutions } from './daily-parts.js';
import {
  MEASURES,
  isMeasure,
  measureColumns,
  measureSelects,
  measuresAsOf,
  type Measure,
} from './metrics.js';
import { withProjection, type ProjectionPlan } from './projection.js';
import { chooseSource } from './source-chooser.js';
import { allOf } from './sql-helpers.js';
import type { Window } from './time-window.js';

/** How a sort value is read back from a cursor into SQL. */
export type SortKind = 'number' | 'datetime' | 'text';

export interface SortKey {
  /** Measures the key reads, so the core computes them even when not selected. */
  measures: Measure[];
  /** The key over the view's own output columns at `alias` (the page, or the outer query). */
  expression: (alias: string) => SQLQuery;
  kind: SortKind;
}

/** Where a page starts or ends: a row's sort value (text, null for none) and key. */
export interface SummaryPosition {
  value: string | null;
  key: string;
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
  page: SummaryPage;
}

/** One page: rows after `after` and before `before`, at most `limit`. */
export interface SummaryPage {
  after?: SummaryPosition;
  before?: SummaryPosition;
  /** Rows nearest `before` (or the end) first; the caller puts them back in list order. */
  backward: boolean;
  limit: number;
  /** The newest execution id of the list's first page; unset on a first page. */
  asOf?: string;
}

/** The sort value of a cursor as SQL of the expression's type. */
function sortValue(kind: SortKind, value: string): SQLQuery {
  if (kind === 'number') return sql`CAST(${value} AS DECIMAL(65, 30))`;
  if (kind === 'datetime') return sql`${new Date(value)}`;
  return sql`${value}`;
}

/**
 * Rows beyond `position` in the list's order (`forward`) or before it: the order is
 * nulls last, the value in `direction`, then the key ascending.
 */
function beyond(
  summary: EntitySummary,
  alias: string,
  position: SummaryPosition,
  forward: boolean,
): SQLQuery {
  const expression = summary.sort.expression(alias);
  const key = sql.ident(alias, summary.keyName);
  const keyValue = sql`CAST(${position.key} AS UNSIGNED)`;
  const keyBeyond = forward ? sql`${key} > ${keyValue}` : sql`${key} < ${keyValue}`;
  if (position.value === null) {
    return forward
      ? sql`(${expression} IS NULL AND ${keyBeyond})`
      : sql`(${expression} IS NOT NULL OR ${keyBeyond})`;
  }
  const value = sortValue(summary.sort.kind, position.value);
  const later = (summary.direction === 'DESC') === forward ? sql`<` : sql`>`;
  const valueBeyond = sql`(${expression} ${later} ${value} OR (${expression} = ${value} AND ${keyBeyond}))`;
  return forward
    ? sql`(${expression} IS NULL OR ${valueBeyond})`
    : sql`(${expression} IS NOT NULL AND ${valueBeyond})`;
}

/** ORDER BY with nulls last in both directions and the key as the tie-break (or all reversed). */
function summaryOrder(summary: EntitySummary, alias: string) {
  const expression = summary.sort.expression(alias);
  const reversed = summary.page.backward;
  const direction = (summary.direction === 'ASC') !== reversed ? sql`ASC` : sql`DESC`;
  const keyDirection = reversed ? sql`DESC` : sql`ASC`;
  return sql`(${expression}) IS NULL ${reversed ? sql`DESC` : sql`ASC`}, ${expression} ${direction}, ${sql.ident(alias, summary.keyName)} ${keyDirection}`;
}

/**
 * The executions per group inside the window, as of `asOf` when set: the groups
 * executions newer than it touch have those executions taken away.
 */
function executionsAsOf(summary: EntitySummary, measures: Set<Measure>): SQLQuery {
  const perKey = summary.executionsFk;
  const { window } = summary;
  const { source } = chooseSource({ measures, window, perKey });
  const current = aggregateExecutions(perKey, measures, window, source);
  const asOf = summary.page.asOf;
  if (asOf === undefined) return current;
  const group = sql.ident(perKey);
  const inWindow = sql`e.started_at >= ${window.from} AND e.started_at < ${window.to}`;
  const upTo = sql`CAST(${asOf} AS UNSIGNED)`;
  // Executions newer than asOf: few, read by primary key.
  const newer = sql`
    SELECT e.${group}, ${sql.join(measureSelects(measures), ', ')}
    FROM report_executions e
    WHERE e.id > ${upTo} AND e.${group} IS NOT NULL AND ${inWindow}
    GROUP BY e.${group}`;
  const recount = (measure: Measure) => sql`
    SELECT ${MEASURES[measure]} FROM report_executions e
    WHERE e.${group} = n.${group} AND ${inWindow} AND e.id <= ${upTo}`;
  return sql`
    SELECT n.${group}, ${sql.join(measuresAsOf(measures, recount), ', ')}
    FROM (${current}) n LEFT JOIN (${newer}) d ON d.${group} = n.${group}`;
}

/**
 * The query of one page with the selected related objects. Each row also carries its
 * `sort_value` and the list's `as_of` (read in the same statement, so the same snapshot
 * as the numbers), which the page's cursors hold.
 */
export function compileEntitySummary(summary: EntitySummary) {
  const { plan, page } = summary;
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
      : sql`LEFT JOIN (${executionsAsOf(summary, measures)}) a
          ON ${sql.ident('a', perKey)} = ${summary.key}`;
  const bounds = [
    ...(page.after ? [beyond(summary, 's', page.after, true)] : []),
    ...(page.before ? [beyond(summary, 's', page.before, false)] : []),
  ];
  const asOf =
    page.asOf === undefined
      ? sql`(SELECT COALESCE(MAX(id), 0) FROM report_executions)`
      : sql`CAST(${page.asOf} AS UNSIGNED)`;
  const core = sql`
    SELECT s.*, ${summary.sort.expression('s')} AS sort_value, ${asOf} AS as_of FROM (
      SELECT ${sql.join(columns, ', ')} FROM ${summary.from} ${aggregate} ${sql.join(summary.joins, sql` `)}
      WHERE ${allOf(summary.conditions)}
    ) s
    WHERE ${allOf(bounds)}
    ORDER BY ${summaryOrder(summary, 's')}
    LIMIT ${page.limit}`;
  return { plan, query: withProjection(core, plan, summaryOrder(summary, 'v')) };
}

/** A row of a page with its position and the execution id the list is computed as of. */
export interface PositionedRow<Row> {
  row: Row;
  position: SummaryPosition;
  asOf: string;
}

/**
 * The most executions written since a list's first page that a later page takes away:
 * it bounds the work of a page computed as of an old (or forged) cursor.
 */
export const MAX_NEWER_EXECUTIONS = 50_000;

/** Refuses a page whose list is as of a moment more than MAX_NEWER_EXECUTIONS writes ago. */
async function checkSnapshotAge(
  db: Database,
  page: SummaryPage,
  connection?: Queryable,
): Promise<void> {
  if (page.asOf === undefined) return;
  // At most MAX_NEWER_EXECUTIONS + 1 primary-key entries are read, however old the cursor.
  const beyond = await readOne(
    db,
    sql`SELECT id FROM report_executions WHERE id > CAST(${page.asOf} AS UNSIGNED)
        ORDER BY id LIMIT 1 OFFSET ${MAX_NEWER_EXECUTIONS}`,
    connection,
  );
  if (beyond) {
    const argument = page.after ? 'after' : 'before';
    throw badInput(
      argument,
      `this cursor's list was computed more than ${MAX_NEWER_EXECUTIONS} executions ago; ` +
        `start again without ${argument}`,
    );
  }
}

/** Runs a compiled page: rows rebuilt by the projection, each with its position. */
export async function fetchEntitySummary<Row>(
  db: Database,
  compiled: { plan: ProjectionPlan; query: SQLQuery },
  keyName: string,
  page: SummaryPage,
  connection?: Queryable,
): Promise<PositionedRow<Row>[]> {
  await checkSnapshotAge(db, page, connection);
  type Value = string | number | bigint | Date | null;
  const raw = await readRows<Record<string, unknown> & { sort_value: Value }>(
    db,
    compiled.query,
    connection,
  );
  return raw.map((row) => {
    const value = row.sort_value;
    return {
      row: compiled.plan.read(row) as Row,
      position: {
        value: value === null ? null : value instanceof Date ? value.toISOString() : String(value),
        key: String(row[keyName]),
      },
      asOf: String(row.as_of),
    };
  });
}
