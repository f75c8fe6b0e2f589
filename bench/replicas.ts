/**
 * The replica run of `npm run bench` (alone: `npm run bench:replicas`): a primary and two
 * replicas, private MariaDB servers on this machine replicating by GTID, holding 100 000
 * seeded executions. Side by side in one run:
 * - the uncached dashboard (8 views) under load, with reads on the replicas
 *   (READ_DATABASE_URLS) and on the primary alone, and which server answered the reads;
 * - the time from a write's acknowledgement (insertExecutions through the gateway) to the
 *   first read on a replica that includes it (polled on both replicas), and an uncached
 *   gateway read right after each write, with replicas and without.
 * Writes bench/replica-results.json when run alone.
 *
 *   npm run bench:replicas -- [--seconds 20] [--repeats 40] [--executions 100000]
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from '@databases/mysql';
import { migrateUp } from '../src/db/migrate.js';
import { openPool, queryOne, type Database } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { caughtUp, startReplication } from '../test/helpers/replication.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { load, type Load } from './load.js';
import { MACHINE } from './machine.js';
import { timeRuns, type Timing } from './timing.js';
import { DASHBOARD } from './view-latency.js';

const DATABASE = 'bench_replicas';
const KEY = randomBytes(18).toString('base64url');
// Uncached: every request reads the database (an admin key may bypass the cache).
const NO_CACHE = { 'cache-control': 'no-cache' };

export interface ReplicaMeasure {
  executions: number;
  /** The uncached dashboard, one request at a time. */
  dashboardSerial: { primaryOnly: Timing; withReplicas: Timing };
  dashboardUncached: { primaryOnly: Load; withReplicas: Load };
  /** Read statements of the loaded gateway with replicas, by the server that answered. */
  readsByServer: Record<string, number>;
  /** Acknowledgement of a write to the first replica read that includes it. */
  visibleOnReplica: Timing;
  /** An uncached reportsSummary right after each write (it must include the write). */
  readAfterWrite: { primaryOnly: Timing; withReplicas: Timing };
}

async function post(gateway: GatewayProcess, query: string, variables?: unknown) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...NO_CACHE },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

const INSERT = `mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { ids } }`;
const SUMMARY = `{ reportsSummary(first: 10, window: { last: "P1D" }) { edges { node { executions } } } }`;

async function writeOne(gateway: GatewayProcess, reportId: string): Promise<string> {
  const data = (await post(gateway, INSERT, {
    rows: [{ reportId, status: 'SUCCESS', startedAt: new Date().toISOString(), durationMs: 100 }],
  })) as { insertExecutions: { ids: string[] } };
  return data.insertExecutions.ids[0]!;
}

