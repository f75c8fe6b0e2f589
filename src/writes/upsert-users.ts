/**
 * upsertUsers: rows with an id update that user (or create it with that id), rows
 * without one create a user. Emails stay unique under the column's collation: one
 * taken by another user, or given twice in the call, fails naming the row.
 */
import { sql } from '@databases/mysql';
import { queryRows, type Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import { badInput } from '../errors.js';
import { parseId } from '../views/ids.js';
import type { UserRoleName } from '../views/rows.js';
import { upsertById } from './batch-sql.js';

export interface UserInput {
  id?: string | number | null;
  email: string;
  displayName: string;
  role: UserRoleName;
}

const MAX_TEXT = 255;

function checkUser(row: UserInput, at: number) {
  const field = (name: string) => `rows[${at}].${name}`;
  const email = row.email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > MAX_TEXT) {
    throw badInput(
      field('email'),
      `"${row.email.slice(0, 60)}" is not an email address of at most ${MAX_TEXT} characters`,
    );
  }
  if (row.displayName.trim() === '' || row.displayName.length > MAX_TEXT) {
    throw badInput(field('displayName'), `must be 1 to ${MAX_TEXT} characters`);
  }
  const id = row.id === null || row.id === undefined ? null : parseId(field('id'), row.id);
  return { id, email, displayName: row.displayName, role: row.role };
}

/** Upserts the users in one transaction; returns their ids in input order. */
export async function upsertUsers(
  db: Database,
  input: readonly UserInput[],
  maxRows: number,
): Promise<string[]> {
  if (input.length > maxRows)
    throw badInput('rows', `at most ${maxRows} rows per call, got ${input.length}`);
  const rows = input.map(checkUser);
  if (rows.length === 0) return [];
  return writeTransaction(db, async (tx) => {
    // Emails are compared by the column's collation (case and accents alike), in SQL: an
    // email equal to another user's would otherwise make ON DUPLICATE KEY UPDATE rewrite
    // that user.
    const emails = sql.join(
      rows.map((row, index) => sql`SELECT ${index} AS idx, ${row.email} AS email`),
      sql` UNION ALL `,
    );
    const clashes = await queryRows<{ idx: number | string; other: string; kind: 'user' | 'row' }>(
      tx,
      sql`WITH input AS (${emails})
        SELECT a.idx, u.id AS other, 'user' AS kind FROM input a
          JOIN users u ON u.email = a.email COLLATE utf8mb4_unicode_ci
        UNION ALL
        SELECT a.idx, b.idx AS other, 'row' AS kind FROM input a
          JOIN input b ON b.email = a.email COLLATE utf8mb4_unicode_ci AND b.idx < a.idx
        ORDER BY idx`,
    );
    for (const clash of clashes) {
      const index = Number(clash.idx);
      const row = rows[index]!;
      if (clash.kind === 'row') {
        throw badInput(
          `rows[${index}].email`,
          `${row.email} is also given in rows[${clash.other}]`,
        );
      }
      if (clash.other !== row.id) {
        throw badInput(`rows[${index}].email`, `${row.email} belongs to user ${clash.other}`);
      }
    }
    return upsertById(
      tx,
      'users',
      ['email', 'display_name', 'role'],
      rows.map((r) => ({ id: r.id, values: [r.email, r.displayName, r.role] })),
    );
  });
}
