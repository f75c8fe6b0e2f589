/**
 * What the database account may do, asked of the server rather than read from its
 * grants, so roles, wildcard grants, partial revokes and the binary log's rule for
 * triggers all count as the server counts them. `EXPLAIN` checks a statement's
 * privileges without running it: serving is checked that way on every table, with no
 * change and no lock. DDL has no EXPLAIN: before the first change of a migration run,
 * a probe creates, alters and drops a table of its own.
 *
 * A refusal, found by a probe or met by any statement later, becomes a
 * MissingPrivilegeError naming the privilege and what it is on.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Queryable, type SQLQuery } from '@databases/mysql';
import { MAINTAINED_TABLES } from '../maintenance/tables.js';
import { queryOne } from './pool.js';

/** Every gateway table takes reads and writes while it serves. */
export const SERVE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
/** What `migrate` needs on the database, besides SERVE_PRIVILEGES. */
export const MIGRATE_PRIVILEGES = [
  'CREATE',
  'DROP',
  'ALTER',
  'INDEX',
  'REFERENCES',
  'TRIGGER',
  'CREATE VIEW',
  'LOCK TABLES',
] as const;

/** The account lacks `privilege` on `object`. The message names neither user nor host. */
export class MissingPrivilegeError extends Error {
  constructor(
    readonly privilege: string,
    readonly object: string,
    /** What to do about it, for the operator. */
    readonly advice = '',
  ) {
    super(
      `The database account lacks the ${privilege} privilege on ${object}` +
        (advice ? `: ${advice}` : '.'),
    );
    this.name = 'MissingPrivilegeError';
  }
}

// ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR,
// ER_SPECIFIC_ACCESS_DENIED_ERROR, ER_BINLOG_CREATE_ROUTINE_NEED_SUPER.
const DB_DENIED = 1044;
const TABLE_DENIED = 1142;
const COLUMN_DENIED = 1143;
const SPECIFIC_DENIED = 1227;
const BINLOG_NEEDS_SUPER = 1419;

const unquote = (name: string) => name.replace(/[`']/g, '');

/**
 * The privilege error a server's refusal means, or undefined when `error` is not a
 * refusal. A database-level refusal names no privilege: the statement's verb is it.
 */
export function privilegeErrorOf(error: unknown): MissingPrivilegeError | undefined {
  if (error instanceof MissingPrivilegeError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { errno, sqlMessage, message, sql: statement } = error as Record<string, unknown>;
  const text =
    typeof sqlMessage === 'string' ? sqlMessage : typeof message === 'string' ? message : '';
  switch (errno) {
    case TABLE_DENIED:
    case COLUMN_DENIED: {
      const match = /^(.+?) command denied to user .+? for (?:column (\S+) in )?table (\S+)$/.exec(
        text,
      );
      if (!match) return undefined;
      const [, privilege = '', column, table = ''] = match;
      return new MissingPrivilegeError(
        privilege,
        column ? `column ${unquote(column)} of ${unquote(table)}` : `table ${unquote(table)}`,
      );
    }
    case DB_DENIED: {
      const database = /to database (\S+)$/.exec(text)?.[1];
      const verb = /^\s*(LOCK TABLES|\w+)/i
        .exec(typeof statement === 'string' ? statement : '')?.[1]
        ?.toUpperCase();
      if (!database || !verb) return undefined;
      return new MissingPrivilegeError(verb, `database ${unquote(database)}`);
    }
    case SPECIFIC_DENIED: {
      const privilege = /you need \(at least one of\) the (.+?) privilege/.exec(text)?.[1];
      return privilege ? new MissingPrivilegeError(privilege, 'the server') : undefined;
    }
    case BINLOG_NEEDS_SUPER:
      return new MissingPrivilegeError(
        'SUPER',
        'the server',
        'binary logging is on, and creating triggers then needs SUPER, ' +
          'or log_bin_trust_function_creators = 1 on the server',
      );
    default:
      return undefined;
  }
}

/** `'user'@'host'` of the connection, as GRANT takes it. */
async function account(db: Queryable): Promise<string> {
  const row = await queryOne<{ account: string }>(db, sql`SELECT CURRENT_USER() AS account`);
  const [user = '', host = ''] = (row?.account ?? '').split(/@(?=[^@]*$)/);
  return `'${user}'@'${host}'`;
}

async function databaseName(db: Queryable): Promise<string> {
  const row = await queryOne<{ name: string }>(db, sql`SELECT DATABASE() AS name`);
  return row?.name ?? '';
}

/** Runs `statement`; a refusal becomes `refused(what the server said is missing)`. */
async function attempt(
  db: Queryable,
  statement: SQLQuery,
  refused: (missing: MissingPrivilegeError) => Promise<MissingPrivilegeError>,
) {
  try {
    await db.query(statement);
  } catch (error) {
    const missing = privilegeErrorOf(error);
    throw missing ? await refused(missing) : error;
  }
}

/**
 * The refusal of a check made for `needs`, advising the GRANT of `privileges` on the
 * database unless the server's refusal has its own advice; `onDatabase` names the
 * database rather than the (probe) table refused.
 */
function refusal(db: Queryable, privileges: readonly string[], needs: string, onDatabase = false) {
  return async (missing: MissingPrivilegeError) => {
    const database = await databaseName(db);
    return new MissingPrivilegeError(
      missing.privilege,
      onDatabase && missing.object.startsWith('table ') ? `database ${database}` : missing.object,
      missing.advice ||
        `${needs} needs ${privileges.join(', ')} on it: ` +
          `GRANT ${privileges.join(', ')} ON \`${database}\`.* TO ${await account(db)}`,
    );
  };
}

