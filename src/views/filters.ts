/**
 * Filter arguments turned into SQL conditions. Filters on a related object's id
 * (reportIds, ownerIds, executedByIds) constrain the foreign-key column itself,
 * so they never need a join.
 */
import type { SQLQuery } from '@databases/mysql';
import { badInput } from '../errors.js';
import { parseIds } from './ids.js';
import { col, inList } from './sql-helpers.js';
import { sql } from '@databases/mysql';

/**
 * The most values one filter list takes: enough for any hand-made or pasted list, and far
 * below where a statement grows too large to build (@databases/sql spreads a query's parts
 * into function arguments, which overflows the stack at about 60 000 ids).
 */
export const MAX_FILTER_VALUES = 10_000;

/** `column IN (values)` for a filter list of `argument`, at most MAX_FILTER_VALUES long. */
export function valuesIn(column: SQLQuery, argument: string, values: readonly string[]): SQLQuery {
  if (values.length > MAX_FILTER_VALUES) {
    throw badInput(argument, `at most ${MAX_FILTER_VALUES} values, got ${values.length}`);
  }
  return inList(column, values);
}

/** `column IN (ids)` for a filter list of ids, each checked, at most MAX_FILTER_VALUES. */
export function idsIn(
  column: SQLQuery,
  argument: string,
  ids: readonly (string | number)[],
): SQLQuery {
  return inList(column, parseIds(argument, ids, MAX_FILTER_VALUES));
}

export interface ReportFilterInput {
  reportIds?: readonly (string | number)[] | null;
  categories?: readonly string[] | null;
  providers?: readonly string[] | null;
  ownerIds?: readonly (string | number)[] | null;
  active?: boolean | null;
}

export interface ExecutionFilterInput {
  reportIds?: readonly (string | number)[] | null;
  executedByIds?: readonly (string | number)[] | null;
  statuses?: readonly string[] | null;
  providers?: readonly string[] | null;
  categories?: readonly string[] | null;
}

/**
 * Conditions on the reports table (alias `r`). `reportIdColumn` lets a query over
 * executions filter report ids on its own foreign key instead of joining reports.
 */
export function reportConditions(
  r: string,
  filter: ReportFilterInput | null | undefined,
  reportIdColumn: SQLQuery = col(r, 'id'),
): SQLQuery[] {
  const conditions: SQLQuery[] = [];
  if (!filter) return conditions;
  if (filter.reportIds)
    conditions.push(idsIn(reportIdColumn, 'filter.reportIds', filter.reportIds));
  if (filter.ownerIds)
    conditions.push(idsIn(col(r, 'owner_id'), 'filter.ownerIds', filter.ownerIds));
  if (filter.categories)
    conditions.push(valuesIn(col(r, 'category'), 'filter.categories', filter.categories));
  if (filter.providers)
    conditions.push(valuesIn(col(r, 'provider'), 'filter.providers', filter.providers));
  if (filter.active !== undefined && filter.active !== null) {
    conditions.push(sql`${col(r, 'is_active')} = ${filter.active}`);
  }
  return conditions;
}

/** True when a report filter reads columns of the reports table besides the id. */
export function needsReportColumns(filter: ReportFilterInput | null | undefined): boolean {
  return Boolean(
    filter &&
    (filter.categories || filter.providers || filter.ownerIds || (filter.active ?? null) !== null),
  );
}

/** Conditions on executions (alias `e`); provider/category need the reports table (alias `r`). */
export function executionConditions(
  e: string,
  r: string,
  filter: ExecutionFilterInput | null | undefined,
): { conditions: SQLQuery[]; needsReports: boolean } {
  const conditions: SQLQuery[] = [];
  if (!filter) return { conditions, needsReports: false };
  if (filter.reportIds)
    conditions.push(idsIn(col(e, 'report_id'), 'filter.reportIds', filter.reportIds));
  if (filter.executedByIds)
    conditions.push(idsIn(col(e, 'executed_by'), 'filter.executedByIds', filter.executedByIds));
  if (filter.statuses)
    conditions.push(valuesIn(col(e, 'status'), 'filter.statuses', filter.statuses));
  if (filter.providers)
    conditions.push(valuesIn(col(r, 'provider'), 'filter.providers', filter.providers));
  if (filter.categories)
    conditions.push(valuesIn(col(r, 'category'), 'filter.categories', filter.categories));
  return { conditions, needsReports: Boolean(filter.providers || filter.categories) };
}
