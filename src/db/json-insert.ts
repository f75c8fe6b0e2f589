/**
 * Bulk inserts through JSON_TABLE: a batch travels as one JSON parameter that the
 * server unpacks, instead of one escaped placeholder per value. Building and
 * escaping millions of placeholders is what limits a multi-row VALUES insert in Node.
 * The JSON travels as bytes (a hex literal): escaping quotes character by character
 * in a megabyte string cost more than the server's whole JSON parse.
 * JSON_TABLE exists on MySQL 8.0 and MariaDB 10.6+; JSON null becomes SQL NULL.
 */
import { sql } from '@databases/mysql';
import type { Queryable } from '@databases/mysql';

export interface JsonColumn {
  name: string;
  /** The SQL type JSON_TABLE converts the value to, e.g. `BIGINT UNSIGNED`, `DATETIME(3)`. */
  type: string;
}

/** A Date as the DATETIME(3) text JSON_TABLE accepts (the session runs in UTC). */
export function toDateTimeText(date: Date | null): string | null {
  return date === null ? null : date.toISOString().slice(0, 23).replace('T', ' ');
}

/** Inserts `rows` (arrays in column order) into `table` with one statement. */
export async function insertJsonRows(
  db: Queryable,
  table: string,
  columns: readonly JsonColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = sql.join(
    columns.map((c) => sql.ident(c.name)),
    ', ',
  );
  // Types and paths come from code, never from input, and JSON_TABLE wants them as literals.
  const definitions = sql.join(
    columns.map((c, index) =>
      sql.__dangerous__rawValue(`\`${c.name}\` ${c.type} PATH '$[${index}]'`),
    ),
    ', ',
  );
  await db.query(sql`
    INSERT INTO ${sql.ident(table)} (${names})
    SELECT ${names} FROM JSON_TABLE(CONVERT(${Buffer.from(JSON.stringify(rows))} USING utf8mb4), '$[*]' COLUMNS (
      batch_order FOR ORDINALITY, ${definitions})) AS batch
    ORDER BY batch_order`);
}
