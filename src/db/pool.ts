/**
 * The single MySQL/MariaDB connection pool. Every session runs in UTC so that
 * DATETIME values and time buckets mean the same thing on every server.
 */
import mysql, { type ConnectionPool, type Queryable, type SQLQuery } from '@databases/mysql';
import { withLiterals } from './literals.js';
import { setStatementTimeout } from './statement-timeout.js';

// The package is CommonJS; its factory is both the module and its `default`.
const createConnectionPool = mysql.default;

export type Database = ConnectionPool;

export interface PoolOptions {
  poolSize?: number;
  /** How long a caller waits for a free connection before DATABASE_BUSY (default 10 s). */
  queueTimeoutMs?: number;
  /** The limit of each view read (src/db/read.ts); unset or 0: the server's own limit. */
  statementTimeoutMs?: number;
  /** Called with the SQL text of every statement; tests use it to count statements. */
  onStatement?: (text: string) => void;
}

/** Opens a pool on `url`; ids and byte sums come back as exact decimal strings. */
export function openPool(url: string, options: PoolOptions = {}): Database {
  const { onStatement } = options;
  const pool = createConnectionPool({
    connectionString: url,
    poolSize: options.poolSize ?? 10,
    bigIntMode: 'string',
    tinyIntMode: 'boolean',
    timeZone: 'utc',
    queueTimeoutMilliseconds: options.queueTimeoutMs ?? 10_000,
    // Values as literals every sql_mode reads alike (NO_BACKSLASH_ESCAPES included).
    prepareQuery: withLiterals,
    onQueryStart: onStatement
      ? (_query, formatted) => {
          onStatement(formatted.text);
        }
      : undefined,
    onError: (error) => console.warn(`database pool: ${error.message}`),
  });
  setStatementTimeout(pool, options.statementTimeoutMs ?? 0, url);
  return pool;
}

/** Runs a query and types its rows (the driver returns `any[]`). */
export async function queryRows<Row>(db: Queryable, query: SQLQuery): Promise<Row[]> {
  return (await db.query(query)) as Row[];
}

/** Runs a query expected to return at most one row. */
export async function queryOne<Row>(db: Queryable, query: SQLQuery): Promise<Row | undefined> {
  const [row] = await queryRows<Row>(db, query);
  return row;
}
