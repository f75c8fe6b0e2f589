/**
 * The driver formats string values into the statement text with backslash
 * escapes. A session whose sql_mode has NO_BACKSLASH_ESCAPES reads those escapes as
 * text: values come out changed, and a quote in one would end its string early (an
 * injection). The driver has no hook to set a session's sql_mode when it opens a
 * connection, so the gateway refuses such a server instead of running on it.
 */
import { sql, type Queryable } from '@databases/mysql';
import { queryOne } from './pool.js';

export class UnsafeSqlModeError extends Error {
  constructor(sqlMode: string) {
    super(
      `the server's sql_mode (${sqlMode}) includes NO_BACKSLASH_ESCAPES, under which the ` +
        "gateway's escaped string values would be misread; remove NO_BACKSLASH_ESCAPES from the " +
        "server's sql_mode (option sql-mode, or SET GLOBAL sql_mode) before starting the gateway",
    );
    this.name = 'UnsafeSqlModeError';
  }
}

/** Throws UnsafeSqlModeError when a new session of `db` would misread escaped strings. */
export async function assertSafeSqlMode(db: Queryable): Promise<void> {
  const row = await queryOne<{ mode: string }>(db, sql`SELECT @@SESSION.sql_mode AS mode`);
  const mode = row?.mode ?? '';
  if (mode.split(',').includes('NO_BACKSLASH_ESCAPES')) throw new UnsafeSqlModeError(mode);
}