/** Resolves when the row `id` can be read on `replica` (a pool of one), polling every millisecond. */
async function visibleOn(replica: Database, id: string, done: { value: boolean }) {
  while (!done.value) {
    const row = await queryOne(replica, sql`SELECT id FROM report_executions WHERE id = ${id}`);
    if (row) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function readsByServer(gateway: GatewayProcess): Promise<Record<string, number>> {
  const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  const reads: Record<string, number> = {};
  for (const match of text.matchAll(
    /^gateway_read_statements_total\{server="([^"]+)"\} (\d+)$/gm,
  )) {
    reads[match[1]!] = Number(match[2]);
  }
  return reads;
}

export async function measureReplicas({
  seconds = 10,
  repeats = 40,
  executions = 100_000,
} = {}): Promise<ReplicaMeasure> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const { primary, replicas } = await startReplication(2, cleanups, 512);
    await primary.admin((c) => c.query(`CREATE DATABASE ${DATABASE}`));
    const db = openPool(primary.urlOf(DATABASE));
    cleanups.push(() => db.dispose());
    await migrateUp(db);
    console.log(`Replicas: seeding ${executions.toLocaleString('en')} executions on the primary…`);
    await seedDatabase(db, { executions });
    for (const replica of replicas) await caughtUp(primary, replica);
    const reportId = String(
      (await queryOne<{ id: string }>(db, sql`SELECT MIN(id) AS id FROM reports`))!.id,
    );

    const env = { READ_DATABASE_URLS: replicas.map((r) => r.urlOf(DATABASE)).join(',') };
    const alone = await startGatewayProcess(primary.urlOf(DATABASE), KEY, { role: 'admin' });
    cleanups.push(() => alone.stop());
    const routed = await startGatewayProcess(primary.urlOf(DATABASE), KEY, { role: 'admin', env });
    cleanups.push(() => routed.stop());

    console.log('Replicas: the uncached dashboard, one at a time and under load…');
    const serial = async (gateway: GatewayProcess) =>
      timeRuns(() => post(gateway, DASHBOARD), repeats);
    const dashboardSerial = {
      primaryOnly: await serial(alone),
      withReplicas: await serial(routed),
    };
    const options = { headers: NO_CACHE, connections: 8 };
    const primaryOnly = await load(
      'dashboard, uncached, primary alone',
      alone.url,
      KEY,
      DASHBOARD,
      seconds,
      options,
    );
    const before = await readsByServer(routed);
    const withReplicas = await load(
      'dashboard, uncached, 2 replicas',
      routed.url,
      KEY,
      DASHBOARD,
      seconds,
      options,
    );
    const after = await readsByServer(routed);
    const reads = Object.fromEntries(
      Object.entries(after).map(([server, n]) => [server, n - (before[server] ?? 0)]),
    );

    console.log('Replicas: writes and the reads after them…');
    // Connected before the clock starts: the time is the replication's, not a connect's.
    const pollers = replicas.map((replica) => openPool(replica.urlOf(DATABASE), { poolSize: 1 }));
    cleanups.push(() =>
      Promise.all(pollers.map((poller) => poller.dispose())).then(() => undefined),
    );
    for (const poller of pollers) await queryOne(poller, sql`SELECT 1`);
    const visible: number[] = [];
    await timeRuns(async () => {
      const id = await writeOne(routed, reportId);
      const acknowledged = performance.now();
      const done = { value: false };
      await Promise.race(pollers.map((poller) => visibleOn(poller, id, done)));
      done.value = true;
      visible.push(performance.now() - acknowledged);
    }, repeats);
    // Timed from the acknowledgement: the write itself is not part of the read.
    const readAfter = async (gateway: GatewayProcess) => {
      const times: number[] = [];
      await timeRuns(async () => {
        await writeOne(gateway, reportId);
        const started = performance.now();
        await post(gateway, SUMMARY);
        times.push(performance.now() - started);
      }, repeats);
      return summarize(times.slice(-repeats));
    };
    return {
      executions,
      dashboardSerial,
      dashboardUncached: { primaryOnly, withReplicas },
      readsByServer: reads,
      visibleOnReplica: summarize(visible.slice(-repeats)),
      readAfterWrite: {
        primaryOnly: await readAfter(alone),
        withReplicas: await readAfter(routed),
      },
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    medianMs: round(sorted[Math.floor(sorted.length / 2)]!),
    p95Ms: round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!),
    runs: sorted.length,
  };
}

export function reportReplicas(r: ReplicaMeasure) {
  const { primaryOnly, withReplicas } = r.dashboardUncached;
  console.log(
    `\nRead replicas (${r.executions.toLocaleString('en')} executions; primary and 2 replicas on this machine's ${MACHINE.cpus} cores):`,
  );
  console.log('| uncached dashboard, 8 connections | req/s | latency p50 ms | p97.5 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const l of [primaryOnly, withReplicas]) {
    console.log(
      `| ${l.request} | ${l.requestsPerSecond} | ${l.latencyP50Ms} | ${l.latencyP97_5Ms} | ${l.errors} |`,
    );
  }
  console.log(`reads answered, with replicas: ${JSON.stringify(r.readsByServer)}`);
  const ms = (t: Timing) => `${t.medianMs} / ${t.p95Ms}`;
  console.log(
    `uncached dashboard one at a time: primary alone ${ms(r.dashboardSerial.primaryOnly)} ms, ` +
      `with replicas ${ms(r.dashboardSerial.withReplicas)} ms (median / p95)`,
  );
  console.log(
    `write acknowledged → first replica read including it: ${ms(r.visibleOnReplica)} ms (median / p95)`,
  );
  console.log(
    `uncached reportsSummary right after a write: primary alone ${ms(r.readAfterWrite.primaryOnly)} ms, ` +
      `with replicas ${ms(r.readAfterWrite.withReplicas)} ms`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      repeats: { type: 'string', default: '40' },
      executions: { type: 'string', default: '100000' },
    },
  });
  const result = await measureReplicas({
    seconds: Number(values.seconds),
    repeats: Number(values.repeats),
    executions: Number(values.executions),
  });
  reportReplicas(result);
  const root = path.resolve(import.meta.dirname, '..');
  writeFileSync(
    path.join(root, 'bench/replica-results.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: MACHINE, ...result }, null, 2)}\n`,
  );
}
