/**
 * upsertReports: rows with an id update that report (or create it with that id),
 * rows without one create a report. Owners must exist.
 */
import { sql } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { writeTransaction } from '../db/retry.js';
import { badInput } from '../errors.js';
import { parseId } from '../views/ids.js';
import type { Category, ProviderName } from '../views/rows.js';
import { lockExisting, upsertById } from './batch-sql.js';

export interface ReportInput {
  id?: string | number | null;
  name: string;
  description?: string | null;
  category: Category;
  provider: ProviderName;
  ownerId?: string | number | null;
  active?: boolean | null;
  parameters?: unknown;
}

function checkReport(row: ReportInput, at: number) {
  const field = (name: string) => `rows[${at}].${name}`;
  if (row.name.trim() === '' || row.name.length > 255)
    throw badInput(field('name'), 'must be 1 to 255 characters');
  if (row.description && Buffer.byteLength(row.description) > 65_535) {
    throw badInput(field('description'), 'must be at most 65 535 bytes');
  }
  const parameters =
    row.parameters === undefined || row.parameters === null ? null : JSON.stringify(row.parameters);
  return {
    id: row.id === null || row.id === undefined ? null : parseId(field('id'), row.id),
    name: row.name,
    description: row.description ?? null,
    category: row.category,
    provider: row.provider,
    ownerId:
      row.ownerId === null || row.ownerId === undefined
        ? null
        : parseId(field('ownerId'), row.ownerId),
    active: row.active ?? true,
    parameters,
  };
}

/** Upserts the reports in one transaction; returns their ids in input order. */
export async function upsertReports(
  db: Database,
  input: readonly ReportInput[],
  maxRows: number,
): Promise<string[]> {
  if (input.length > maxRows)
    throw badInput('rows', `at most ${maxRows} rows per call, got ${input.length}`);
  const rows = input.map(checkReport);
  if (rows.length === 0) return [];
  return writeTransaction(db, async (tx) => {
    const owners = rows.map((r) => r.ownerId);
    await lockExisting(tx, 'users', sql`id`, owners, (i) => `rows[${i}].ownerId`, 'shared');
    return upsertById(
      tx,
      'reports',
      ['name', 'description', 'category', 'provider', 'owner_id', 'is_active', 'parameters'],
      rows.map((r) => ({
        id: r.id,
        values: [r.name, r.description, r.category, r.provider, r.ownerId, r.active, r.parameters],
      })),
    );
  });
}
