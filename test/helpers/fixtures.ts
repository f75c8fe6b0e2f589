/** Hand-made rows for tests: each insert returns the new id (never assume literal ids). */
import { sql } from '@databases/mysql';
import { queryOne, type Database } from '../../src/db/pool.js';

let counter = 0;

async function insert(db: Database, table: string, row: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(row);
  return db.tx(async (tx) => {
    await tx.query(
      sql`INSERT INTO ${sql.ident(table)} (${sql.join(
        columns.map((c) => sql.ident(c)),
        ', ',
      )}) VALUES (${sql.join(
        columns.map((c) => sql`${row[c]}`),
        ', ',
      )})`,
    );
    const result = await queryOne<{ id: string }>(tx, sql`SELECT LAST_INSERT_ID() AS id`);
    return String(result?.id);
  });
}

/** Inserts a user; unique email by default. */
export function insertUser(db: Database, row: Record<string, unknown> = {}) {
  counter += 1;
  return insert(db, 'users', {
    email: `fixture${counter}-${Date.now()}@example.com`,
    display_name: `Fixture ${counter}`,
    role: 'analyst',
    ...row,
  });
}

/** Inserts a report (aws / infrastructure, active) with the given overrides. */
export function insertReport(db: Database, row: Record<string, unknown> = {}) {
  counter += 1;
  return insert(db, 'reports', {
    name: `Report ${counter}`,
    category: 'infrastructure',
    provider: 'aws',
    is_active: true,
    created_at: new Date('2020-01-01T00:00:00Z'),
    ...row,
  });
}

/** Inserts an execution (success) of `reportId` starting at `startedAt`. */
export function insertExecution(
  db: Database,
  reportId: string,
  startedAt: string | Date,
  row: Record<string, unknown> = {},
) {
  return insert(db, 'report_executions', {
    report_id: reportId,
    status: 'success',
    started_at: new Date(startedAt),
    ...row,
  });
}
