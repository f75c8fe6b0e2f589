/** Small builders for the SQL fragments every view query shares. */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readOne } from '../db/read.js';

/** `column IN (…)`, or FALSE for an empty list (MySQL rejects `IN ()`). */
export function inList(column: SQLQuery, values: readonly (string | number)[]): SQLQuery {
  if (values.length === 0) return sql`FALSE`;
  return sql`${column} IN (${sql.join(
    values.map((value) => sql`${value}`),
    ', ',
  )})`;
}

/** Joins conditions with AND; TRUE when there are none. */
export function allOf(conditions: SQLQuery[]): SQLQuery {
  return conditions.length === 0 ? sql`TRUE` : sql.join(conditions, ' AND ');
}

/** A qualified column reference, `alias`.`column`. */
export function col(alias: string, column: string): SQLQuery {
  return sql.ident(alias, column);
}

/** `SELECT COUNT(*) FROM … WHERE …`: the totalCount of a connection. */
export async function countWhere(
  db: Database,
  from: SQLQuery,
  conditions: SQLQuery[],
): Promise<number> {
  const row = await readOne<{ total: string }>(
    db,
    sql`SELECT COUNT(*) AS total FROM ${from} WHERE ${allOf(conditions)}`,
  );
  return Number(row?.total ?? 0);
}
