/**
 * npm run bench: every measurement side by side in one run, on datasets S (100 k
 * executions), M (1 M) and L (10 M), built once in the embedded server and reused.
 * Per dataset: each view through the gateway uncached and cached, the gateway's SQL
 * run directly through mysql2, the plain mv_* view, and the dashboard request
 * (medians and p95); autocannon throughput at concurrency 32 of `{ __typename }`
 * and of the cached dashboard; the gateway's peak RSS; createBackup against
 * mariadb-dump | gzip. On S also insertExecutions against INSERT … SELECT.
 * Results go to bench/results.json. Then the write tax (bench/write-tax.ts, about
 * two minutes) into bench/write-tax-results.json, unless --skip-write-tax, and the
 * read replicas (bench/replicas.ts, about three minutes) into results.json, unless
 * --skip-replicas.
 *
 *   npm run bench -- [--datasets S,M,L] [--seconds 10] [--repeats 15] [--skip-write-tax]
 *     [--skip-replicas]
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { DATASETS, openDataset, type DatasetName } from './datasets.js';
import { MACHINE } from './machine.js';
import { startGatewayProcess } from './gateway-process.js';
import { load, type Load } from './load.js';
import type { Timing } from './timing.js';
import { DASHBOARD, measureViews, type ViewTimings } from './view-latency.js';
import { measureWrites, type WriteMeasure } from './writes.js';
import { measureBackup, type BackupMeasure } from './backups.js';
import { measurePercentiles, type PercentileMeasure } from './percentiles.js';
import { reportWriteTax } from './write-tax-report.js';
import { measureWriteTax, type WriteTaxResult } from './write-tax-run.js';
import { measureReplicas, reportReplicas, type ReplicaMeasure } from './replicas.js';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'S,M,L' },
    seconds: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '15' },
    'skip-write-tax': { type: 'boolean', default: false },
    'skip-replicas': { type: 'boolean', default: false },
  },
});
const names = values.datasets.split(',').map((n) => n.trim().toUpperCase()) as DatasetName[];
for (const name of names) {
  if (!(name in DATASETS)) throw new Error(`--datasets: unknown dataset ${name} (DEMO, S, M or L)`);
}
const seconds = Number(values.seconds);
const repeats = Number(values.repeats);
const root = path.resolve(import.meta.dirname, '..');
const KEY = randomBytes(18).toString('base64url');

interface DatasetResult {
  dataset: DatasetName;
  executions: number;
  views: ViewTimings[];
  throughput: Load[];
  cachedDashboardRatio: number;
  peakRssMb: number;
  writes?: WriteMeasure & { peakRssMb: number };
  backup?: BackupMeasure;
  percentiles: PercentileMeasure;
}

// A server holds its working set in memory: 10 M executions and their indexes take ~2.5 GB.
const config = loadConfig({
  EMBEDDED_BUFFER_POOL_MB: '4096',
  ...process.env,
  DATA_DIR: process.env.DATA_DIR ?? path.join(root, '.data/bench'),
});
const server = await openDatabase(config);
if (!server.embedded)
  throw new Error('the benchmark runs on the embedded server: unset DATABASE_URL');
const results: DatasetResult[] = [];
let writeTax: WriteTaxResult | undefined;
let replicas: ReplicaMeasure | undefined;
try {
  for (const name of names) {
    const dataset = await openDataset(server.embedded.serverUrl, name);
    const gateway = await startGatewayProcess(dataset.url, KEY);
    try {
      console.log(`Measuring ${name}…`);
      const client = { url: gateway.url, key: KEY };
      // mv_* views scan everything: at 10 M rows a run takes many seconds.
      const slowRepeats = dataset.executions >= 10_000_000 ? 3 : 7;
      const views = await measureViews(client, dataset.url, repeats, slowRepeats);
      const percentiles = await measurePercentiles(client, dataset.url, repeats, slowRepeats);
      const typename = await load('{ __typename }', gateway.url, KEY, '{ __typename }', seconds);
      const dashboard = await load('dashboard, cached', gateway.url, KEY, DASHBOARD, seconds);
      // Peak RSS of the reads; a 100 000-row insert (a 17 MB request) is reported apart.
      const peakRssMb = gateway.peakRssMb();
      const writes =
        name === 'S'
          ? {
              ...(await measureWrites(dataset.db, gateway.url, KEY)),
              peakRssMb: gateway.peakRssMb(),
            }
          : undefined;
      results.push({
        dataset: name,
        executions: dataset.executions,
        views,
        throughput: [typename, dashboard],
        cachedDashboardRatio: dashboard.requestsPerSecond / typename.requestsPerSecond,
        peakRssMb,
        writes,
        percentiles,
      });
    } finally {
      await gateway.stop();
      await dataset.db.dispose();
    }
    // A fresh gateway process, so that its peak RSS is the backup's alone.
    results.at(-1)!.backup = await measureBackup(dataset.url, KEY);
  }
  if (!values['skip-write-tax']) {
    console.log('Measuring the write tax…');
    writeTax = await measureWriteTax(server.embedded.serverUrl);
  }
  if (!values['skip-replicas']) {
    console.log('Measuring read replicas…');
    replicas = await measureReplicas({ seconds });
  }
} finally {
  await server.close();
}

const ms = (t?: Timing) => (t ? `${t.medianMs} / ${t.p95Ms}` : '–');
const ratio = (v: ViewTimings) =>
  v.directSql ? (v.gatewayUncached.medianMs / v.directSql.medianMs).toFixed(2) : '–';

console.log(
  `\n${MACHINE.cpus} × ${MACHINE.model}, ${MACHINE.memoryGiB} GiB; ` +
    `times in ms, median / p95 over ${repeats} runs (mv_* views: 7, at L 3)\n`,
);
console.log(
  '| dataset | request | gateway uncached | gateway cached | same SQL via mysql2 | mv_* view | uncached ÷ SQL |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of results) {
  for (const v of r.views) {
    console.log(
      `| ${r.dataset} | ${v.request} | ${ms(v.gatewayUncached)} | ${ms(v.gatewayCached)} | ${ms(v.directSql)} | ${ms(v.sqlView)} | ${ratio(v)} |`,
    );
  }
}
console.log(
  `\n| dataset | { __typename } req/s | cached dashboard req/s | ratio | gateway peak RSS MB (reads) |`,
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of results) {
  const [typename, dashboard] = r.throughput;
  console.log(
    `| ${r.dataset} | ${typename!.requestsPerSecond} | ${dashboard!.requestsPerSecond} | ${(r.cachedDashboardRatio * 100).toFixed(1)} % | ${r.peakRssMb} |`,
  );
}
const writes = results.find((r) => r.writes)?.writes;
if (writes) {
  console.log(
    `\ninsertExecutions, ${writes.rows} rows in batches of 5 000: ${writes.gatewayRowsPerSecond} rows/s; ` +
      `INSERT … SELECT of the same rows: ${writes.insertSelectRowsPerSecond} rows/s (${(writes.ratio * 100).toFixed(1)} %); ` +
      `gateway peak RSS with that request: ${writes.peakRssMb} MB`,
  );
}

console.log(
  '\n| dataset | createBackup s | its file MB | gateway RSS MB idle → peak | mariadb-dump \\| gzip s | its file MB |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const mb = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
for (const { dataset, backup } of results) {
  if (!backup) continue;
  console.log(
    `| ${dataset} | ${backup.gatewaySeconds} | ${mb(backup.gatewayBytes)} | ${backup.idleRssMb} → ${backup.peakRssMb} | ${backup.dumpSeconds} | ${mb(backup.dumpBytes)} |`,
  );
}

console.log(
  '\n| dataset | reportsSummary + p95, p99 | without them | same percentiles from raw rows | raw ÷ gateway | daily p95, 365 days | histogram text MiB | rollups MiB | report_executions MiB |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { dataset, percentiles: p } of results) {
  console.log(
    `| ${dataset} | ${ms(p.summaryWithPercentiles)} | ${ms(p.summaryWithout)} | ${ms(p.rawPercentiles)} | ` +
      `${(p.rawPercentiles.medianMs / p.summaryWithPercentiles.medianMs).toFixed(0)}× | ${ms(p.dailyP95Year)} | ` +
      `${p.histogramTextMib} (${((p.histogramTextMib / p.executionsMib) * 100).toFixed(1)} %) | ${p.rollupMib} | ${p.executionsMib} |`,
  );
}

const largest = results.at(-1);
if (largest) {
  const view = (request: string) => largest.views.find((v) => v.request === request)!;
  const worstRatio = Math.max(
    ...largest.views
      .filter((v) => v.directSql)
      .map((v) => v.gatewayUncached.medianMs / v.directSql!.medianMs),
  );
  console.log(`\nTargets at ${largest.dataset}:`);
  console.log(
    `  reportsSummary (90 days) uncached median ${view('reportsSummary').gatewayUncached.medianMs} ms (≤ 100)`,
  );
  console.log(
    `  dashboard uncached median ${view('dashboard (8 views)').gatewayUncached.medianMs} ms (≤ 500)`,
  );
  console.log(
    `  cached dashboard ÷ __typename throughput ${(largest.cachedDashboardRatio * 100).toFixed(1)} % (≥ 70 %)`,
  );
  console.log(`  worst uncached gateway ÷ direct SQL ${worstRatio.toFixed(2)} (≤ 1.15)`);
  console.log(`  gateway peak RSS ${largest.peakRssMb} MB (≤ 250)`);
  const p = largest.percentiles;
  console.log(
    `  reportsSummary (90 days) with p95 and p99 uncached median ${p.summaryWithPercentiles.medianMs} ms (≤ 150), ` +
      `${(p.rawPercentiles.medianMs / p.summaryWithPercentiles.medianMs).toFixed(0)}× faster than from raw rows (≥ 50)`,
  );
  console.log(
    `  executionMetrics daily p95 over 365 days median ${p.dailyP95Year.medianMs} ms (≤ 200)`,
  );
}

if (writeTax) await reportWriteTax(writeTax);
if (replicas) reportReplicas(replicas);

writeFileSync(
  path.join(root, 'bench/results.json'),
  `${JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      machine: MACHINE,
      repeats,
      seconds,
      datasets: results,
      replicas,
    },
    null,
    2,
  )}\n`,
);
