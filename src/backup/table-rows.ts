/**
 * Tables as text: which tables and columns a backup holds, and each row's canonical
 * SQL text, streamed in primary-key order. The same text makes the backup's INSERT
 * statements and the checksums that verification recomputes from a restored copy.
 */
import { createHash } from 'node:crypto';
import mysql from 'mysql2';
import { createConnection, type Connection as PromiseConnection } from 'mysql2/promise';
import { formatStatement } from '../db/literals.js';

/** The server's own bookkeeping: a restore recreates it by running the migrations. */
const SKIPPED_TABLES = new Set(['schema_migrations']);

export interface TableShape {
  name: string;
  columns: string[];
  primaryKey: string[];
}

/** A raw connection whose every value arrives as the server's exact text (or null). */
export async function openRawConnection(url: string): Promise<PromiseConnection> {
  const connection = await createConnection({
    uri: url,
    // MySQL 8 sends JSON as binary: it is UTF-8 text. (No table here has binary columns.)
    typeCast: (field) => (field.type === 'JSON' ? field.string('utf8') : field.string()),
    multipleStatements: false,
    // Values as literals every sql_mode reads alike (NO_BACKSLASH_ESCAPES included).
    queryFormat: formatStatement,
  });
  await connection.query(`SET time_zone = '+00:00'`);
  return connection;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  is_key: string | null;
}

/** The base tables of the connection's database with their stored columns and keys. */
export async function tableShapes(connection: PromiseConnection): Promise<TableShape[]> {
  // Generated columns are computed again on insert; they are neither written nor read.
  const [rows] = await connection.query(`
    SELECT c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name,
      (SELECT s.SEQ_IN_INDEX FROM information_schema.STATISTICS s
        WHERE s.TABLE_SCHEMA = c.TABLE_SCHEMA AND s.TABLE_NAME = c.TABLE_NAME
          AND s.INDEX_NAME = 'PRIMARY' AND s.COLUMN_NAME = c.COLUMN_NAME) AS is_key
    FROM information_schema.COLUMNS c
    JOIN information_schema.TABLES t
      ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
    WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
      AND c.EXTRA NOT LIKE '%GENERATED%'
    ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`);
  const shapes = new Map<string, TableShape & { keyOrder: Map<string, number> }>();
  for (const row of rows as ColumnRow[]) {
    if (SKIPPED_TABLES.has(row.table_name)) continue;
    let shape = shapes.get(row.table_name);
    if (!shape) {
      shape = { name: row.table_name, columns: [], primaryKey: [], keyOrder: new Map() };
      shapes.set(row.table_name, shape);
    }
    shape.columns.push(row.column_name);
    if (row.is_key !== null) shape.keyOrder.set(row.column_name, Number(row.is_key));
  }
  return [...shapes.values()].map(({ name, columns, keyOrder }) => {
    if (keyOrder.size === 0) throw new Error(`table ${name} has no primary key to order by`);
    const primaryKey = [...keyOrder].sort((a, b) => a[1] - b[1]).map(([column]) => column);
    return { name, columns, primaryKey };
  });
}

/** Letters, digits and _: a name that cannot reach into another database or close a quote. */
export function isPlainIdentifier(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(name);
}

// forbidQualified: a dot stays part of the name instead of naming another database.
const ident = (name: string) => mysql.escapeId(name, true);

/** The head of the INSERT statements that load a table. */
export function insertHead(shape: Pick<TableShape, 'name' | 'columns'>): string {
  return `INSERT INTO ${ident(shape.name)} (${shape.columns.map(ident).join(',')}) VALUES `;
}

/**
 * Streams a table's rows as canonical text, `(v1,v2,…)`, in primary-key order, with
 * back-pressure: the server is paused while `onRow` waits.
 */
export async function streamRows(
  connection: PromiseConnection,
  shape: TableShape,
  onRow: (text: string) => Promise<void> | undefined,
): Promise<void> {
  // Streaming lives on the callback API; the promise wrapper keeps it as `connection`.
  const core = (connection as unknown as { connection: mysql.Connection }).connection;
  const query = core
    .query({
      sql: `SELECT ${shape.columns.map(ident).join(',')} FROM ${ident(shape.name)}
        ORDER BY ${shape.primaryKey.map(ident).join(',')}`,
      rowsAsArray: true,
    })
    .stream({ highWaterMark: 2_000 });
  for await (const row of query as AsyncIterable<(string | null)[]>) {
    let text = '(';
    for (let i = 0; i < row.length; i++) text += (i ? ',' : '') + mysql.escape(row[i]);
    // Awaiting only a real wait keeps the per-row cost low at millions of rows.
    const wait = onRow(`${text})`);
    if (wait) await wait;
  }
}

/** A table's row count and checksum as a backup records them: SHA-256 of each row's text and a newline. */
export function rowDigest() {
  const hash = createHash('sha256');
  let rows = 0;
  return {
    add(text: string) {
      hash.update(text).update('\n');
      rows++;
    },
    result: () => ({ rows, checksum: hash.digest('hex') }),
  };
}

/** Counts and checksums the rows of a table the way a backup records them. */
export async function tableChecksum(
  connection: PromiseConnection,
  shape: TableShape,
): Promise<{ rows: number; checksum: string }> {
  const digest = rowDigest();
  await streamRows(connection, shape, (text) => {
    digest.add(text);
    return undefined;
  });
  return digest.result();
}
