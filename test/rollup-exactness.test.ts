/**
 * Issue 14, point 2: every view is exact at every moment, whatever wrote the data.
 *
 * Two gateway instances (real HTTP, one shared Redis cache) serve while writers of
 * every kind run at once: direct SQL from several connections (single-row inserts,
 * updates of started_at across day and month boundaries, of report_id, executed_by,
 * status and sizes, deletes, bulk INSERT … SELECT), the gateway's mutations, reports
 * changing provider or category, users and reports deleted. In rounds: a burst of
 * writes with readers alongside (their answers need only be well-formed), a barrier
 * (every write awaited), then every view is read and compared with a plain-SQL
 * recomputation (test/helpers/view-oracle.ts). Nothing waits for any rollup upkeep
 * between the barrier and the reads: a read that starts after a commit sees it.
 *
 * Reads after the barrier: first with the cache bypassed (the database path alone,
 * before anyone announces the direct writes), then through the cache on both
 * instances (one computes and stores, the other answers from Redis). Direct SQL writes
 * reach the cache only through invalidateCache, as the README documents, so rounds
 * alternate: mixed rounds end on direct writes and announce them, gateway-only rounds
 * rely on the mutations' own invalidation alone.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/main.js';
import { rollupDrift } from '../src/rollups/rollup-drift.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/redis-server.js';
import * as oracle from './helpers/view-oracle.js';
import { check, firstDifference, type Check } from './helpers/view-checks.js';

const ADMIN = `admin-${randomBytes(12).toString('hex')}`;
const ANALYST = `analyst-${randomBytes(12).toString('hex')}`;
const ROUNDS = 8;
const BURST_MS = 1_200;
const DIRECT_WRITERS = 4;
const PAGE = 50;

// Windows with partial edge days; MAIN holds all of February (a whole month).
const MAIN = { from: '2025-01-17T07:13:00.000Z', to: '2025-03-04T19:40:00.000Z' };
const WIDE = { from: '2024-12-20T00:00:00.000Z', to: '2025-04-15T00:00:00.000Z' };
const NARROW = { from: '2025-02-08T05:30:00.000Z', to: '2025-02-12T17:45:00.000Z' };
const DATA_FROM = Date.parse('2025-01-01T00:00:00.000Z');
const DATA_DAYS = 90;
const HOT_DAY = '2025-02-10';
const DAY = 86_400_000;

// Instants a moved started_at lands on: month, day and window edges, and just before them.
const EDGES = [
  '2024-12-31T23:59:59.999Z',
  '2025-01-01T00:00:00.000Z',
  '2025-01-17T07:12:59.999Z',
  MAIN.from,
  '2025-01-31T23:59:59.999Z',
  '2025-02-01T00:00:00.000Z',
  NARROW.from,
  '2025-02-09T23:59:59.999Z',
  `${HOT_DAY}T00:00:00.000Z`,
  '2025-02-12T17:44:59.999Z',
  NARROW.to,
  '2025-02-28T23:59:59.999Z',
  '2025-03-01T00:00:00.000Z',
  '2025-03-04T19:39:59.999Z',
  MAIN.to,
];

/** mulberry32: a small deterministic generator, so the seed data is the same every run. */
class Random {
  constructor(private state: number) {}
  next() {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(low: number, high: number) {
    return low + Math.floor(this.next() * (high - low + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  chance(p: number) {
    return this.next() < p;
  }
  gaussian() {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
}

/** An ISO instant as a DATETIME(3) literal. */
const at = (iso: string) => iso.replace('T', ' ').replace('Z', '');

const STATUSES = ['queued', 'running', 'success', 'failed', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];

interface Execution {
  reportId: string;
  executedBy: string | null;
  status: Status;
  startedAt: string;
  completedAt: string | null;
  durationMs: number | null;
  outputSizeBytes: string | null;
  rowCount: number | null;
  errorMessage: string | null;
}

/** A plausible execution: long tails of durations (some long runs), some null and huge outputs. */
function randomExecution(
  random: Random,
  reportId: string,
  users: readonly string[],
  startedAt: number,
) {
  const roll = random.next();
  const status: Status =
    roll < 0.04
      ? 'queued'
      : roll < 0.08
        ? 'running'
        : roll < 0.28
          ? 'failed'
          : roll < 0.33
            ? 'cancelled'
            : 'success';
  const done = status !== 'queued' && status !== 'running';
  const durationMs =
    done && random.chance(0.9)
      ? Math.min(4_000_000_000, Math.round(8_000 * Math.exp(1.6 * random.gaussian())))
      : null;
  const bytes = random.chance(0.15)
    ? null
    : random.chance(0.05)
      ? '0'
      : random.chance(0.02)
        ? String(150 * 2 ** 20 + random.int(0, 1e6))
        : String(random.int(1, 3_000_000));
  return {
    reportId,
    executedBy: random.chance(0.15) ? null : random.pick(users),
    status,
    startedAt: new Date(startedAt).toISOString(),
    completedAt:
      done && durationMs !== null ? new Date(startedAt + durationMs).toISOString() : null,
    durationMs,
    outputSizeBytes: bytes,
    rowCount: done ? random.int(0, 50_000) : null,
    errorMessage: status === 'failed' ? random.pick(['timeout', 'quota exceeded', 'denied']) : null,
  } satisfies Execution;
}

const EXECUTION_COLUMNS =
  'report_id, executed_by, status, started_at, completed_at, duration_ms, output_size_bytes, row_count, error_message';
const sqlValues = (e: Execution) => [
  e.reportId,
  e.executedBy,
  e.status,
  at(e.startedAt),
  e.completedAt && at(e.completedAt),
  e.durationMs,
  e.outputSizeBytes,
  e.rowCount,
  e.errorMessage,
];
const graphqlInput = (e: Execution) => ({ ...e, status: e.status.toUpperCase() });

let database: TestDatabase;
let redis: PrivateRedis;
let sqlConnections: mysql.Connection[] = [];
/** Reports never deleted (the hot one first) and reports that writers may delete. */
const world = { core: [] as string[], disposable: [] as string[], users: [] as string[] };
/** Execution ids seen so far, and those seeded into the hot report-day cell. */
const ids = { low: 0, high: 0, hotLow: 0, hotHigh: 0 };

async function connect() {
  const connection = await mysql.createConnection({
    uri: database.url,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}

async function insertId(connection: mysql.Connection, text: string, values: unknown[]) {
  const [result] = await connection.query<mysql.ResultSetHeader>(text, values);
  return String(result.insertId);
}

/** Users, reports of every provider and category, ~3 400 executions over 90 days, one hot cell. */
async function seed(connection: mysql.Connection) {
  const random = new Random(14);
  for (let i = 0; i < 24; i += 1) {
    world.users.push(
      await insertId(
        connection,
        'INSERT INTO users (email, display_name, role, created_at) VALUES (?, ?, ?, ?)',
        [
          `user${i}@example.com`,
          `User ${i}`,
          random.pick(['viewer', 'analyst', 'admin']),
          '2024-01-01',
        ],
      ),
    );
  }
  const kinds = [
    ['aws', 'infrastructure'],
    ['aws', 'security'],
    ['azure', 'compliance'],
    ['gcp', 'cost'],
    ['gcp', 'performance'],
    ['oci', 'custom'],
    ['multi', 'security'],
    ['azure', 'infrastructure'],
    ['aws', 'cost'],
    ['oci', 'compliance'],
    ['gcp', 'security'],
    ['multi', 'custom'],
  ] as const;
  const newReport = (i: number, created = '2024-01-01') =>
    insertId(
      connection,
      `INSERT INTO reports (name, category, provider, owner_id, is_active, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [
        `Report ${i}`,
        kinds[i % kinds.length]![1],
        kinds[i % kinds.length]![0],
        random.pick(world.users),
        i % 5 !== 4,
        created,
      ],
    );
  for (let i = 0; i < 8; i += 1) world.core.push(await newReport(i));
  for (let i = 8; i < 14; i += 1) world.disposable.push(await newReport(i));
  // Never executed, and idle since December: INACTIVE_REPORT alerts of both kinds.
  await newReport(14, '2024-03-01');
  const idle = await newReport(15);
  const rows: Execution[] = [];
  for (let i = 0; i < 3_000; i += 1) {
    const report = random.pick([...world.core, ...world.disposable]);
    rows.push(
      randomExecution(random, report, world.users, DATA_FROM + random.int(0, DATA_DAYS * DAY - 1)),
    );
  }
  for (let i = 0; i < 20; i += 1) {
    rows.push(
      randomExecution(
        random,
        idle,
        world.users,
        Date.parse('2024-12-01') + random.int(0, 20 * DAY),
      ),
    );
  }
  for (let i = 0; i < 400; i += 1) {
    rows.push(
      randomExecution(
        random,
        world.core[0]!,
        world.users,
        Date.parse(HOT_DAY) + random.int(0, DAY - 1),
      ),
    );
  }
  for (let i = 0; i < rows.length; i += 500) {
    await connection.query(`INSERT INTO report_executions (${EXECUTION_COLUMNS}) VALUES ?`, [
      rows.slice(i, i + 500).map(sqlValues),
    ]);
  }
  const [[range]] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT MIN(id) AS low, MAX(id) AS high,
       MIN(IF(report_id = ? AND DATE(started_at) = ?, id, NULL)) AS hot_low
     FROM report_executions`,
    [world.core[0], HOT_DAY],
  );
  ids.low = Number(range!.low);
  ids.high = Number(range!.high);
  ids.hotLow = Number(range!.hot_low);
  ids.hotHigh = ids.high;
}

interface Instance {
  name: string;
  gateway: RunningGateway;
  ask(
    query: string,
    variables?: unknown,
    options?: { noCache?: boolean; key?: string },
  ): Promise<Answer>;
}
interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cache?: { hit: boolean }[] };
}

/** A gateway as production starts it (main.ts), on this database and the shared Redis. */
async function startInstance(name: string): Promise<Instance> {
  const gateway = await startGateway(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      PORT: '0',
      CACHE_URL: redis.url,
      API_KEYS: `admin:${ADMIN},analyst:${ANALYST}`,
    }),
  );
  return {
    name,
    gateway,
    async ask(query, variables, { noCache = false, key = ADMIN } = {}) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${key}`,
          ...(noCache ? { 'cache-control': 'no-cache' } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Answer;
    },
  };
}

const ALERTS = {
  window: MAIN,
  longRunningMs: 120_000,
  // A power of two: failures ≥ threshold × completed is exact in DECIMAL and DOUBLE alike.
  failureRateThreshold: 0.25,
  minExecutions: 10,
  inactiveDays: 30,
  p95ThresholdMs: 60_000,
};

const CHECKS: Check[] = [
  check('reportsSummary', { window: MAIN, first: PAGE }, oracle.REPORTS_SUMMARY_SELECTION, (c) =>
    oracle.reportsSummary(c, { window: MAIN, first: PAGE }),
  ),
  check(
    'reportsSummary',
    { window: WIDE, first: PAGE, filter: { providers: ['AWS', 'GCP'] } },
    oracle.REPORTS_SUMMARY_SELECTION,
    (c) => oracle.reportsSummary(c, { window: WIDE, first: PAGE, providers: ['AWS', 'GCP'] }),
  ),
  check(
    'reportsSummary',
    { window: NARROW, first: PAGE, orderBy: { field: 'MAX_DURATION_MS', direction: 'DESC' } },
    oracle.REPORTS_SUMMARY_SELECTION,
    (c) => oracle.reportsSummary(c, { window: NARROW, first: PAGE, orderBy: 'MAX_DURATION_MS' }),
  ),
  ...(
    [
      [MAIN, 'DAY', []],
      [MAIN, 'DAY', ['PROVIDER', 'CATEGORY']],
      [MAIN, 'WEEK', ['CATEGORY']],
      [NARROW, 'HOUR', []],
      [NARROW, 'HOUR', ['PROVIDER']],
      [WIDE, 'MONTH', []],
    ] as const
  ).map(([window, granularity, groupBy]) =>
    check(
      'executionMetrics',
      { window, granularity, groupBy },
      oracle.executionMetricsSelection(groupBy),
      (c) => oracle.executionMetrics(c, { window, granularity, groupBy: [...groupBy] }),
    ),
  ),
  check(
    'providerPerformance',
    { window: MAIN },
    `provider ${oracle.DIMENSION_PERFORMANCE_FIELDS}`,
    (c) => oracle.dimensionPerformance(c, 'provider', MAIN),
  ),
  check(
    'categoryPerformance',
    { window: WIDE },
    `category ${oracle.DIMENSION_PERFORMANCE_FIELDS}`,
    (c) => oracle.dimensionPerformance(c, 'category', WIDE),
  ),
  check('userActivity', { window: MAIN, first: PAGE }, oracle.USER_ACTIVITY_SELECTION, (c) =>
    oracle.userActivity(c, MAIN, PAGE),
  ),
  check(
    'executionTrends',
    { window: MAIN, pattern: 'HOUR_OF_DAY' },
    oracle.EXECUTION_TRENDS_SELECTION,
    (c) => oracle.executionTrends(c, MAIN, 'HOUR_OF_DAY'),
  ),
  check(
    'executionTrends',
    { window: WIDE, pattern: 'DAY_OF_WEEK' },
    oracle.EXECUTION_TRENDS_SELECTION,
    (c) => oracle.executionTrends(c, WIDE, 'DAY_OF_WEEK'),
  ),
  check(
    'recentExecutions',
    { window: MAIN, first: PAGE },
    oracle.RECENT_EXECUTIONS_SELECTION,
    (c) => oracle.recentExecutions(c, MAIN, PAGE),
  ),
  check(
    'recentExecutions',
    { window: NARROW, first: PAGE },
    oracle.RECENT_EXECUTIONS_SELECTION,
    (c) => oracle.recentExecutions(c, NARROW, PAGE),
  ),
  check('performanceAlerts', ALERTS, oracle.PERFORMANCE_ALERTS_SELECTION, (c) =>
    oracle.performanceAlerts(c, { ...ALERTS, first: 500 }),
  ),
];

/** Every check read through `instance`, all at once. */
function readAll(instance: Instance, options: { noCache?: boolean } = {}) {
  return Promise.all(CHECKS.map((c) => instance.ask(c.query, c.args, options)));
}

/** Compares answers with the oracles'; each mismatch names the view, its arguments and the row. */
function compare(answers: readonly Answer[], expected: readonly unknown[], where: string) {
  const problems: string[] = [];
  answers.forEach((answer, i) => {
    const { view, args } = CHECKS[i]!;
    const what = `${where}: ${view} ${JSON.stringify(args)}`;
    if (answer.errors) {
      problems.push(`${what} failed: ${JSON.stringify(answer.errors)}`);
      return;
    }
    const difference = firstDifference(expected[i], answer.data?.[view]);
    if (difference) problems.push(`${what} differs at ${difference}`);
  });
  return problems;
}

/** Every oracle, in one consistent snapshot (no writer runs after the barrier anyway). */
async function expectedAnswers(connection: mysql.Connection) {
  await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    const answers = [];
    for (const c of CHECKS) answers.push(await c.expected(connection));
    return answers;
  } finally {
    await connection.query('COMMIT');
  }
}

interface Tally {
  committed: number;
  /** Direct statements run again after a deadlock or lock wait timeout. */
  retried: number;
  /** Writes refused because a row they named had gone meanwhile. */
  skipped: number;
  /** Mutations the gateway gave up (masked errors). */
  failed: number;
}
const tally = (): Tally => ({ committed: 0, retried: 0, skipped: 0, failed: 0 });

// Deadlocks and lock wait timeouts roll the statement back: retried. A foreign key that
// fails names a user or report another writer deleted meanwhile: skipped.
const RETRY = new Set([1213, 1205, 1467]);
const SKIP = new Set([1452]);

async function attempt(count: Tally, write: () => Promise<unknown>) {
  for (let tries = 1; ; tries += 1) {
    try {
      await write();
      count.committed += 1;
      return;
    } catch (error) {
      const errno = (error as { errno?: number }).errno ?? 0;
      if (RETRY.has(errno) && tries < 5) {
        count.retried += 1;
      } else if (RETRY.has(errno) || SKIP.has(errno)) {
        count.skipped += 1;
        return;
      } else {
        throw error;
      }
    }
  }
}

const randomId = (random: Random) => random.int(ids.low, ids.high);
const noteInsert = (result: unknown) => {
  const header = (result as [mysql.ResultSetHeader])[0];
  if (header.insertId) ids.high = Math.max(ids.high, header.insertId + header.affectedRows - 1);
};
const anyReport = (random: Random) => random.pick([...world.core, ...world.disposable]);
const randomInstant = (random: Random) =>
  DATA_FROM - 12 * DAY + random.int(0, (DATA_DAYS + 20) * DAY);

type DirectWrite = (c: mysql.Connection, random: Random) => Promise<unknown>;

/** The application's own writes, straight into MySQL, each one statement. */
const DIRECT_WRITES: DirectWrite[] = [
  (c, r) =>
    c
      .query(`INSERT INTO report_executions (${EXECUTION_COLUMNS}) VALUES (?)`, [
        sqlValues(randomExecution(r, anyReport(r), world.users, randomInstant(r))),
      ])
      .then(noteInsert),
  // started_at onto an edge (or a random instant), completed_at kept after it.
  (c, r) => {
    const to = at(r.chance(0.6) ? r.pick(EDGES) : new Date(randomInstant(r)).toISOString());
    return c.query(
      `UPDATE report_executions SET started_at = ?,
         completed_at = IF(completed_at IS NULL, NULL, ? + INTERVAL COALESCE(duration_ms, 0) * 1000 MICROSECOND)
       WHERE id >= ? ORDER BY id LIMIT 1`,
      [to, to, randomId(r)],
    );
  },
  // started_at shifted by up to three days either way.
  (c, r) => {
    const seconds = r.int(-3 * 86_400, 3 * 86_400);
    return c.query(
      `UPDATE report_executions SET started_at = started_at + INTERVAL ? SECOND,
         completed_at = completed_at + INTERVAL ? SECOND
       WHERE id >= ? ORDER BY id LIMIT 1`,
      [seconds, seconds, randomId(r)],
    );
  },
  (c, r) =>
    c.query('UPDATE report_executions SET report_id = ? WHERE id >= ? ORDER BY id LIMIT 1', [
      anyReport(r),
      randomId(r),
    ]),
  (c, r) =>
    c.query('UPDATE report_executions SET executed_by = ? WHERE id >= ? ORDER BY id LIMIT 1', [
      r.chance(0.2) ? null : r.pick(world.users),
      randomId(r),
    ]),
  (c, r) =>
    c.query('UPDATE report_executions SET status = ? WHERE id >= ? ORDER BY id LIMIT 1', [
      r.pick(STATUSES),
      randomId(r),
    ]),
  (c, r) =>
    c.query(
      'UPDATE report_executions SET duration_ms = ?, output_size_bytes = ? WHERE id >= ? ORDER BY id LIMIT 1',
      [
        r.chance(0.2) ? null : r.int(0, 900_000),
        r.chance(0.2) ? null : r.int(0, 200 * 2 ** 20),
        randomId(r),
      ],
    ),
  // The longest run of a report in the main window gets shorter: its maximum must fall.
  (c, r) =>
    c.query(
      `UPDATE report_executions SET duration_ms = ?
       WHERE report_id = ? AND started_at >= ? AND started_at < ?
       ORDER BY duration_ms DESC LIMIT 1`,
      [r.int(0, 5_000), anyReport(r), at(MAIN.from), at(MAIN.to)],
    ),
  // A row of the hot report-day cell changes.
  (c, r) =>
    c.query(
      `UPDATE report_executions SET duration_ms = ?, status = ?
       WHERE report_id = ? AND started_at >= ? AND started_at < ? + INTERVAL 1 DAY AND id >= ?
       ORDER BY id LIMIT 1`,
      [
        r.int(0, 400_000),
        r.pick(STATUSES),
        world.core[0],
        HOT_DAY,
        HOT_DAY,
        r.int(ids.hotLow, ids.hotHigh),
      ],
    ),
  (c, r) =>
    c.query('DELETE FROM report_executions WHERE id >= ? ORDER BY id LIMIT 1', [randomId(r)]),
  (c, r) =>
    c.query(
      `DELETE FROM report_executions WHERE report_id = ? AND started_at >= ? AND started_at < ?
       ORDER BY duration_ms DESC LIMIT 1`,
      [anyReport(r), at(NARROW.from), at(NARROW.to)],
    ),
  (c, r) =>
    c.query('DELETE FROM report_executions WHERE id >= ? ORDER BY id LIMIT 40', [randomId(r)]),
  // Bulk: a few hundred rows copied, moved by up to two days (across edges).
  (c, r) => {
    const minutes = r.int(-2 * 1440, 2 * 1440);
    return c
      .query(
        `INSERT INTO report_executions (${EXECUTION_COLUMNS})
         SELECT report_id, executed_by, status, started_at + INTERVAL ? MINUTE,
           completed_at + INTERVAL ? MINUTE, duration_ms, output_size_bytes, row_count, error_message
         FROM report_executions WHERE id >= ? ORDER BY id LIMIT ?`,
        [minutes, minutes, randomId(r), r.int(150, 400)],
      )
      .then(noteInsert);
  },
];

async function directWriter(
  c: mysql.Connection,
  random: Random,
  stop: { now: boolean },
  count: Tally,
) {
  while (!stop.now) {
    const write = random.pick(DIRECT_WRITES);
    await attempt(count, () => write(c, random));
  }
}

/** A report's provider and category as a mutation or an UPDATE would change them. */
function otherKind(random: Random) {
  return {
    provider: random.pick(['aws', 'azure', 'gcp', 'oci', 'multi']),
    category: random.pick([
      'infrastructure',
      'security',
      'compliance',
      'cost',
      'performance',
      'custom',
    ]),
  };
}

/** The gateway's mutations, through either instance; a refused call changes nothing. */
async function gatewayWriter(
  instances: readonly Instance[],
  c: mysql.Connection,
  random: Random,
  stop: { now: boolean },
  count: Tally,
  problems: string[],
) {
  const pickIds = async (n: number) => {
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      'SELECT id FROM report_executions WHERE id >= ? ORDER BY id LIMIT ?',
      [randomId(random), n],
    );
    return rows.map((row) => String(row.id));
  };
  while (!stop.now) {
    const instance = random.pick(instances);
    const roll = random.next();
    let answer: Answer;
    if (roll < 0.4) {
      const rows = Array.from({ length: random.int(1, 30) }, () =>
        graphqlInput(
          randomExecution(random, anyReport(random), world.users, randomInstant(random)),
        ),
      );
      answer = await instance.ask(
        'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected ids } }',
        { rows },
        { key: ANALYST },
      );
      for (const id of (answer.data?.insertExecutions as { ids?: string[] } | undefined)?.ids ?? [])
        ids.high = Math.max(ids.high, Number(id));
    } else if (roll < 0.7) {
      const rows = (await pickIds(random.int(1, 10))).map((id) => ({
        id,
        status: random.pick(['SUCCESS', 'FAILED', 'CANCELLED']),
        durationMs: random.chance(0.1) ? null : random.int(0, 700_000),
        outputSizeBytes: String(random.int(0, 5_000_000)),
      }));
      answer = await instance.ask(
        'mutation ($rows: [ExecutionUpdate!]!) { updateExecutions(rows: $rows) { affected } }',
        { rows },
      );
    } else if (roll < 0.95) {
      answer = await instance.ask(
        'mutation ($ids: [ID!]) { deleteExecutions(ids: $ids) { affected } }',
        { ids: await pickIds(random.int(1, 8)) },
      );
    } else {
      const id = random.pick(world.core);
      const [[report]] = await c.query<mysql.RowDataPacket[]>(
        'SELECT name, owner_id, is_active FROM reports WHERE id = ?',
        [id],
      );
      const { provider, category } = otherKind(random);
      answer = await instance.ask(
        'mutation ($rows: [ReportInput!]!) { upsertReports(rows: $rows) { affected } }',
        {
          rows: [
            {
              id,
              name: report!.name as string,
              ownerId: report!.owner_id === null ? null : String(report!.owner_id),
              active: Boolean(report!.is_active),
              provider: provider.toUpperCase(),
              category: category.toUpperCase(),
            },
          ],
        },
      );
    }
    const codes = new Set(answer.errors?.map((e) => e.extensions?.code));
    if (!answer.errors) count.committed += 1;
    // A user or execution picked a moment ago may be gone: refused whole, nothing written.
    else if (codes.size === 1 && codes.has('BAD_USER_INPUT')) count.skipped += 1;
    // Today's triggers deadlock under concurrent writers (issue 14): after its own retries
    // the gateway gives the call up whole (masked). Counted, and reported at the end.
    else if (codes.size === 1 && codes.has('INTERNAL_SERVER_ERROR')) count.failed += 1;
    else problems.push(`mutation via ${instance.name} failed: ${JSON.stringify(answer.errors)}`);
  }
}

/** Once per mixed round: reports change kind or state, a user and a report go, new ones come. */
async function catalogueWriter(c: mysql.Connection, random: Random, count: Tally) {
  const pause = () => new Promise((resolve) => setTimeout(resolve, random.int(0, BURST_MS / 6)));
  const { provider, category } = otherKind(random);
  const steps: (() => Promise<unknown>)[] = [
    () =>
      c.query('UPDATE reports SET provider = ?, category = ? WHERE id = ?', [
        provider,
        category,
        random.pick(world.core),
      ]),
    () => c.query('UPDATE reports SET is_active = NOT is_active WHERE id = ?', [anyReport(random)]),
    async () => {
      if (world.users.length <= 12) return;
      const user = world.users.splice(random.int(0, world.users.length - 1), 1)[0];
      await c.query('DELETE FROM users WHERE id = ?', [user]);
    },
    async () => {
      const report = world.disposable.shift();
      if (report) await c.query('DELETE FROM reports WHERE id = ?', [report]);
    },
    async () => {
      const user = await insertId(
        c,
        "INSERT INTO users (email, display_name, role) VALUES (?, 'Newcomer', 'analyst')",
        [`new-${randomBytes(6).toString('hex')}@example.com`],
      );
      world.users.push(user);
      world.disposable.push(
        await insertId(
          c,
          `INSERT INTO reports (name, category, provider, owner_id, created_at)
           VALUES ('New report', ?, ?, ?, '2024-06-01')`,
          [category, provider, user],
        ),
      );
    },
  ];
  for (const step of steps) {
    await pause();
    await attempt(count, step);
  }
}

/** Reads during the burst: any view, either instance, cached; only well-formedness counts. */
async function burstReader(
  instances: readonly Instance[],
  random: Random,
  stop: { now: boolean },
  problems: string[],
) {
  let reads = 0;
  while (!stop.now) {
    const c = random.pick(CHECKS);
    const instance = random.pick(instances);
    const answer = await instance.ask(c.query, c.args);
    reads += 1;
    if (answer.errors || !answer.data?.[c.view]) {
      problems.push(
        `burst read via ${instance.name}: ${c.view} ${JSON.stringify(c.args)}: ${JSON.stringify(answer)}`,
      );
    }
  }
  return reads;
}

let instances: Instance[] = [];
let observer: mysql.Connection;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await startPrivateRedis();
  observer = await connect();
  await seed(observer);
  sqlConnections = await Promise.all(Array.from({ length: DIRECT_WRITERS + 1 }, connect));
  instances = [await startInstance('A'), await startInstance('B')];
});

afterAll(async () => {
  await Promise.all(instances.map((i) => i.gateway.close()));
  await Promise.all([...sqlConnections, observer].map((c) => c?.end()));
  await redis?.stop();
  await database?.drop();
});

describe('exact at every moment', () => {
  it('answers every view exactly after each burst of concurrent writes of every kind, on both instances', async () => {
    const [a, b] = instances as [Instance, Instance];
    const random = new Random(1_400);
    const problems: string[] = [];
    const writes = tally();
    let burstReads = 0;
    let cacheHits = 0;
    const started = Date.now();
    for (let round = 1; round <= ROUNDS; round += 1) {
      const mixed = round % 2 === 1;
      const stop = { now: false };
      // Mixed rounds end on direct writes alone, so that entries cached after the last
      // mutation are outdated by writes the cache never heard of.
      const stopMutations = { now: false };
      const [first, ...others] = sqlConnections;
      const nextRandom = () => new Random(random.int(0, 2 ** 30));
      // A writer that fails unexpectedly ends the burst; the failure, with its SQL, is reported.
      const guard = (work: Promise<unknown>) =>
        work.catch((error: unknown) => {
          stop.now = true;
          const { message, sql } = error as { message?: string; sql?: string };
          problems.push(`round ${round}: a writer failed: ${message}${sql ? ` in ${sql}` : ''}`);
        });
      const writers = [
        gatewayWriter(instances, first!, nextRandom(), stopMutations, writes, problems),
        gatewayWriter(instances, first!, nextRandom(), stopMutations, writes, problems),
        ...(mixed
          ? [
              ...others.map((c) => directWriter(c, nextRandom(), stop, writes)),
              catalogueWriter(others[0]!, nextRandom(), writes),
            ]
          : []),
      ].map(guard);
      const readers = [1, 2].map(() => burstReader(instances, nextRandom(), stop, problems));
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      await pause(mixed ? BURST_MS * 0.7 : BURST_MS);
      stopMutations.now = true;
      if (mixed) await pause(BURST_MS * 0.3);
      stop.now = true;
      // The barrier: every write has committed (or was refused) before any read below starts.
      await Promise.all(writers);
      burstReads += (await Promise.all(readers)).reduce((sum, n) => sum + n, 0);

      const label = `round ${round} (${mixed ? 'direct SQL and mutations' : 'mutations only'})`;
      // Straight away, no cache: the database path must already hold every commit.
      const uncached = mixed ? a : b;
      const fresh = await readAll(uncached, { noCache: true });
      const expected = await expectedAnswers(observer);
      if (round === 1) {
        // The data reach every branch: each kind of alert is raised.
        const alerts = expected[CHECKS.findIndex((c) => c.view === 'performanceAlerts')];
        expect(new Set((alerts as { type: string }[]).map((alert) => alert.type)).size).toBe(4);
      }
      problems.push(...compare(fresh, expected, `${label}, uncached via ${uncached.name}`));
      // The application announces its own direct writes, as the README tells it to.
      if (mixed) {
        const announced = await b.ask('mutation { invalidateCache }');
        expect(announced.errors).toBeUndefined();
      }
      // Cached: one instance computes and stores, the other answers from the shared store.
      for (const instance of [a, b]) {
        const cached = await readAll(instance);
        cacheHits += cached.filter((answer) => answer.extensions?.cache?.some((e) => e.hit)).length;
        problems.push(...compare(cached, expected, `${label}, cached via ${instance.name}`));
      }
      if (problems.length > 0) {
        // Whether the stored state or the read went wrong: what INTEGRITY sees now.
        const drift = (await rollupDrift(database.db)).filter((d) => d.driftingCells > 0);
        problems.push(`rollup drift after ${label}: ${JSON.stringify(drift)}`);
      }
      expect(problems.slice(0, 10)).toEqual([]);
    }
    console.log(
      `rollup exactness: ${ROUNDS} rounds in ${Date.now() - started} ms; writes committed ` +
        `${writes.committed}, retried ${writes.retried}, skipped ${writes.skipped}, ` +
        `mutations given up ${writes.failed}; ` +
        `burst reads ${burstReads}; exact reads ${ROUNDS * 3 * CHECKS.length} ` +
        `(${cacheHits} of them cache hits)`,
    );
    expect(writes.committed).toBeGreaterThan(ROUNDS * 20);
  }, 120_000);

  it('answers exactly from the first read of a gateway started after direct SQL writes made while none ran', async () => {
    await Promise.all(instances.map((i) => i.gateway.close()));
    const [c] = sqlConnections as [mysql.Connection];
    const random = new Random(7);
    const writes = tally();
    // Every kind of direct write, a few times over, with no gateway (nor anything in it) running.
    for (let i = 0; i < 6; i += 1) {
      for (const write of DIRECT_WRITES) await attempt(writes, () => write(c, random));
    }
    await catalogueWriter(c, random, writes);
    expect(writes.skipped).toBe(0);

    const fresh = await startInstance('fresh');
    instances.push(fresh);
    // Its very first reads, all at once; the cache is bypassed (it never heard of these writes).
    const answers = await readAll(fresh, { noCache: true });
    const problems = compare(answers, await expectedAnswers(observer), 'first reads via fresh');
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
