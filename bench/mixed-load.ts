/**
 * npm run bench:mixed: a bounded mixed workload against the gateway on dataset S,
 * over loopback. The gateway runs as its own process (the compiled build); a fixed
 * number of concurrent clients send 90 % reads (the eight views with varied windows
 * and filters, a share with Cache-Control: no-cache) and 10 % insertExecutions
 * batches, for a fixed time. Every second the gateway's /metrics is sampled for its
 * RSS, event-loop delay p99, pool connections and rollup journal backlog, and the server for
 * Threads_connected. Prints a table and writes bench/mixed-results.json; dataset S
 * is rebuilt afterwards (the inserted rows would otherwise stay in it).
 *
 *   npm run bench:mixed -- [--seconds 180] [--concurrency 16] [--insert-share 0.1]
 *     [--insert-rows 500] [--no-cache-share 0.3] [--seed 1]
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from '@databases/mysql';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { queryOne, type Database } from '../src/db/pool.js';
import { openDataset } from './datasets.js';
import { MACHINE } from './machine.js';
import { startGatewayProcess } from './gateway-process.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '180' },
    concurrency: { type: 'string', default: '16' },
    'insert-share': { type: 'string', default: '0.1' },
    'insert-rows': { type: 'string', default: '500' },
    'no-cache-share': { type: 'string', default: '0.3' },
    seed: { type: 'string', default: '1' },
  },
});
function option(name: keyof typeof values, min: number, max: number): number {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name}: expected a number from ${min} to ${max}, got ${values[name]}`);
  }
  return value;
}
const seconds = option('seconds', 1, 3600);
const concurrency = option('concurrency', 1, 256);
const insertShare = option('insert-share', 0, 1);
const insertRows = option('insert-rows', 1, 100_000);
const noCacheShare = option('no-cache-share', 0, 1);
const seed = option('seed', 0, 2 ** 31);

const root = path.resolve(import.meta.dirname, '..');
const KEY = randomBytes(18).toString('base64url');
const DAY = 86_400_000;

// ---------------------------------------------------------------- the requests

/** mulberry32: a small seeded generator, so that runs send the same mix. */
function generator(state: number) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
type Random = ReturnType<typeof generator>;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
const some = <T>(random: Random, items: readonly T[]): T[] => {
  const chosen = items.filter(() => random() < 0.4);
  return chosen.length > 0 ? chosen : [pick(random, items)];
};

interface Ranges {
  reports: [number, number];
  users: [number, number];
}

const PROVIDERS = ['AWS', 'AZURE', 'GCP', 'OCI', 'MULTI'];
const CATEGORIES = ['INFRASTRUCTURE', 'SECURITY', 'COMPLIANCE', 'COST', 'PERFORMANCE', 'CUSTOM'];
const STATUSES = ['QUEUED', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'];
const LASTS = ['P1D', 'P7D', 'P30D', 'P90D'];

const between = (random: Random, [lo, hi]: [number, number]) =>
  lo + Math.floor(random() * (hi - lo + 1));

/** A window: mostly a common one (repeats, cacheable), sometimes arbitrary bounds. */
function windowArg(random: Random): string {
  if (random() < 0.75) return `{ last: "${pick(random, LASTS)}" }`;
  const to = Date.now() - Math.floor(random() * 60) * DAY;
  const from = to - (1 + Math.floor(random() * 89)) * DAY - Math.floor(random() * DAY);
  return `{ from: "${new Date(from).toISOString()}", to: "${new Date(to).toISOString()}" }`;
}

/** A report filter: none, providers, categories or a few report ids. */
function reportFilter(random: Random, ranges: Ranges): string {
  const roll = random();
  if (roll < 0.4) return '';
  if (roll < 0.6) return `filter: { providers: [${some(random, PROVIDERS).join(', ')}] }`;
  if (roll < 0.8) return `filter: { categories: [${some(random, CATEGORIES).join(', ')}] }`;
  const ids = Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
    between(random, ranges.reports),
  );
  return `filter: { reportIds: [${ids.map((id) => `"${id}"`).join(', ')}] }`;
}

