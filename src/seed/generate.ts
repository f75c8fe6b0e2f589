/**
 * Deterministic, realistic demo data: users, reports and executions over 365 days,
 * with business-hour peaks, popular reports, failure bursts, slow outliers, null
 * durations and queued/running rows in the last hour. Written with multi-row inserts.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { queryOne, type Database } from '../db/pool.js';
import { EXECUTION_INSERT_COLUMNS } from '../db/execution-columns.js';
import { insertJsonRows, toDateTimeText } from '../db/json-insert.js';
import { refreshRollups } from '../rollups/refresh-rollups.js';
import { ROLLUP_STORAGE_TABLES } from '../rollups/rollup-tables.js';
import { SOURCE_TABLES } from '../db/source-tables.js';
import { Random } from './random.js';
import { CATEGORIES } from '../views/rows.js';

export interface SeedOptions {
  executions: number;
  users?: number;
  reports?: number;
  /** The end of the generated year; defaults to the start of the current UTC hour. */
  now?: Date;
  seed?: number;
  batchSize?: number;
  onProgress?: (written: number, total: number) => void;
}

export interface SeedResult {
  users: number;
  reports: number;
  executions: number;
  seconds: number;
  executionsPerSecond: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PROVIDERS = [
  ['aws', 40],
  ['azure', 25],
  ['gcp', 20],
  ['oci', 5],
  ['multi', 10],
] as const;
const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Ken',
  'Linus',
  'Margaret',
  'Dennis',
  'Radia',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Thompson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Perlman',
];
const SUBJECTS = [
  'Spend',
  'Drift',
  'Inventory',
  'Exposure',
  'Latency',
  'Capacity',
  'Patch level',
  'IAM review',
  'Backup status',
  'Tag coverage',
];
const ERRORS = [
  'Timeout waiting for provider API',
  'Rate limit exceeded (429)',
  'Credentials expired',
  'Query returned malformed JSON',
  'Worker ran out of memory',
];
// Share of executions per UTC hour: quiet nights, busy working hours.
const HOUR_WEIGHTS = [
  1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 9, 7, 9, 10, 10, 8, 6, 4, 3, 2, 2, 1, 1,
].map((weight, hour) => [hour, weight] as const);

async function insertRows(db: Database, table: string, columns: string[], rows: SQLQuery[]) {
  if (rows.length === 0) return;
  await db.query(
    sql`INSERT INTO ${sql.ident(table)} (${sql.join(
      columns.map((c) => sql.ident(c)),
      ', ',
    )}) VALUES ${sql.join(rows, ', ')}`,
  );
}

/** Removes every row from the data tables and their rollups (keeps the schema). */
export async function clearData(db: Database) {
  await db.task(async (conn) => {
    await conn.query(sql`SET FOREIGN_KEY_CHECKS = 0`);
    try {
      for (const table of [...ROLLUP_STORAGE_TABLES, ...SOURCE_TABLES]) {
        await conn.query(sql`TRUNCATE TABLE ${sql.ident(table)}`);
      }
    } finally {
      await conn.query(sql`SET FOREIGN_KEY_CHECKS = 1`);
    }
  });
}

/** True when no users, reports or executions exist yet. */
export async function isEmpty(db: Database) {
  const row = await queryOne<{ total: string }>(
    db,
    sql`
    SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM reports)
         + (SELECT COUNT(*) FROM report_executions) AS total`,
  );
  return Number(row?.total) === 0;
}

interface ReportProfile {
  id: number;
  medianMs: number;
  burstStart: number;
  burstEnd: number;
}

