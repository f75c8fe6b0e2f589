/**
 * Reads the rows of one backup INSERT line as values, never as SQL: after the head the
 * line must be `(v,…),(v,…);` where every v is NULL or a quoted string escaped exactly
 * as the dump writes it (mysql2's escape). Anything else (a number, an expression, a
 * function call, a subquery, a comment, a second statement) is refused, so a backup
 * file can only ever supply literal values for the columns its head names.
 */

/** A row's values and its text as the dump wrote it (what the table checksum hashes). */
export interface LiteralRow {
  values: (string | null)[];
  text: string;
}

export class NotLiteralError extends Error {
  constructor(
    readonly position: number,
    problem: string,
  ) {
    super(`${problem} at character ${position + 1}`);
    this.name = 'NotLiteralError';
  }
}

const QUOTE = 39; // '
const BACKSLASH = 92;
const COMMA = 44;
const OPEN = 40;
const CLOSE = 41;
const SEMICOLON = 59;

/**
 * A run of characters the dump writes as they are: everything but the quote, the
 * backslash and the characters it always escapes (NUL, \b, \t, \n, \r, ^Z, ").
 * Sticky: it matches where it is placed; `test` moves lastIndex past the run.
 */
// eslint-disable-next-line no-control-regex -- ^Z and NUL are among the characters it escapes
const PLAIN_RUN = /[^'\\\0\b\t\n\r\x1a"]*/y;

/** The escapes the dump writes, and what each stands for. */
const UNESCAPED: Record<string, string> = {
  '0': '\0',
  b: '\b',
  t: '\t',
  n: '\n',
  r: '\r',
  Z: '\x1a',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** Reads the quoted string at `start`; returns its value and the position after it. */
function readString(line: string, start: number): [string, number] {
  let value = '';
  let at = start + 1;
  for (;;) {
    PLAIN_RUN.lastIndex = at;
    PLAIN_RUN.test(line);
    const end = PLAIN_RUN.lastIndex;
    value += line.slice(at, end);
    const code = line.charCodeAt(end);
    if (code === QUOTE) return [value, end + 1];
    if (code !== BACKSLASH) {
      throw new NotLiteralError(
        end,
        Number.isNaN(code)
          ? 'a string without its closing quote'
          : 'a character the dump always escapes, unescaped',
      );
    }
    const escaped = UNESCAPED[line[end + 1] ?? ''];
    if (escaped === undefined) throw new NotLiteralError(end, 'an escape the dump never writes');
    value += escaped;
    at = end + 2;
  }
}

function readValue(line: string, at: number): [string | null, number] {
  if (line.charCodeAt(at) === QUOTE) return readString(line, at);
  if (line.startsWith('NULL', at)) return [null, at + 4];
  throw new NotLiteralError(at, 'a value that is neither NULL nor a quoted string');
}

/**
 * Parses the rows of `line` from `start` (just after the head) to its final `;`;
 * each row must have exactly `columns` values.
 */
export function parseLiteralRows(line: string, start: number, columns: number): LiteralRow[] {
  const rows: LiteralRow[] = [];
  let at = start;
  for (;;) {
    if (line.charCodeAt(at) !== OPEN)
      throw new NotLiteralError(at, 'a row that does not open with (');
    const rowStart = at;
    const values: (string | null)[] = [];
    at++;
    for (;;) {
      const [value, next] = readValue(line, at);
      values.push(value);
      at = next;
      const code = line.charCodeAt(at);
      if (code === CLOSE) break;
      if (code !== COMMA) throw new NotLiteralError(at, 'text between values');
      at++;
    }
    if (values.length !== columns) {
      throw new NotLiteralError(
        rowStart,
        `a row of ${values.length} values for ${columns} columns`,
      );
    }
    at++;
    rows.push({ values, text: line.slice(rowStart, at) });
    const code = line.charCodeAt(at);
    if (code === SEMICOLON && at === line.length - 1) return rows;
    if (code !== COMMA) throw new NotLiteralError(at, 'text after a row');
    at++;
  }
}
