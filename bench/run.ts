/**
 * npm run bench: measurements side by side in one run, on one dataset.
 * So far: the cached dashboard (all eight views in one request, answered from the
 * response cache) against `{ __typename }` on the same server, at concurrency 32
 * (target: ≥ 70 %); and insertExecutions of 100 000 rows in batches of 5 000
 * against INSERT … SELECT of the same rows inside the server (the physical limit).
 * Each view uncached beside its mv_* view run directly (view-latency.ts).
 * The gateway runs as its own process; autocannon loads it over loopback.
 * Results go to bench/results.json.
 *
 *   npm run bench -- [--executions 100000] [--seconds 10]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from '@databases/mysql';
import { loadConfig } from '../src/config.js';
import { migrateUp } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { queryOne } from '../src/db/pool.js';
import { clearData, seedDatabase } from '../src/seed/generate.js';
import { measureViews } from './view-latency.js';

const { values } = parseArgs({
  options: {
    executions: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
  },
});
const executions = Number(values.executions);
const seconds = Number(values.seconds);
const root = path.resolve(import.meta.dirname, '..');
const ANALYST_KEY = randomBytes(18).toString('base64url');
const DASHBOARD = readFileSync(path.join(root, 'test/operations/dashboard.graphql'), 'utf8');

const config = loadConfig({
  ...process.env,
  DATA_DIR: process.env.DATA_DIR ?? path.join(root, '.data/bench'),
});
const database = await openDatabase(config);
await migrateUp(database.db);
const present = await queryOne<{ n: string }>(
  database.db,
  sql`SELECT COUNT(*) AS n FROM report_executions`,
);
if (Number(present?.n) !== executions) {
  console.log(`Building the dataset: ${executions.toLocaleString('en')} executions…`);
  await clearData(database.db);
  const seeded = await seedDatabase(database.db, { executions });
  console.log(`  ${seeded.executionsPerSecond.toLocaleString('en')} executions/s`);
}

/** Starts the gateway as a child process on a free port; resolves with its URL. */
function startGateway(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: '0',
      NODE_ENV: 'production',
      API_KEYS: `analyst:${ANALYST_KEY}`,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (match) resolve({ url: match[1]!, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
}

interface Measured {
  name: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP97_5Ms: number;
  errors: number;
}

async function load(name: string, url: string, query: string): Promise<Measured> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 32,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ANALYST_KEY}` },
    body: JSON.stringify({ query }),
  });
  return {
    name,
    requestsPerSecond: result.requests.p50,
    latencyP50Ms: result.latency.p50,
    latencyP97_5Ms: result.latency.p97_5,
    errors: result.errors + result.non2xx,
  };
}

interface WriteMeasure {
  rows: number;
  gatewayRowsPerSecond: number;
  insertSelectRowsPerSecond: number;
  ratio: number;
}

/** insertExecutions through the gateway against INSERT … SELECT of the same rows. */
async function measureWrites(
  url: string,
  rows = 100_000,
  batchSize = 5_000,
): Promise<WriteMeasure> {
  const reports = await queryOne<{ lo: string; hi: string }>(
    database.db,
    sql`SELECT MIN(id) AS lo, MAX(id) AS hi FROM reports`,
  );
  const lo = Number(reports?.lo);
  const span = Number(reports?.hi) - lo + 1;
  const input = Array.from({ length: rows }, (_, i) => ({
    reportId: String(lo + (i % span)),
    status: 'SUCCESS',
    startedAt: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(),
    completedAt: new Date(Date.UTC(2020, 0, 1) + i * 1000 + 1500).toISOString(),
    durationMs: 1500,
    outputSizeBytes: '4096',
    rowCount: 10,
  }));
  const body = JSON.stringify({
    query:
      'mutation ($rows: [ExecutionInput!]!, $b: Int) { insertExecutions(rows: $rows, batchSize: $b) { affected } }',
    variables: { rows: input, b: batchSize },
  });
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ANALYST_KEY}` },
    body,
  });
  const result = (await response.json()) as { data?: { insertExecutions: { affected: number } } };
  const gatewaySeconds = (performance.now() - started) / 1000;
  if (result.data?.insertExecutions.affected !== rows)
    throw new Error(`insert failed: ${JSON.stringify(result).slice(0, 300)}`);

  // The same rows copied inside the server: no network, no parsing, the same indexes.
  const copyStarted = performance.now();
  await database.db.query(sql`
    INSERT INTO report_executions (report_id, executed_by, status, started_at, completed_at,
      duration_ms, output_size_bytes, row_count, error_message)
    SELECT report_id, executed_by, status, started_at + INTERVAL 1 YEAR, completed_at + INTERVAL 1 YEAR,
      duration_ms, output_size_bytes, row_count, error_message
    FROM report_executions WHERE started_at >= '2020-01-01' AND started_at < '2021-01-01'`);
  const copySeconds = (performance.now() - copyStarted) / 1000;
  await database.db.query(
    sql`DELETE FROM report_executions WHERE started_at >= '2020-01-01' AND started_at < '2022-01-01'`,
  );
  const gatewayRowsPerSecond = Math.round(rows / gatewaySeconds);
  const insertSelectRowsPerSecond = Math.round(rows / copySeconds);
  return {
    rows,
    gatewayRowsPerSecond,
    insertSelectRowsPerSecond,
    ratio: gatewayRowsPerSecond / insertSelectRowsPerSecond,
  };
}