/** Generates and inserts demo data into an empty database. */
export async function seedDatabase(db: Database, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const random = new Random(options.seed ?? 20260101);
  const userCount = options.users ?? 200;
  const reportCount = options.reports ?? 2000;
  const batchSize = options.batchSize ?? 5000;
  const end = options.now ?? new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const yearStart = end.getTime() - 365 * DAY;

  const users: SQLQuery[] = [];
  for (let id = 1; id <= userCount; id += 1) {
    const name = `${random.pick(FIRST)} ${random.pick(LAST)}`;
    const role = random.weighted([
      ['viewer', 60],
      ['analyst', 30],
      ['admin', 10],
    ] as const);
    const createdAt = new Date(yearStart - random.int(0, 365) * DAY);
    users.push(sql`(${id}, ${`user${id}@example.com`}, ${name}, ${role}, ${createdAt})`);
  }
  await insertRows(db, 'users', ['id', 'email', 'display_name', 'role', 'created_at'], users);

  const profiles: ReportProfile[] = [];
  const reports: SQLQuery[] = [];
  for (let id = 1; id <= reportCount; id += 1) {
    const category = random.pick(CATEGORIES);
    const provider = random.weighted(PROVIDERS);
    const owner = random.next() < 0.95 ? random.int(1, userCount) : null;
    const createdAt = new Date(yearStart - random.int(0, 60) * DAY + random.int(0, DAY - 1));
    const name = `${provider.toUpperCase()} ${random.pick(SUBJECTS)} (${category}) #${id}`;
    const description = random.next() < 0.7 ? `Weekly ${category} view for ${provider}` : null;
    const parameters = JSON.stringify({
      region: random.pick(['eu-west-1', 'us-east-1', 'ap-south-1']),
    });
    reports.push(
      sql`(${id}, ${name}, ${description}, ${category}, ${provider}, ${owner}, ${random.next() < 0.9}, ${parameters}, ${createdAt}, ${createdAt})`,
    );
    const burstStart = yearStart + random.int(0, 362) * DAY;
    profiles.push({
      id,
      medianMs: Math.round(random.logNormal(2_000, 1.2)),
      // One report in ten has a two-day failure burst somewhere in the year.
      burstStart: id % 10 === 0 ? burstStart : 0,
      burstEnd: id % 10 === 0 ? burstStart + 2 * DAY : 0,
    });
  }
  for (let i = 0; i < reports.length; i += batchSize) {
    await insertRows(
      db,
      'reports',
      [
        'id',
        'name',
        'description',
        'category',
        'provider',
        'owner_id',
        'is_active',
        'parameters',
        'created_at',
        'updated_at',
      ],
      reports.slice(i, i + batchSize),
    );
  }

  // One connection with the per-row rollup triggers off; the rollups are built
  // set-based from the seeded rows afterwards.
  await db.task(async (conn) => {
    await conn.query(sql`SET @rollups_by_statement = 1`);
    try {
      const openShare = Math.min(0.01, 50 / Math.max(options.executions, 1));
      let batch: unknown[][] = [];
      for (let n = 0; n < options.executions; n += 1) {
        // Popular reports run far more often: square the roll to skew towards low ids.
        const profile = profiles[Math.floor(random.next() ** 2 * reportCount)]!;
        const executedBy = random.next() < 0.85 ? random.int(1, userCount) : null;
        // About 50 runs are still queued or running in the last hour, whatever the size.
        const open = random.next() < openShare;
        let startedMs: number;
        let status: string;
        if (open) {
          startedMs = end.getTime() - random.int(1, HOUR);
          status = random.next() < 0.5 ? 'queued' : 'running';
        } else {
          const day = random.int(0, 364);
          const hour = random.weighted(HOUR_WEIGHTS);
          startedMs = Math.min(
            yearStart + day * DAY + hour * HOUR + random.int(0, HOUR - 1),
            end.getTime() - 1,
          );
          // A failing report is retried: a third of its runs crowd into its burst.
          if (profile.burstEnd > 0 && random.next() < 0.3) {
            startedMs = Math.min(
              profile.burstStart + random.int(0, 2 * DAY - 1),
              end.getTime() - 1,
            );
          }
          const inBurst = startedMs >= profile.burstStart && startedMs < profile.burstEnd;
          const failRate = inBurst ? 0.7 : 0.07;
          const roll = random.next();
          status = roll < failRate ? 'failed' : roll < failRate + 0.04 ? 'cancelled' : 'success';
        }
        const startedAt = new Date(startedMs);
        const finished = status !== 'queued' && status !== 'running';
        let duration: number | null = null;
        if (finished && random.next() >= 0.02) {
          duration = Math.round(random.logNormal(profile.medianMs, 0.6));
          if (random.next() < 0.01) duration *= random.int(20, 200); // slow outlier
          duration = Math.min(duration, 4_000_000_000);
        }
        const completedAt = duration === null ? null : new Date(startedMs + duration);
        const success = status === 'success';
        const bytes = success
          ? Math.round(random.logNormal(1_048_576, 2))
          : status === 'failed'
            ? 0
            : null;
        const rowCount = success ? Math.round(random.logNormal(5_000, 1.5)) : null;
        const error = status === 'failed' ? random.pick(ERRORS) : null;
        batch.push([
          profile.id,
          executedBy,
          status,
          toDateTimeText(startedAt),
          toDateTimeText(completedAt),
          duration,
          bytes,
          rowCount,
          error,
        ]);
        if (batch.length === batchSize) {
          await insertJsonRows(conn, 'report_executions', EXECUTION_INSERT_COLUMNS, batch);
          batch = [];
          options.onProgress?.(n + 1, options.executions);
        }
      }
      await insertJsonRows(conn, 'report_executions', EXECUTION_INSERT_COLUMNS, batch);
      options.onProgress?.(options.executions, options.executions);
    } finally {
      await conn.query(sql`SET @rollups_by_statement = NULL`);
    }
  });
  await refreshRollups(db);

  const seconds = (performance.now() - started) / 1000;
  return {
    users: userCount,
    reports: reportCount,
    executions: options.executions,
    seconds,
    executionsPerSecond: Math.round(options.executions / seconds),
  };
}
