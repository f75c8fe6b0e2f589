/** Shared pieces of the batch writes: row tuples, chunking, existing-id checks. */
import { sql, type SQLQuery, type Transaction } from '@databases/mysql';
import { queryRows } from '../db/pool.js';
import { badInput } from '../errors.js';
import { inList } from '../views/sql-helpers.js';

const ENTITY: Record<string, string> = {
  reports: 'report',
  users: 'user',
  report_executions: 'execution',
};

/** `(v1, v2, …), (…)` for a multi-row VALUES list. */
export function tuples(rows: readonly (readonly unknown[])[]): SQLQuery {
  return sql.join(
    rows.map(
      (values) =>
        sql`(${sql.join(
          values.map((value) => sql`${value}`),
          ', ',
        )})`,
    ),
    ', ',
  );
}

/** Splits rows into statements of at most `size` rows. */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += size)
    result.push(rows.slice(start, start + size));
  return result;
}

/**
 * Locks the rows of `table` with the given ids until the transaction ends (shared
 * for rows only referred to, exclusive for rows about to change) and fails naming
 * the first row index whose id does not exist.
 */
export async function lockExisting<Row extends { id: string }>(
  tx: Transaction,
  table: string,
  columns: SQLQuery,
  ids: readonly (string | null)[],
  field: (index: number) => string,
  lock: 'shared' | 'exclusive' = 'exclusive',
): Promise<Map<string, Row>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await queryRows<Row>(
    tx,
    sql`SELECT ${columns} FROM ${sql.ident(table)} WHERE ${inList(sql.ident('id'), wanted)}
      ${lock === 'shared' ? sql`LOCK IN SHARE MODE` : sql`FOR UPDATE`}`,
  );
  const found = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.findIndex((id) => id !== null && !found.has(id));
  if (missing >= 0)
    throw badInput(field(missing), `no ${ENTITY[table] ?? table} has id ${ids[missing]}`);
  return found;
}

/**
 * Writes rows that carry an id with INSERT … ON DUPLICATE KEY UPDATE (updating, or
 * creating with that id) and rows without one with a plain multi-row INSERT, whose
 * new ids are consecutive from LAST_INSERT_ID(). Returns each row's id in input order.
 */
export async function upsertById(
  tx: Transaction,
  table: string,
  columns: readonly string[],
  rows: readonly { id: string | null; values: readonly unknown[] }[],
): Promise<string[]> {
  const names = sql.join(
    columns.map((c) => sql.ident(c)),
    ', ',
  );
  const withId = rows.filter((r) => r.id !== null);
  if (withId.length > 0) {
    const updates = sql.join(
      columns.map((c) => sql`${sql.ident(c)} = VALUES(${sql.ident(c)})`),
      ', ',
    );
    await tx.query(sql`
      INSERT INTO ${sql.ident(table)} (id, ${names}) VALUES ${tuples(withId.map((r) => [r.id, ...r.values]))}
      ON DUPLICATE KEY UPDATE ${updates}`);
  }
  const fresh = rows.filter((r) => r.id === null);
  let next = 0n;
  let step = 1n;
  if (fresh.length > 0) {
    await tx.query(
      sql`INSERT INTO ${sql.ident(table)} (${names}) VALUES ${tuples(fresh.map((r) => r.values))}`,
    );
    const [first] = await queryRows<{ id: string; step: string | number }>(
      tx,
      sql`SELECT LAST_INSERT_ID() AS id, @@auto_increment_increment AS step`,
    );
    next = BigInt(first!.id);
    step = BigInt(first!.step);
  }
  return rows.map((row) => {
    if (row.id !== null) return row.id;
    const id = next;
    next += step;
    return id.toString();
  });
}
