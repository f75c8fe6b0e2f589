/**
 * One DataLoader per table, created per request: all look-ups of one tick become
 * a single `WHERE id IN (…)` statement. Each batch returns exactly one value per
 * key, in key order, with a NotFoundError for an id that does not exist.
 */
import DataLoader from 'dataloader';
import { sql } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readRows } from '../db/read.js';
import { NotFoundError } from '../errors.js';
import {
  EXECUTION_COLUMNS,
  REPORT_COLUMNS,
  USER_COLUMNS,
  type ExecutionRow,
  type ReportRow,
  type UserRow,
} from '../views/rows.js';
import { inList } from '../views/sql-helpers.js';

export interface Loaders {
  report: DataLoader<string, ReportRow>;
  user: DataLoader<string, UserRow>;
  execution: DataLoader<string, ExecutionRow>;
}

function byIdLoader<Row extends { id: string }>(
  db: Database,
  table: string,
  entity: string,
  columns: readonly string[],
) {
  return new DataLoader<string, Row>(async (ids) => {
    const rows = await readRows<Row>(
      db,
      sql`
      SELECT ${sql.join(
        columns.map((c) => sql.ident(c)),
        ', ',
      )}
      FROM ${sql.ident(table)} WHERE ${inList(sql.ident('id'), ids)}`,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? new NotFoundError(entity, id));
  });
}

/** Fresh loaders for one request (their caches must not outlive it). */
export function createLoaders(db: Database): Loaders {
  return {
    report: byIdLoader<ReportRow>(db, 'reports', 'report', REPORT_COLUMNS),
    user: byIdLoader<UserRow>(db, 'users', 'user', USER_COLUMNS),
    execution: byIdLoader<ExecutionRow>(db, 'report_executions', 'execution', EXECUTION_COLUMNS),
  };
}

/** Loads an entity, turning "no such id" into null for nullable fields. */
export async function loadOrNull<Row>(
  loader: DataLoader<string, Row>,
  id: string | null,
): Promise<Row | null> {
  if (id === null) return null;
  try {
    return await loader.load(id);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}
