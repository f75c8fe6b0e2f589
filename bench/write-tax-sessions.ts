/**
 * How the write-tax benchmark talks to the server: plain mysql2 connections, as an
 * application owning report_executions would open them (autocommit, UTC), plus the
 * small numeric helpers its shapes share.
 */
import mysql, { type Connection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { toDateTimeText } from '../src/db/json-insert.js';

/** One of the two databases compared: with the project's rollup upkeep or without any. */
export interface Side {
  label: 'upkeep' | 'plain';
  database: string;
  /** mysql://… of this database. */
  url: string;
}

/** The URL of `database` on the server of `serverUrl` (whatever database that one names). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** An application's connection: autocommit, UTC, with a bounded lock wait. */
export async function connect(side: Side, lockWaitSeconds = 5): Promise<Connection> {
  const conn = await mysql.createConnection({ uri: side.url, timezone: 'Z' });
  // A stuck writer is counted as a lock wait timeout inside the run, not 50 s later.
  await conn.query(
    `SET time_zone = '+00:00', SESSION innodb_lock_wait_timeout = ${Number(lockWaitSeconds)}`,
  );
  return conn;
}

/** Runs a statement that changes rows; returns its header (insertId, affectedRows). */
export async function write(
  conn: Connection,
  statement: string,
  values: unknown[] = [],
): Promise<ResultSetHeader> {
  const [result] = await conn.query<ResultSetHeader>(statement, values);
  return result;
}

/** Runs a query and types its rows. */
export async function rows<Row>(
  conn: Connection,
  statement: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const [result] = await conn.query<RowDataPacket[]>(statement, values);
  return result as Row[];
}

/** The server's error number of a failed statement (1213 deadlock, 1205 lock wait timeout). */
export function errorNumber(error: unknown): number | undefined {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

export const ER_LOCK_DEADLOCK = 1213;
export const ER_LOCK_WAIT_TIMEOUT = 1205;

/** Milliseconds `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Median and 95th percentile of a series of milliseconds, to 0.01 ms. */
export interface Latency {
  medianMs: number;
  p95Ms: number;
  runs: number;
}

export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)), runs: sorted.length };
}

/** DATETIME(3) text of a moment, in UTC. */
export const dateTime = (ms: number) => toDateTimeText(new Date(ms))!;

/** Rows in rollup_journal, or null where the upkeep keeps no journal. */
export async function journalLength(conn: Connection, database: string): Promise<number | null> {
  const [table] = await rows<{ n: number }>(
    conn,
    `SELECT COUNT(*) AS n FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'rollup_journal'`,
    [database],
  );
  if (Number(table?.n) === 0) return null;
  const [count] = await rows<{ n: number | string }>(
    conn,
    `SELECT COUNT(*) AS n FROM \`${database}\`.rollup_journal`,
  );
  return Number(count?.n);
}

/** One measure taken on both databases. */
export interface Pair<T> {
  upkeep: T;
  plain: T;
}

/** What every shape needs: the two databases, the gateway on "upkeep", the seeded ids. */
export interface ShapeContext {
  upkeep: Side;
  plain: Side;
  gateway: { url: string; key: string };
  reports: [number, number];
  users: [number, number];
}

/** Both sides, in an order that alternates with `i`, so that drift hits both alike. */
export function alternate<T>(pair: Pair<T>, i: number): [Side['label'], T][] {
  const both: [Side['label'], T][] = [
    ['upkeep', pair.upkeep],
    ['plain', pair.plain],
  ];
  return i % 2 === 0 ? both : both.reverse();
}

/** An ExecutionInput of the insertExecutions mutation. */
export interface ExecutionInput {
  reportId: string;
  executedBy: string | null;
  status: 'SUCCESS' | 'FAILED' | 'RUNNING';
  startedAt: string;
  completedAt: string | null;
  durationMs: number | null;
  outputSizeBytes: string | null;
  rowCount: number | null;
}

/** The same row as the column values of report_executions, in insert order. */
export function columnValues(row: ExecutionInput): unknown[] {
  const at = (iso: string | null) => (iso === null ? null : dateTime(Date.parse(iso)));
  return [
    Number(row.reportId),
    row.executedBy === null ? null : Number(row.executedBy),
    row.status.toLowerCase(),
    at(row.startedAt),
    at(row.completedAt),
    row.durationMs,
    row.outputSizeBytes,
    row.rowCount,
  ];
}

export const INSERT_COLUMNS =
  'report_id, executed_by, status, started_at, completed_at, duration_ms, output_size_bytes, row_count';

/** insertExecutions through the gateway, one request; fails with the gateway's message. */
export async function insertThroughGateway(
  gateway: ShapeContext['gateway'],
  input: readonly ExecutionInput[],
  batchSize: number,
): Promise<void> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.key}` },
    body: JSON.stringify({
      query:
        'mutation ($rows: [ExecutionInput!]!, $b: Int) { insertExecutions(rows: $rows, batchSize: $b) { affected } }',
      variables: { rows: input, b: batchSize },
    }),
  });
  const text = await response.text();
  let affected: number | undefined;
  try {
    affected = (JSON.parse(text) as { data?: { insertExecutions?: { affected: number } } }).data
      ?.insertExecutions?.affected;
  } catch {
    // not JSON: reported below with the text
  }
  if (affected !== input.length) {
    throw new Error(
      `insertExecutions of ${input.length} rows failed (HTTP ${response.status}): ${text.slice(0, 300)}`,
    );
  }
}