const READS: Record<string, (random: Random, ranges: Ranges) => string> = {
  reportsSummary: (random, ranges) =>
    `{ reportsSummary(window: ${windowArg(random)}, ${reportFilter(random, ranges)} first: ${pick(random, [10, 20, 50])}, orderBy: { field: ${pick(random, ['EXECUTIONS', 'FAILURES', 'AVG_DURATION_MS', 'SUCCESS_RATE'])} }) { totalCount edges { node { report { id name provider owner { displayName } } executions successRate avgDurationMs totalOutputBytes } } } }`,
  executionMetrics: (random, ranges) =>
    `{ executionMetrics(window: ${windowArg(random)}, granularity: ${pick(random, ['HOUR', 'DAY', 'DAY', 'WEEK'])}, ${random() < 0.5 ? 'groupBy: [PROVIDER],' : ''} ${reportFilter(random, ranges)}) { bucketStart provider executions successRate avgDurationMs } }`,
  providerPerformance: (random, ranges) =>
    `{ providerPerformance(window: ${windowArg(random)}, ${reportFilter(random, ranges)}) { provider reports executions successRate bytesPerSecond } }`,
  categoryPerformance: (random, ranges) =>
    `{ categoryPerformance(window: ${windowArg(random)}, ${reportFilter(random, ranges)}) { category reports executions successRate avgDurationMs } }`,
  userActivity: (random) =>
    `{ userActivity(window: ${windowArg(random)}, first: ${pick(random, [10, 20, 50])}${random() < 0.3 ? `, filter: { roles: [${pick(random, ['VIEWER', 'ANALYST', 'ADMIN'])}] }` : ''}) { totalCount edges { node { user { email displayName } executions successRate segment } } } }`,
  recentExecutions: (random, ranges) => {
    const roll = random();
    const filter =
      roll < 0.3
        ? `filter: { statuses: [${some(random, STATUSES).join(', ')}] }`
        : roll < 0.5
          ? `filter: { reportIds: ["${between(random, ranges.reports)}"] }`
          : '';
    return `{ recentExecutions(first: ${pick(random, [20, 50])}, ${filter}) { edges { node { id status startedAt durationMs performanceCategory report { name } executedBy { email } } } } }`;
  },
  performanceAlerts: (random) =>
    `{ performanceAlerts(window: { last: "${pick(random, ['P1D', 'P7D'])}" }, first: 100, longRunningMs: ${pick(random, [60_000, 300_000, 600_000])}) { type severity value report { name } observedAt } }`,
  executionTrends: (random, ranges) =>
    `{ executionTrends(window: ${windowArg(random)}, pattern: ${pick(random, ['HOUR_OF_DAY', 'DAY_OF_WEEK'])}, ${reportFilter(random, ranges)}) { slots { slot executions share } peak { slot } } }`,
};

const INSERT =
  'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }';

/**
 * A batch of executions like the seeded ones: started in the last week (arrivals, some
 * late), mostly a few seconds long with 1 % slow outliers.
 */
function insertBody(random: Random, ranges: Ranges): string {
  const rows = Array.from({ length: insertRows }, () => {
    const started = Date.now() - Math.floor(random() * 7 * DAY);
    const status = pick(random, [
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'FAILED',
      'CANCELLED',
    ]);
    const durationMs = Math.round(
      (200 + random() ** 3 * 30_000) * (random() < 0.01 ? 20 + random() * 180 : 1),
    );
    return {
      reportId: String(between(random, ranges.reports)),
      executedBy: random() < 0.9 ? String(between(random, ranges.users)) : null,
      status,
      startedAt: new Date(started).toISOString(),
      completedAt: new Date(started + durationMs).toISOString(),
      durationMs,
      outputSizeBytes: String(Math.floor(random() * 50_000_000)),
      rowCount: Math.floor(random() * 10_000),
      errorMessage: status === 'FAILED' ? 'Timed out waiting for the provider API' : null,
    };
  });
  return JSON.stringify({ query: INSERT, variables: { rows } });
}

