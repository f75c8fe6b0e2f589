/**
 * upsertUsers: rows with an id update that user (or create it with that id), rows
 * without one create a user. Emails stay unique: one taken by another user, or
 * given twice in the call, fails naming the row.
 */
import { sql } from '@databases/mysql';
import { queryRows, type Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import { badInput } from '../errors.js';
import { parseId } from '../views/ids.js';
import { inList } from '../views/sql-helpers.js';
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
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const key = row.email.toLowerCase();
    if (seen.has(key))
      throw badInput(
        `rows[${index}].email`,
        `${row.email} is also given in rows[${seen.get(key)}]`,
      );
    seen.set(key, index);
  });
  if (rows.length === 0) return [];
  return writeTransaction(db, async (tx) => {
    const owners = await queryRows<{ id: string; email: string }>(
      tx,
      sql`SELECT id, email FROM users WHERE ${inList(
        sql.ident('email'),
        rows.map((r) => r.email),
      )} FOR UPDATE`,
    );
    const ownerOf = new Map(owners.map((o) => [o.email.toLowerCase(), o.id]));
    rows.forEach((row, index) => {
      const owner = ownerOf.get(row.email.toLowerCase());
      if (owner !== undefined && owner !== row.id) {
        throw badInput(`rows[${index}].email`, `${row.email} belongs to user ${owner}`);
      }
    });
    return upsertById(
      tx,
      'users',
      ['email', 'display_name', 'role'],
      rows.map((r) => ({ id: r.id, values: [r.email, r.displayName, r.role] })),
    );
  });
}
