/**
 * `databaseHealth`: the server version, the size of every table the gateway
 * keeps, and how far the rollups trail the raw executions. Every statement is an
 * index dive or bounded, so the answer stays fast at 10 M executions; the SQL
 * runs on MariaDB 10.6+ and MySQL 8.0 alike.
 */
import { sql, type Connection, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readOne, readRows } from '../db/read.js';
import { JOURNAL_BACKLOG, backlogOf, type BacklogRow } from '../rollups/applier.js';
import { SOURCE_TABLES } from '../db/source-tables.js';
import {
  ROLLUP_STORAGE_TABLES,
  ROLLUP_TABLES,
  type RollupTable,
} from '../rollups/rollup-tables.js';

/** Tables up to this many rows are counted exactly; larger ones report the server's estimate. */
export const EXACT_ROWS_UP_TO = 50_000;

export const HEALTH_TABLES = [...SOURCE_TABLES, ...ROLLUP_STORAGE_TABLES];

export interface TableHealth {
  name: string;
  /** Exact up to EXACT_ROWS_UP_TO, else the InnoDB estimate (a decimal string). */
  rows: string;
  rowsExact: boolean;
  dataBytes: string;
  indexBytes: string;
}

export type Granularity = 'HOUR' | 'DAY' | 'MONTH';

export interface RollupLag {
  table: string;
  granularity: Granularity;
  /** Start of the newest bucket holding executions; null when the rollup has none. */
  newestBucket: Date | null;
  /** The rollup has a bucket for the newest execution it should hold (or there is none). */
  inStep: boolean;
  /** Seconds from the end of the newest bucket to the newest execution; null when the rollup is empty. */
  lagSeconds: number | null;
}

/** The rollup journal's backlog, and whether any gateway instance folds it now. */
export interface RollupJournalHealth {
  pendingRows: number;
  oldestPendingMs: number;
  applierRunning: boolean;
}

export interface DatabaseHealth {
  serverVersion: string;
  database: string;
  checkedAt: Date;
  tables: TableHealth[];
  newestExecutionAt: Date | null;
  rollupLag: RollupLag[];
  rollupJournal: RollupJournalHealth;
}

const GRANULARITY: Record<RollupTable['bucket'], Granularity> = {
  bucket_hour: 'HOUR',
  bucket_date: 'DAY',
  bucket_month: 'MONTH',
};

/** The start of the bucket after the one starting at `start`. */
function bucketEnd(start: Date, granularity: Granularity): Date {
  const next = new Date(start);
  if (granularity === 'HOUR') next.setUTCHours(next.getUTCHours() + 1);
  if (granularity === 'DAY') next.setUTCDate(next.getUTCDate() + 1);
  if (granularity === 'MONTH') next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
}

/** The report's one connection, and its reads under the statement timeout. */
interface Session {
  connection: Connection;
  rows<Row>(query: SQLQuery): Promise<Row[]>;
  one<Row>(query: SQLQuery): Promise<Row | undefined>;
}

/**
 * Sizes and row estimates from information_schema.TABLES. MySQL 8 serves these
 * from a cache up to `information_schema_stats_expiry` seconds old (a day by
 * default), so on a server that has that variable the session asks for live
 * statistics and gets its default back afterwards; MariaDB has no such cache and
 * no such variable, so nothing is set there.
 */
async function tableStatistics(session: Session) {
  const expiry = (await session.connection.query(
    sql`SHOW SESSION VARIABLES LIKE 'information_schema_stats_expiry'`,
  )) as unknown[];
  if (expiry.length > 0)
    await session.connection.query(sql`SET SESSION information_schema_stats_expiry = 0`);
  try {
    return await session.rows<{
      name: string;
      estimated_rows: string | null;
      data_bytes: string | null;
      index_bytes: string | null;
    }>(sql`SELECT TABLE_NAME AS name, TABLE_ROWS AS estimated_rows,
            DATA_LENGTH AS data_bytes, INDEX_LENGTH AS index_bytes
          FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${sql.join(
            HEALTH_TABLES.map((table) => sql`${table}`),
            ', ',
          )})`);
  } finally {
    if (expiry.length > 0) {
      await session.connection.query(sql`SET SESSION information_schema_stats_expiry = DEFAULT`);
    }
  }
}

/**
 * Exact row counts, each stopping after EXACT_ROWS_UP_TO + 1 rows: cheap whatever
 * the table's size, and not misled by stale statistics.
 */