// ---------------------------------------------------------------- measuring

interface Outcome {
  kind: string;
  cached: boolean;
  ms: number;
  error?: string;
}

async function send(url: string, body: string, noCache: boolean): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${KEY}`,
        ...(noCache ? { 'cache-control': 'no-cache' } : {}),
      },
      body,
    });
    const text = await response.text();
    if (response.status !== 200) return `HTTP ${response.status}: ${text.slice(0, 200)}`;
    const result = JSON.parse(text) as { errors?: { message: string }[] };
    return result.errors ? `GraphQL: ${result.errors[0]?.message.slice(0, 200)}` : undefined;
  } catch (error) {
    return `fetch: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Sample {
  second: number;
  rssMb: number;
  /** V8's heap in use (live objects and garbage not yet collected). */
  heapUsedMb: number;
  eventLoopP99Ms: number;
  poolInUse: number;
  poolIdle: number;
  poolWaiting: number;
  threadsConnected: number;
  /** Rollup journal rows not yet folded, and the age of the oldest, in seconds. */
  journalRows: number;
  journalLagSeconds: number;
}

/** The gateway's own numbers from /metrics, and the server's Threads_connected. */
async function sample(metricsUrl: string, db: Database, second: number): Promise<Sample> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  const threads = await queryOne<{ Value: string }>(
    db,
    sql`SHOW GLOBAL STATUS LIKE 'Threads_connected'`,
  );
  return {
    second,
    rssMb: round1(value(/^process_resident_memory_bytes (\S+)$/m) / 1024 ** 2),
    heapUsedMb: round1(value(/^nodejs_heap_size_used_bytes (\S+)$/m) / 1024 ** 2),
    eventLoopP99Ms: round1(value(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m) * 1000),
    poolInUse: value(/^gateway_db_pool_connections\{state="in_use"\} (\S+)$/m),
    poolIdle: value(/^gateway_db_pool_connections\{state="idle"\} (\S+)$/m),
    poolWaiting: value(/^gateway_db_pool_waiting_requests (\S+)$/m),
    threadsConnected: Number(threads?.Value ?? NaN),
    journalRows: value(/^gateway_rollup_journal_rows (\S+)$/m),
    journalLagSeconds: round1(value(/^gateway_rollup_journal_lag_seconds (\S+)$/m)),
  };
}

// ---------------------------------------------------------------- the run

const config = loadConfig({
  EMBEDDED_BUFFER_POOL_MB: '4096',
  ...process.env,
  DATA_DIR: process.env.DATA_DIR ?? path.join(root, '.data/bench'),
});
const server = await openDatabase(config);
if (!server.embedded) {
  throw new Error('the mixed load runs on the embedded server: unset DATABASE_URL');
}
const serverUrl = server.embedded.serverUrl;
let dataset = await openDataset(serverUrl, 'S');
const ranges: Ranges = { reports: [0, 0], users: [0, 0] };
for (const [table, range] of [
  ['reports', ranges.reports],
  ['users', ranges.users],
] as const) {
  const row = await queryOne<{ lo: string; hi: string }>(
    dataset.db,
    sql`SELECT MIN(id) AS lo, MAX(id) AS hi FROM ${sql.ident(table)}`,
  );
  range[0] = Number(row?.lo);
  range[1] = Number(row?.hi);
}
const before = await queryOne<{ n: string }>(
  dataset.db,
  sql`SELECT COUNT(*) AS n FROM report_executions`,
);