/** Each of SERVE_PRIVILEGES on `table`, checked by EXPLAIN: nothing runs. */
async function checkTable(
  db: Queryable,
  table: string,
  refused: (missing: MissingPrivilegeError) => Promise<MissingPrivilegeError>,
) {
  const t = sql.ident(table);
  const first = await queryOne<{ name: string }>(
    db,
    sql`SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${table} ORDER BY ORDINAL_POSITION LIMIT 1`,
  );
  const column = sql.ident(first?.name ?? 'id');
  for (const statement of [
    sql`EXPLAIN SELECT 1 FROM ${t} WHERE FALSE`,
    sql`EXPLAIN INSERT INTO ${t} () VALUES ()`,
    sql`EXPLAIN UPDATE ${t} SET ${column} = ${column} WHERE FALSE`,
    sql`EXPLAIN DELETE FROM ${t} WHERE FALSE`,
  ]) {
    await attempt(db, statement, refused);
  }
}

/**
 * Refuses to serve, naming the privilege and table, unless the account may read and
 * write every gateway table. Run after migrating: the tables must exist.
 */
export async function assertServePrivileges(db: Queryable): Promise<void> {
  const refused = refusal(db, SERVE_PRIVILEGES, 'serving');
  for (const table of MAINTAINED_TABLES) await checkTable(db, table, refused);
}

/**
 * Refuses `needs` (a migration run, a restore over the live tables), naming the
 * privilege, before its first change: creates, alters, indexes, references, triggers,
 * views and drops a probe table of its own (random name), and leaves nothing behind.
 */
export async function assertMigratePrivileges(
  db: Queryable,
  needs = 'migrating the database',
): Promise<void> {
  const name = `gateway_privilege_probe_${randomBytes(4).toString('hex')}`;
  const table = sql.ident(name);
  const view = sql.ident(`${name}_view`);
  const refused = refusal(db, [...SERVE_PRIVILEGES, ...MIGRATE_PRIVILEGES], needs, true);
  // DROP is asked first (of names that do not exist), so a probe that cannot drop
  // never creates anything.
  await attempt(db, sql`DROP TABLE IF EXISTS ${table}`, refused);
  try {
    for (const statement of [
      sql`CREATE TABLE ${table} (id INT NOT NULL PRIMARY KEY, parent INT NULL) ENGINE = InnoDB`,
      sql`ALTER TABLE ${table} ADD COLUMN marker INT NULL`,
      sql`CREATE INDEX probe_parent ON ${table} (parent)`,
      sql`ALTER TABLE ${table} ADD CONSTRAINT ${sql.ident(`${name}_fk`)}
          FOREIGN KEY (parent) REFERENCES ${table} (id)`,
      sql`CREATE TRIGGER ${sql.ident(`${name}_trigger`)} BEFORE INSERT ON ${table}
          FOR EACH ROW SET NEW.marker = 1`,
      sql`CREATE VIEW ${view} AS SELECT id FROM ${table}`,
    ]) {
      await attempt(db, statement, refused);
    }
    // A migration that swaps triggers holds the tables meanwhile (0014).
    await db.task(async (connection) => {
      await attempt(connection, sql`LOCK TABLES ${table} WRITE`, refused);
      await connection.query(sql`UNLOCK TABLES`);
    });
    await checkTable(db, name, refused);
  } finally {
    await db.query(sql`DROP VIEW IF EXISTS ${view}`);
    await db.query(sql`DROP TABLE IF EXISTS ${table}`);
  }
}
