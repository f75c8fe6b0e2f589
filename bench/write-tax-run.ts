/**
 * The write tax, measured: what the rollup upkeep costs the application that writes
 * report_executions, as issue 14 tabled it. Builds the two databases, starts a
 * gateway on "upkeep" (whatever upkeep runs inside it runs during every shape), and
 * measures shapes a–f side by side; after each, the journal's length (where the
 * upkeep keeps one) is read and the gateway given time to fold it before the next.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { startGatewayProcess } from './gateway-process.js';
import { MACHINE } from './machine.js';
import {
  measureGatewayInserts,
  measureInsertSelect,
  type BulkRate,
  type GatewayInsertRate,
} from './write-tax-bulk.js';
import { measureConcurrentPairs, type ConcurrentPairs } from './write-tax-concurrency.js';
import { prepareDatabases } from './write-tax-databases.js';
import {
  measureCellUpdates,
  measureInsertAndComplete,
  type CellTimes,
  type SingleRowTimes,
} from './write-tax-single-rows.js';
import { journalLength, rows, type Pair, type ShapeContext } from './write-tax-sessions.js';

export interface WriteTaxOptions {
  executions: number;
  /** Statements per side for shapes a and b. */
  repeats: number;
  /** Updates per cell and side for shape c. */
  cellRepeats: number;
  connections: number;
  seconds: number;
  bulkRows: number;
  httpRows: number;
  batchSize: number;
  databases: { upkeep: string; plain: string };
}

export const WRITE_TAX_DEFAULTS: WriteTaxOptions = {
  executions: 200_000,
  repeats: 400,
  cellRepeats: 200,
  connections: 8,
  seconds: 8,
  bulkRows: 50_000,
  httpRows: 100_000,
  batchSize: 5_000,
  databases: { upkeep: 'bench_tax_upkeep', plain: 'bench_tax_plain' },
};

/** The journal after a shape: its length then, and how long the gateway took to fold it. */
export interface JournalAfter {
  rowsAtEnd: number;
  /** null: not empty within 60 s, or it stopped shrinking for 10 s. */
  drainedSeconds: number | null;
  /** Rows still there when the wait ended. */
  rowsLeft: number;
}

export interface WriteTaxResult {
  measuredAt: string;
  machine: typeof MACHINE;
  /** The machine's 1-minute load average at the start and the end: others' work shows here. */
  loadAverage: { start: number; end: number };
  server: { version: string; bufferPoolMb: number; flushLogAtTrxCommit: number };
  options: WriteTaxOptions;
  /** The upkeep measured: its triggers (all dropped on "plain") and whether it journals. */
  upkeep: { triggers: string[]; journal: boolean };
  seedSeconds: number;
  singleRows: SingleRowTimes;
  cells: CellTimes;
  concurrent: Pair<ConcurrentPairs>;
  insertSelect: Pair<BulkRate>;
  gatewayInserts: GatewayInsertRate;
  /** Per shape (a+b, c, d, e, f); null where the upkeep keeps no journal. */
  journal: Record<'ab' | 'c' | 'd' | 'e' | 'f', JournalAfter | null>;
  totalSeconds: number;
}

const root = path.resolve(import.meta.dirname, '..');
const DRAIN_LIMIT_MS = 60_000;
const STALL_LIMIT_MS = 10_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The journal's length now, then (if not empty) waits for the gateway to fold it. */
async function journalAfter(serverUrl: string, database: string): Promise<JournalAfter | null> {
  const conn = await mysql.createConnection(serverUrl);
  try {
    const rowsAtEnd = await journalLength(conn, database);
    if (rowsAtEnd === null) return null;
    const started = performance.now();
    let left = rowsAtEnd;
    let lastProgress = started;
    // Until it is empty; give up at the limit, or sooner when the journal stops shrinking.
    while (
      left > 0 &&
      performance.now() - started < DRAIN_LIMIT_MS &&
      performance.now() - lastProgress < STALL_LIMIT_MS
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = (await journalLength(conn, database)) ?? 0;
      if (now < left) lastProgress = performance.now();
      left = now;
    }
    const drainedSeconds = left === 0 ? Math.round((performance.now() - started) / 100) / 10 : null;
    return { rowsAtEnd, drainedSeconds, rowsLeft: left };
  } finally {
    await conn.end();
  }
}

