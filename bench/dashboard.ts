/**
 * The dashboard's first render (issue 19, point 6): the built page at GET / in Debian's
 * headless Chromium, on the demo data's size (50 000 executions), from navigation to every
 * panel drawn (the page's own `dashboard-rendered` mark), each load in a fresh browser
 * context. Side by side in one run: a gateway without a cache (CACHE_TTL_MS=0, every load
 * computes all eight views) and one with its default cache (every load after the first
 * is served from it). Also records the requests each load made.
 * Writes bench/dashboard-results.json.
 *
 *   npm run bench:dashboard -- [--loads 15]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { launchLocalBrowser, type LocalBrowser } from '../test/helpers/chromium.js';
import { DATASETS, openDataset } from './datasets.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { MACHINE } from './machine.js';
import { summarise } from './timing.js';

const { values } = parseArgs({ options: { loads: { type: 'string', default: '15' } } });
const loads = Number(values.loads);
const root = path.resolve(import.meta.dirname, '..');

interface Load {
  firstRenderMs: number;
  requests: string[];
}

/** One visit in a fresh context: until every panel is drawn and the alert stream is open. */
async function visit(browser: LocalBrowser, gateway: GatewayProcess): Promise<Load> {
  const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  try {
    const page = await context.newPage();
    await page.goto(new URL('/', gateway.url).href);
    await page.waitForSelector('.dashboard[data-state="ready"] [data-live="true"]', {
      timeout: 60_000,
    });
    const firstRenderMs = await page.evaluate(
      () => performance.getEntriesByName('dashboard-rendered')[0]?.startTime ?? NaN,
    );
    return { firstRenderMs, requests };
  } finally {
    await context.close();
  }
}

const config = loadConfig({
  ...process.env,
  DATA_DIR: process.env.DATA_DIR ?? path.join(root, '.data/bench'),
});
const server = await openDatabase(config);
if (!server.embedded)
  throw new Error('the benchmark runs on the embedded server: unset DATABASE_URL');
const dataset = await openDataset(server.embedded.serverUrl, 'DEMO');
// Reads open (API_KEYS empty), as on `npm start`; one gateway never caches.
const open = { API_KEYS: '' };
const uncached = await startGatewayProcess(dataset.url, '', {
  env: { ...open, CACHE_TTL_MS: '0' },
});
const cached = await startGatewayProcess(dataset.url, '', { env: open });
const browser = await launchLocalBrowser();
try {
  const runs = { uncached: [] as Load[], cached: [] as Load[] };
  // One untimed visit each (the process's first requests), then alternate.
  await visit(browser, uncached);
  await visit(browser, cached);
  for (let i = 0; i < loads; i += 1) {
    runs.uncached.push(await visit(browser, uncached));
    runs.cached.push(await visit(browser, cached));
  }
  const results = {
    date: new Date().toISOString().slice(0, 10),
    machine: MACHINE,
    executions: DATASETS.DEMO,
    firstRenderMs: {
      uncached: summarise(runs.uncached.map((run) => run.firstRenderMs)),
      cached: summarise(runs.cached.map((run) => run.firstRenderMs)),
    },
    requestsPerLoad: Math.max(...[...runs.uncached, ...runs.cached].map((r) => r.requests.length)),
    requests: runs.cached[0]?.requests,
    foreignRequests: browser.foreignRequests,
  };
  writeFileSync(
    path.join(root, 'bench/dashboard-results.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  await Promise.all([uncached.stop(), cached.stop()]);
  await dataset.db.dispose();
  await server.close();
}