const gateway = await startGatewayProcess(dataset.url, KEY, { role: 'analyst' });
const metricsUrl = gateway.url.replace(/\/graphql$/, '/metrics');
const outcomes: Outcome[] = [];
const samples: Sample[] = [];
let idle: Sample[] = [];
try {
  // Idle baseline: the event-loop figure includes prom-client's 10 ms sampling resolution.
  for (let i = 0; i < 3; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    idle.push(await sample(metricsUrl, dataset.db, -3 + i));
  }
  idle = idle.slice(1);
  console.log(
    `Mixed load on S for ${seconds} s: ${concurrency} clients, ${Math.round(insertShare * 100)} % ` +
      `insertExecutions of ${insertRows} rows, ${Math.round(noCacheShare * 100)} % of reads no-cache…`,
  );
  const started = performance.now();
  const end = started + seconds * 1000;
  let sampling = true;
  const sampler = (async () => {
    for (let second = 1; sampling; second += 1) {
      const due = started + second * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      if (!sampling) break;
      samples.push(await sample(metricsUrl, dataset.db, second));
    }
  })();
  const views = Object.keys(READS);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const random = generator(seed * 1000 + worker);
      while (performance.now() < end) {
        const insert = random() < insertShare;
        const kind = insert ? 'insertExecutions' : pick(random, views);
        const noCache = !insert && random() < noCacheShare;
        const body = insert
          ? insertBody(random, ranges)
          : JSON.stringify({ query: READS[kind]!(random, ranges) });
        const t0 = performance.now();
        const error = await send(gateway.url, body, noCache);
        outcomes.push({ kind, cached: !noCache && !insert, ms: performance.now() - t0, error });
      }
    }),
  );
  sampling = false;
  await sampler;
  const elapsed = (performance.now() - started) / 1000;
  // After the load: where memory settles.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const after = await sample(metricsUrl, dataset.db, Math.round(elapsed) + 2);
  const peakRssMb = gateway.peakRssMb();

  // ---------------------------------------------------------------- the report
  const groups = new Map<string, Outcome[]>();
  const group = (name: string, outcome: Outcome) => {
    const list = groups.get(name);
    if (list) list.push(outcome);
    else groups.set(name, [outcome]);
  };
  for (const outcome of outcomes) group(outcome.kind, outcome);
  for (const outcome of outcomes) {
    if (outcome.kind === 'insertExecutions') continue;
    group(outcome.cached ? 'reads, cache allowed' : 'reads, no-cache', outcome);
    group('all reads', outcome);
  }
  groups.set('all requests', outcomes);
  const kinds = [
    ...views,
    'insertExecutions',
    'reads, cache allowed',
    'reads, no-cache',
    'all reads',
    'all requests',
  ];
  const byKind = kinds.map((kind) => {
    const list = groups.get(kind) ?? [];
    const ms = list.map((o) => o.ms).sort((a, b) => a - b);
    const errors = list.filter((o) => o.error);
    return {
      kind,
      requests: list.length,
      perSecond: round1(list.length / elapsed),
      errors: errors.length,
      firstErrors: [...new Set(errors.map((o) => o.error))].slice(0, 3),
      p50Ms: round1(percentile(ms, 0.5)),
      p95Ms: round1(percentile(ms, 0.95)),
      p99Ms: round1(percentile(ms, 0.99)),
      maxMs: round1(ms.at(-1) ?? 0),
    };
  });
  const max = (pick: (s: Sample) => number) => Math.max(...samples.map(pick));
  const median = (pick: (s: Sample) => number) =>
    percentile(
      samples.map(pick).sort((a, b) => a - b),
      0.5,
    );
  const memory = {
    idleRssMb: idle.at(-1)!.rssMb,
    startRssMb: samples[0]!.rssMb,
    maxSampledRssMb: max((s) => s.rssMb),
    endRssMb: samples.at(-1)!.rssMb,
    afterLoadRssMb: after.rssMb,
    peakRssMb,
    idleHeapUsedMb: idle.at(-1)!.heapUsedMb,
    maxHeapUsedMb: max((s) => s.heapUsedMb),
    endHeapUsedMb: samples.at(-1)!.heapUsedMb,
    afterLoadHeapUsedMb: after.heapUsedMb,
  };
  const eventLoop = {
    idleP99Ms: idle.at(-1)!.eventLoopP99Ms,
    medianOfSecondP99Ms: median((s) => s.eventLoopP99Ms),
    maxOfSecondP99Ms: max((s) => s.eventLoopP99Ms),
  };
  const pool = {
    maxInUse: max((s) => s.poolInUse),
    medianInUse: median((s) => s.poolInUse),
    maxOpen: max((s) => s.poolInUse + s.poolIdle),
    maxWaiting: max((s) => s.poolWaiting),
    maxThreadsConnected: max((s) => s.threadsConnected),
  };
  const journal = {
    medianRows: median((s) => s.journalRows),
    maxRows: max((s) => s.journalRows),
    maxLagSeconds: max((s) => s.journalLagSeconds),
    rowsAfter: after.journalRows,
  };
  const rowsInserted =
    (groups.get('insertExecutions') ?? []).filter((o) => !o.error).length * insertRows;

  console.log(
    `\n${MACHINE.cpus} × ${MACHINE.model}; ${outcomes.length} requests in ${round1(elapsed)} s ` +
      `(${round1(outcomes.length / elapsed)}/s), ${rowsInserted.toLocaleString('en')} rows inserted\n`,
  );
  console.log('| kind | requests | req/s | errors | p50 ms | p95 ms | p99 ms | max ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const k of byKind) {
    console.log(
      `| ${k.kind} | ${k.requests} | ${k.perSecond} | ${k.errors} | ${k.p50Ms} | ${k.p95Ms} | ${k.p99Ms} | ${k.maxMs} |`,
    );
  }
  for (const k of byKind.filter(
    (k) => k.errors > 0 && !k.kind.startsWith('all') && !k.kind.startsWith('reads'),
  )) {
    console.log(`  ${k.kind} errors, e.g.: ${k.firstErrors.join(' | ')}`);
  }
  console.log(
    `\nGateway RSS MB: idle ${memory.idleRssMb}, first second ${memory.startRssMb}, max sampled ${memory.maxSampledRssMb}, ` +
      `last second ${memory.endRssMb}, 2 s after ${memory.afterLoadRssMb} (peak VmHWM ${memory.peakRssMb}); ` +
      `V8 heap used MB: idle ${memory.idleHeapUsedMb}, max ${memory.maxHeapUsedMb}, last second ${memory.endHeapUsedMb}, 2 s after ${memory.afterLoadHeapUsedMb}`,
  );
  console.log(
    `Event-loop delay p99 per second, ms: idle ${eventLoop.idleP99Ms}, median ${eventLoop.medianOfSecondP99Ms}, max ${eventLoop.maxOfSecondP99Ms}`,
  );
  console.log(
    `DB pool: in use median ${pool.medianInUse}, max ${pool.maxInUse} (of ${pool.maxOpen} open), ` +
      `max waiting ${pool.maxWaiting}; server Threads_connected max ${pool.maxThreadsConnected} (this script holds 1)`,
  );
  console.log(
    `Rollup journal: rows median ${journal.medianRows}, max ${journal.maxRows}; oldest row at most ` +
      `${journal.maxLagSeconds} s old; ${journal.rowsAfter} rows 2 s after the load`,
  );

  writeFileSync(
    path.join(root, 'bench/mixed-results.json'),
    `${JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        machine: MACHINE,
        dataset: { name: 'S', executionsBefore: Number(before?.n), rowsInserted },
        settings: { seconds, concurrency, insertShare, insertRows, noCacheShare, seed },
        elapsedSeconds: round1(elapsed),
        byKind,
        memory,
        eventLoop,
        pool,
        journal,
        samples,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await gateway.stop();
  await dataset.db.dispose();
  // The inserted rows made S larger than S: rebuild it for the next benchmark.
  console.log('\nRestoring dataset S…');
  dataset = await openDataset(serverUrl, 'S');
  await dataset.db.dispose();
  await server.close();
}
