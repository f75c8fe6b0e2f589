/**
 * Migrating a database that holds other applications' tables, views and triggers:
 * the gateway creates and drops only its own. Before a migration run changes
 * anything, the objects its pending migrations create or drop are read from their
 * text and compared with the database: one that exists but was not made by an
 * applied (or earlier pending) migration belongs to someone else, and the run stops
 * naming it. So does a `schema_migrations` table that is another tool's.
 */
import path from 'node:path';
import { sql, type Queryable } from '@databases/mysql';
import { queryRows } from './pool.js';

/** A table or view (one namespace) or a trigger, created or dropped by a statement. */
interface SchemaChange {
  action: 'create' | 'drop';
  key: string;
  label: string;
}

const STATEMENT =
  /\b(CREATE|DROP)\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?(TABLE|VIEW|TRIGGER)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?`?([A-Za-z0-9_$]+)`?/gi;

const keyOf = (kind: string, name: string) =>
  `${kind.toLowerCase() === 'trigger' ? 'trigger' : 'table'}:${name.toLowerCase()}`;

/** The tables, views and triggers a migration's text creates or drops, in order. */
export function schemaChanges(text: string): SchemaChange[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
  return [...code.matchAll(STATEMENT)].map(([, action, kind, name]) => ({
    action: action!.toLowerCase() as SchemaChange['action'],
    key: keyOf(kind!, name!),
    label: `${kind!.toLowerCase()} ${name!}`,
  }));
}

export class MigrationClashError extends Error {
  constructor(file: string, label: string) {
    super(
      `migration ${file} would change ${label}, which exists in this database and is not the ` +
        "gateway's; nothing was changed. Rename or move it, or point DATABASE_URL at another database",
    );
    this.name = 'MigrationClashError';
  }
}

/** The database's tables, views and triggers as keys. */
async function existingObjects(conn: Queryable): Promise<Set<string>> {
  const rows = await queryRows<{ kind: string; name: string }>(
    conn,
    sql`SELECT 'table' AS kind, table_name AS name FROM information_schema.tables
        WHERE table_schema = DATABASE()
      UNION ALL
      SELECT 'trigger', trigger_name FROM information_schema.triggers
        WHERE trigger_schema = DATABASE()`,
  );
  return new Set(rows.map((r) => keyOf(r.kind, r.name)));
}

/**
 * Throws MigrationClashError when a pending migration would create or drop an
 * object that exists but is not the gateway's; `applied` and `pending` are the up
 * files with their texts, in version order.
 */
export async function assertNoClash(
  conn: Queryable,
  applied: readonly { text: string }[],
  pending: readonly { file: string; text: string }[],
): Promise<void> {
  if (pending.length === 0) return;
  const existing = await existingObjects(conn);
  const ours = new Set<string>();
  for (const m of applied) {
    for (const change of schemaChanges(m.text)) {
      if (change.action === 'create') ours.add(change.key);
      else ours.delete(change.key);
    }
  }
  for (const m of pending) {
    for (const change of schemaChanges(m.text)) {
      if (existing.has(change.key) && !ours.has(change.key)) {
        throw new MigrationClashError(path.basename(m.file), change.label);
      }
      if (change.action === 'create') {
        ours.add(change.key);
        existing.add(change.key);
      } else {
        ours.delete(change.key);
        existing.delete(change.key);
      }
    }
  }
}

/** Throws MigrationClashError when `schema_migrations` exists with another tool's columns. */
export async function assertMigrationsTableOurs(conn: Queryable): Promise<void> {
  const columns = await queryRows<{ name: string }>(
    conn,
    sql`SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'`,
  );
  if (columns.length === 0) return;
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  if (!['version', 'name', 'applied_at'].every((c) => names.has(c))) {
    throw new MigrationClashError('(the migration record)', 'table schema_migrations');
  }
}