async function serverFacts(serverUrl: string) {
  const conn = await mysql.createConnection(serverUrl);
  try {
    const [facts] = await rows<{ version: string; pool: number | string; flush: number | string }>(
      conn,
      `SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool,
         @@innodb_flush_log_at_trx_commit AS flush`,
    );
    return {
      version: facts!.version,
      bufferPoolMb: Math.round(Number(facts!.pool) / 1024 ** 2),
      flushLogAtTrxCommit: Number(facts!.flush),
    };
  } finally {
    await conn.end();
  }
}

async function idRange(url: string, table: 'reports' | 'users'): Promise<[number, number]> {
  const conn = await mysql.createConnection(url);
  try {
    const [range] = await rows<{ lo: number; hi: number }>(
      conn,
      `SELECT MIN(id) AS lo, MAX(id) AS hi FROM ${table}`,
    );
    if (!range?.lo) throw new Error(`${table} is empty after seeding`);
    return [Number(range.lo), Number(range.hi)];
  } finally {
    await conn.end();
  }
}

/** Measures shapes a–f on `serverUrl` (a server URL; any database in it is ignored). */
export async function measureWriteTax(
  serverUrl: string,
  options: WriteTaxOptions = WRITE_TAX_DEFAULTS,
  say: (line: string) => void = (line) => console.log(line),
): Promise<WriteTaxResult> {
  if (!existsSync(path.join(root, 'dist/cli.js'))) {
    throw new Error('the write-tax benchmark runs the built gateway: run `npm run build` first');
  }
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const server = new URL(serverUrl);
  server.pathname = '';
  const base = server.toString();
  const databases = await prepareDatabases(base, options.databases, options.executions, say);
  const { upkeep, plain } = databases;
  const key = randomBytes(18).toString('base64url');
  const ctx: ShapeContext = {
    upkeep,
    plain,
    gateway: { url: '', key },
    reports: await idRange(upkeep.url, 'reports'),
    users: await idRange(upkeep.url, 'users'),
  };
  const gateway = await startGatewayProcess(upkeep.url, key, {
    role: 'analyst',
    // Generous request limits: the bench measures the upkeep, not the gateway's guards.
    env: { REQUEST_TIMEOUT_MS: '600000', REQUEST_DB_BUDGET_MS: '600000' },
  });
  ctx.gateway.url = gateway.url;
  try {
    const journalAt = () => journalAfter(base, upkeep.database);
    // A journal left by seeding is the gateway's to fold before anything is measured.
    await journalAt();

    say(`a, b: ${options.repeats} single-row INSERTs and completing UPDATEs per side…`);
    const singleRows = await measureInsertAndComplete(ctx, options.repeats);
    const journalAb = await journalAt();

    say(`c: ${options.cellRepeats} UPDATEs per cell and side (5 000-row and 10-row cells)…`);
    const cells = await measureCellUpdates(ctx, options.cellRepeats);
    const journalC = await journalAt();

    say(
      `d: ${options.connections} connections × INSERT + UPDATE pairs, ${options.seconds} s per side…`,
    );
    const concurrent = await measureConcurrentPairs(ctx, options.connections, options.seconds);
    const journalD = await journalAt();

    say(`e: INSERT … SELECT of ${options.bulkRows.toLocaleString('en')} rows, twice per side…`);
    const insertSelect = await measureInsertSelect(ctx, options.bulkRows);
    const journalE = await journalAt();

    say(
      `f: insertExecutions of ${options.httpRows.toLocaleString('en')} rows in batches of ${options.batchSize}, twice…`,
    );
    const gatewayInserts = await measureGatewayInserts(ctx, options.httpRows, options.batchSize);
    const journalF = await journalAt();

    return {
      measuredAt: new Date().toISOString(),
      machine: MACHINE,
      loadAverage: { start: round2(loadAtStart), end: round2(os.loadavg()[0]!) },
      server: await serverFacts(base),
      options,
      upkeep: { triggers: databases.triggers, journal: journalF !== null },
      seedSeconds: Math.round(databases.seedSeconds * 10) / 10,
      singleRows,
      cells,
      concurrent,
      insertSelect,
      gatewayInserts,
      journal: { ab: journalAb, c: journalC, d: journalD, e: journalE, f: journalF },
      totalSeconds: Math.round((performance.now() - started) / 1000),
    };
  } finally {
    await gateway.stop();
  }
}
