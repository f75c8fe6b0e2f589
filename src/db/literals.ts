/**
 * Values written into statement text so that they read the same under every
 * sql_mode. The driver escapes quotes and backslashes with a backslash, which a
 * session with NO_BACKSLASH_ESCAPES reads as text (a value changed, and a quote that
 * ends its string early). Here a quote is doubled (standard SQL, read alike in every
 * mode), and a string holding a backslash, which no quoting reads alike in both
 * modes, goes as a hex literal in the connection's character set and collation.
 * Every statement of a pool (openPool) and of a raw connection (openRawConnection)
 * gets its values from here.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import mysql from 'mysql2';

/** The connection's collation: the driver's default character set (utf8mb4_unicode_ci). */
const CONNECTION_COLLATION = 'utf8mb4_unicode_ci';

/** `value` as SQL text, for any sql_mode; a list for an array (nested: in parentheses). */
export function sqlLiteral(value: unknown): string {
  if (typeof value === 'string') {
    return value.includes('\\')
      ? `_utf8mb4 X'${Buffer.from(value, 'utf8').toString('hex')}' COLLATE ${CONNECTION_COLLATION}`
      : `'${value.replace(/'/g, "''")}'`;
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    return value.map((v) => (Array.isArray(v) ? `(${sqlLiteral(v)})` : sqlLiteral(v))).join(', ');
  }
  const isPlainObject =
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !Buffer.isBuffer(value) &&
    !('toSqlString' in value);
  // The driver would write an object's strings with backslashes: none is ever passed.
  if (isPlainObject) throw new TypeError('an object is not a SQL value');
  // Numbers, booleans, null, dates (UTC) and buffers (hex) hold no backslash.
  return mysql.escape(value as Parameters<typeof mysql.escape>[0], false, 'Z');
}

/**
 * For mysql2's `queryFormat`: its own formatting of `?` placeholders, with every value
 * written by sqlLiteral (raw connections name identifiers with mysql.escapeId, not `??`).
 */
export function formatStatement(text: string, values?: unknown): string {
  if (values === undefined) return text;
  const list = Array.isArray(values) ? values : [values];
  return mysql.format(
    text,
    list.map((value) => ({ toSqlString: () => sqlLiteral(value) })),
  );
}

// A value's place while the query's text is put together: NUL never occurs in our SQL.
const TOKEN = /\0(\d+)\0/g;
const TOKENS = {
  escapeIdentifier: (name: string) => mysql.escapeId(name, true),
  formatValue: (value: unknown, index: number) => ({ placeholder: `\0${index}\0`, value }),
};

/**
 * For @databases/mysql's `prepareQuery`: the query with its values written in by
 * sqlLiteral. The values go in after the text is put together, which re-indents the
 * text: a value's own lines are never re-indented.
 */
export function withLiterals(query: SQLQuery): SQLQuery {
  const { text, values } = query.format(TOKENS);
  if (values.length === 0) return query;
  return sql.__dangerous__rawValue(
    text.replace(TOKEN, (_token, index: string) => sqlLiteral(values[Number(index)])),
  );
}