async function boundedCounts(session: Session, tables: readonly string[]) {
  if (tables.length === 0) return new Map<string, number>();
  const counts = await session.rows<{ name: string; n: string | number }>(
    sql.join(
      tables.map(
        (table) => sql`SELECT ${table} AS name, COUNT(*) AS n
          FROM (SELECT 1 FROM ${sql.ident(table)} LIMIT ${EXACT_ROWS_UP_TO + 1}) x`,
      ),
      sql` UNION ALL `,
    ),
  );
  return new Map(counts.map((row) => [row.name, Number(row.n)]));
}

/** The newest start among the executions each rollup holds (a user rollup only holds those with a user). */
async function newestStarts(session: Session) {
  const newest = await session.one<{ all_rows: Date | null; with_user: Date | null }>( // An index dive, and a backward walk of an index on started_at that also holds
    // executed_by, stopping at the first execution with a user (normally the newest).
    sql`SELECT (SELECT MAX(started_at) FROM report_executions) AS all_rows,
          (SELECT started_at FROM report_executions WHERE executed_by IS NOT NULL
           ORDER BY started_at DESC LIMIT 1) AS with_user`,
  );
  return { all: newest?.all_rows ?? null, withUser: newest?.with_user ?? null };
}

/** How far each rollup's newest bucket trails the newest execution it should hold. */
async function rollupLag(session: Session, newest: Awaited<ReturnType<typeof newestStarts>>) {
  const lags: RollupLag[] = [];
  for (const rollup of ROLLUP_TABLES) {
    const granularity = GRANULARITY[rollup.bucket];
    // Emptied cells keep a row of zeros: the newest bucket is the newest one with executions.
    const row = await session.one<{
      bucket: Date;
    }>(sql`SELECT ${sql.ident(rollup.bucket)} AS bucket FROM ${sql.ident(rollup.table)}
          WHERE executions > 0 ORDER BY ${sql.ident(rollup.bucket)} DESC LIMIT 1`);
    const newestBucket = row?.bucket ?? null;
    const expected = rollup.keys.includes('executed_by') ? newest.withUser : newest.all;
    let inStep = true;
    let lagSeconds: number | null = 0;
    if (expected && !newestBucket) {
      inStep = false;
      lagSeconds = null;
    } else if (expected && newestBucket) {
      const end = bucketEnd(newestBucket, granularity);
      inStep = expected < end;
      lagSeconds = inStep ? 0 : (expected.getTime() - end.getTime()) / 1000;
    }
    lags.push({ table: rollup.table, granularity, newestBucket, inStep, lagSeconds });
  }
  return lags;
}

/** The journal's backlog, and whether an instance holds the applier's lock. */
async function journalHealth(session: Session): Promise<RollupJournalHealth> {
  const backlog = backlogOf(await session.one<BacklogRow>(JOURNAL_BACKLOG));
  return {
    pendingRows: backlog.rows,
    oldestPendingMs: backlog.lagMs,
    applierRunning: backlog.applierRunning,
  };
}

/** The whole report, from one connection (the session setting must apply to its statements). */
export async function databaseHealth(db: Database): Promise<DatabaseHealth> {
  return db.task(async (connection) => {
    const session: Session = {
      connection,
      rows: (query) => readRows(db, query, connection),
      one: (query) => readOne(db, query, connection),
    };
    const server = await session.one<{ version: string; name: string }>(
      sql`SELECT VERSION() AS version, DATABASE() AS name`,
    );
    const statistics = await tableStatistics(session);
    const exact = await boundedCounts(
      session,
      statistics.map((table) => table.name),
    );
    const byName = new Map(statistics.map((table) => [table.name, table]));
    const tables: TableHealth[] = [];
    for (const name of HEALTH_TABLES) {
      const table = byName.get(name);
      if (!table) continue; // not migrated yet
      const counted = exact.get(name);
      const rowsExact = counted !== undefined && counted <= EXACT_ROWS_UP_TO;
      tables.push({
        name,
        rows: rowsExact ? String(counted) : String(table.estimated_rows ?? '0'),
        rowsExact,
        dataBytes: String(table.data_bytes ?? '0'),
        indexBytes: String(table.index_bytes ?? '0'),
      });
    }
    const newest = await newestStarts(session);
    return {
      serverVersion: server?.version ?? '',
      database: server?.name ?? '',
      checkedAt: new Date(),
      tables,
      newestExecutionAt: newest.all,
      rollupLag: await rollupLag(session, newest),
      rollupJournal: await journalHealth(session),
    };
  });
}