const gateway = await startGateway();
try {
  // One miss fills the cache; every later dashboard request is a response-cache hit.
  // Both loaded requests are checked to answer without errors before they are timed.
  for (const query of [DASHBOARD, '{ __typename }']) {
    const answer = (await (
      await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ANALYST_KEY}` },
        body: JSON.stringify({ query }),
      })
    ).json()) as { errors?: unknown };
    if (answer.errors)
      throw new Error(`benchmark request failed: ${JSON.stringify(answer.errors)}`);
  }
  const typename = await load('{ __typename }', gateway.url, '{ __typename }');
  const dashboard = await load('dashboard, cached (8 views)', gateway.url, DASHBOARD);
  const ratio = dashboard.requestsPerSecond / typename.requestsPerSecond;

  console.log(
    `\nDataset: ${executions.toLocaleString('en')} executions; autocannon, 32 connections, ${seconds} s each\n`,
  );
  console.log('| request | req/s (median) | p50 ms | p97.5 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const m of [typename, dashboard]) {
    console.log(
      `| ${m.name} | ${m.requestsPerSecond} | ${m.latencyP50Ms} | ${m.latencyP97_5Ms} | ${m.errors} |`,
    );
  }
  console.log(
    `\ncached dashboard ÷ __typename throughput: ${(ratio * 100).toFixed(1)} % (target ≥ 70 %)`,
  );

  const views = await measureViews(gateway.url, ANALYST_KEY, database.db);
  console.log('\n| view (uncached, default window) | gateway median ms | mv_* view median ms |');
  console.log('| --- | ---: | ---: |');
  for (const v of views) console.log(`| ${v.view} | ${v.gatewayMedianMs} | ${v.sqlViewMedianMs} |`);

  const writes = await measureWrites(gateway.url);
  console.log('\n| write | rows/s |');
  console.log('| --- | ---: |');
  console.log(
    `| insertExecutions, ${writes.rows} rows in batches of 5 000 | ${writes.gatewayRowsPerSecond} |`,
  );
  console.log(
    `| INSERT … SELECT of the same rows (the limit) | ${writes.insertSelectRowsPerSecond} |`,
  );
  console.log(
    `\ninsertExecutions ÷ INSERT … SELECT: ${(writes.ratio * 100).toFixed(1)} % (targets ≥ 100 000 rows/s and ≥ 40 %)`,
  );
  writeFileSync(
    path.join(root, 'bench/results.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), executions, seconds, results: [typename, dashboard], cachedDashboardRatio: ratio, views, writes }, null, 2)}\n`,
  );
} finally {
  gateway.stop();
  await database.close();
}
