/**
 * Issue 19, points 1, 5 and 6: the dashboard as a person meets it, in Debian's headless
 * Chromium, over a real gateway on the demo data (`npm start`'s: 2 000 reports, 200
 * users, 50 000 executions). Every number is read from the page's data tables (each
 * cell's exact data-value, not pixels) and compared with plain SQL for the window the
 * page says it covers (test/helpers/view-oracle.ts, which shares no code with src/).
 *
 * DASHBOARD_SCREENSHOT=1 also writes the README's screenshot (docs/dashboard.png).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheNamespace, ViewCache } from '../src/cache/view-cache.js';
import { loadConfig, type Config } from '../src/config.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createGateway } from '../src/server/yoga.js';
import { chromiumAvailable, launchLocalBrowser, type LocalBrowser } from './helpers/chromium.js';
import { buildDashboard } from './helpers/dashboard-build.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import * as oracle from './helpers/view-oracle.js';

// Skipped loudly without Chromium; on CI (which installs it) its absence is a failure.
const available = chromiumAvailable();

const SCREENSHOT = process.env.DASHBOARD_SCREENSHOT === '1';
const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
const ADMIN = 'admin-key-of-the-dashboard-test';
const VIEWER = 'viewer-key-of-the-dashboard-test';
const DAY = 86_400_000;
/** The id of the dashboard's query, as codegen wrote it into the allow-list. */
const DASHBOARD_ID = `sha256:${
  Object.entries(
    JSON.parse(readFileSync('dashboard/src/gql/persisted-documents.json', 'utf8')) as Record<
      string,
      string
    >,
  ).find(([, text]) => text.includes('query Dashboard('))![0]
}`;

interface Sent {
  documentId?: string;
  query?: string;
}
const UI_TIMEOUT = 60_000;

let database: TestDatabase;
let sqlConnection: mysql.Connection;
let cache: ViewCache;
let config: Config;
const servers: http.Server[] = [];
let origin: string;
let browser: LocalBrowser;
let page: Page;
const requests: Request[] = [];

beforeAll(async () => {
  if (!available) return;
  buildDashboard();
  database = await createTestDatabase();
  await seedDatabase(database.db, { executions: 50_000 });
  sqlConnection = await mysql.createConnection({
    uri: database.url,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await sqlConnection.query("SET time_zone = '+00:00'");

  // Reads open, an admin key for the mutation: the embedded default's settings.
  config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    apiKeys: [
      { role: 'admin', key: ADMIN },
      { role: 'viewer', key: VIEWER },
    ],
  };
  cache = ViewCache.create(config, cacheNamespace(database.url));
  origin = await listen(config);

  browser = await launchLocalBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  page.on('request', (request) => requests.push(request));
}, 300_000);

/** A gateway with these settings over the test database, on a port of its own. */
async function listen(settings: Config) {
  const gateway = createGateway({
    db: database.db,
    databaseUrl: database.url,
    config: settings,
    cache,
  });
  const server = http.createServer(gateway.requestListener);
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  await browser?.close();
  for (const server of servers) {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
  await sqlConnection?.end();
  await cache?.backend.close();
  await database?.drop();
});

/** Waits until the page shows an answer newer than `generation`; returns its generation and window. */
async function shown(after: number) {
  const handle = await page.waitForFunction(
    (previous) => {
      const root = document.querySelector<HTMLElement>('.dashboard');
      const generation = Number(root?.dataset.generation ?? 0);
      if (root?.dataset.state !== 'ready' || generation <= previous) return undefined;
      return { generation, from: root.dataset.from!, to: root.dataset.to! };
    },
    after,
    { timeout: UI_TIMEOUT },
  );
  return (await handle.jsonValue())!;
}

type Cells = Record<string, string>;

/** The rows of a panel's data table: data-key → data-value. */
function table(panel: string): Promise<Cells[]> {
  return page.$$eval(`[data-panel="${panel}"] table.data tbody tr`, (rows) =>
    rows.map((row) =>
      Object.fromEntries(
        [...row.querySelectorAll('td')].map((cell) => [cell.dataset.key!, cell.dataset.value!]),
      ),
    ),
  );
}

function expectClose(actual: string | undefined, expected: number | null) {
  if (expected === null) expect(actual).toBe('');
  else expect(Number(actual)).toBeCloseTo(expected, 9);
}

/**
 * The exact nearest-rank p95 of the window's durations per group (`group`, plain SQL
 * over `e` and `r`); the page's p95 must be within 1 % of it (README: duration percentiles).
 */
async function exactP95(group: string): Promise<Map<string, number>> {
  const [rows] = await sqlConnection.query<mysql.RowDataPacket[]>(
    `SELECT ${group} AS g, e.duration_ms AS d
     FROM report_executions e JOIN reports r ON r.id = e.report_id
     WHERE e.started_at >= ? AND e.started_at < ? AND e.duration_ms IS NOT NULL`,
    [at(window.from), at(window.to)],
  );
  const durations = new Map<string, number[]>();
  for (const row of rows) {
    const key = String(row.g);
    durations.set(key, [...(durations.get(key) ?? []), Number(row.d)]);
  }
  return new Map(
    [...durations].map(([key, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [key, sorted[Math.ceil(0.95 * sorted.length) - 1]!];
    }),
  );
}

function expectP95(actual: string | undefined, exact: number | undefined) {
  if (exact === undefined) expect(actual).toBe('');
  else expect(Math.abs(Number(actual) - exact)).toBeLessThanOrEqual(0.01 * exact + 1e-9);
}

/** An ISO instant as a DATETIME literal (the session runs in UTC). */
const at = (iso: string) => iso.replace('T', ' ').replace('Z', '');

const graphqlPosts = () =>
  requests.filter((r) => r.url() === `${origin}/graphql` && r.method() === 'POST').length;

let generation = 0;
let window: { from: string; to: string };

/** Every chart and table of the page against plain SQL for the window it shows. */
async function expectPanelsMatchSql() {
  const db = sqlConnection;
  const spanDays = (Date.parse(window.to) - Date.parse(window.from)) / DAY;
  const granularity = spanDays <= 3 ? 'HOUR' : spanDays <= 120 ? 'DAY' : 'WEEK';

  // Executions over time, stacked by provider.
  const stacked = await oracle.executionMetrics(db, { window, granularity, groupBy: ['PROVIDER'] });
  const stackedRows = await table('executions-over-time');
  const cell = new Map(
    stackedRows.flatMap((row) =>
      Object.entries(row)
        .filter(([key]) => key !== 'bucketStart')
        .map(([provider, value]) => [`${row.bucketStart} ${provider}`, Number(value)] as const),
    ),
  );
  for (const bucket of stacked) {
    expect(
      cell.get(
        `${String(bucket.bucketStart)} ${String((bucket as { provider?: string }).provider)}`,
      ),
    ).toBe(bucket.executions);
  }
  const total = (values: Iterable<number>) => [...values].reduce((sum, n) => sum + n, 0);
  expect(total(cell.values())).toBe(total(stacked.map((bucket) => bucket.executions)));

  // Success rate and mean duration over time (buckets without executions are shown empty).
  const overTime = await oracle.executionMetrics(db, { window, granularity, groupBy: [] });
  const rateRows = new Map((await table('rates-over-time')).map((row) => [row.bucketStart, row]));
  const bucketP95 = await exactP95(`DATE_FORMAT(e.started_at, '%Y-%m-%dT00:00:00.000Z')`);
  expect(granularity).toBe('DAY');
  for (const bucket of overTime) {
    const row = rateRows.get(String(bucket.bucketStart));
    expect(Number(row?.executions)).toBe(bucket.executions);
    expectClose(row?.successRate, bucket.successRate);
    expectClose(row?.avgDurationMs, bucket.avgDurationMs);
    expectP95(row?.p95DurationMs, bucketP95.get(String(bucket.bucketStart)));
  }
  expect(total([...rateRows.values()].map((row) => Number(row.executions)))).toBe(
    total(overTime.map((bucket) => bucket.executions)),
  );

  // Providers and categories side by side.
  for (const [panel, dimension] of [
    ['providers', 'provider'],
    ['categories', 'category'],
  ] as const) {
    const expected = await oracle.dimensionPerformance(db, dimension, window);
    const p95 = await exactP95(`UPPER(r.${dimension})`);
    const rows = new Map((await table(panel)).map((row) => [row.name, row]));
    expect(rows.size).toBe(expected.length);
    for (const row of expected) {
      const name = (row as Record<string, unknown>)[dimension];
      const shownRow = rows.get(String(name));
      expect(Number(shownRow?.executions)).toBe(row.executions);
      expectClose(shownRow?.successRate, row.successRate);
      expectClose(shownRow?.avgDurationMs, row.avgDurationMs);
      expectP95(shownRow?.p95DurationMs, p95.get(String(name)));
    }
  }

  // Users by segment: every user of the window, counted and summed per segment.
  const users = await oracle.userActivity(db, window, 100_000);
  const segments = new Map((await table('user-segments')).map((row) => [row.segment, row]));
  for (const segment of ['POWER', 'ACTIVE', 'OCCASIONAL', 'INACTIVE']) {
    const members = users.edges.filter((edge) => edge.node.segment === segment);
    expect(Number(segments.get(segment)?.users)).toBe(members.length);
    expect(Number(segments.get(segment)?.executions)).toBe(
      total(members.map((edge) => edge.node.executions)),
    );
  }
  expect([...segments.values()].map((row) => row.range)).toEqual(['≥ 100', '10–99', '1–9', '0']);

  // Trends by hour of day and by weekday.
  for (const [panel, pattern] of [
    ['trend-hour', 'HOUR_OF_DAY'],
    ['trend-weekday', 'DAY_OF_WEEK'],
  ] as const) {
    const expected = await oracle.executionTrends(db, window, pattern);
    const rows = await table(panel);
    expect(rows.map((row) => [Number(row.slot), Number(row.executions)])).toEqual(
      expected.slots.map((slot) => [slot.slot, slot.executions]),
    );
    rows.forEach((row, index) => {
      expectClose(row.share, expected.slots[index]!.share);
      expectClose(row.avgDurationMs, expected.slots[index]!.avgDurationMs);
    });
  }

  // The busiest reports (first page) and the newest executions.
  await expectBusiestReports({ first: 10 });
  const recent = await oracle.recentExecutions(db, window, 20);
  expect((await table('recent-executions')).map((row) => row.id)).toEqual(
    recent.edges.map((edge) => edge.node.id),
  );
}

/** The busiest reports table against SQL: names and executions, in order. */
async function expectBusiestReports(args: { first: number; providers?: string[]; skip?: number }) {
  const expected = await oracle.reportsSummary(sqlConnection, { window, ...args });
  const shownEdges = expected.edges.slice(args.skip ?? 0);
  const [names] = await sqlConnection.query<mysql.RowDataPacket[]>(
    'SELECT id, name FROM reports WHERE id IN (?)',
    [shownEdges.map((edge) => edge.node.report.id)],
  );
  const nameOf = new Map(names.map((row) => [String(row.id), String(row.name)]));
  const rows = await table('busiest-reports');
  expect(rows.map((row) => [row.name, Number(row.executions)])).toEqual(
    shownEdges.map((edge) => [nameOf.get(edge.node.report.id), edge.node.executions]),
  );
  const p95 = await exactP95('e.report_id');
  shownEdges.forEach(({ node }, index) => {
    expectClose(rows[index]?.successRate, node.successRate);
    expectClose(rows[index]?.avgDurationMs, node.avgDurationMs);
    expectP95(rows[index]?.p95DurationMs, p95.get(node.report.id));
  });
  expect(await coversOf('busiest-reports')).toContain(
    `${expected.totalCount.toLocaleString('en')} reports`,
  );
}

const coversOf = (panel: string) =>
  page.locator(`[data-panel="${panel}"] [data-covers]`).innerText();

describe.skipIf(!available)('the dashboard in a real browser', { timeout: 240_000 }, () => {
  it('shows every panel from at most 8 requests, none leaving the machine', async () => {
    await page.goto(`${origin}/`);
    ({ generation, ...window } = await shown(0));
    // The alert stream is open (the page's last request).
    await page.waitForSelector('[data-live="true"]');
    if (SCREENSHOT) await page.screenshot({ path: `${DOCS}dashboard.png`, fullPage: true });
    const firstRender = await page.evaluate(
      () => performance.getEntriesByName('dashboard-rendered')[0]?.startTime,
    );
    expect(firstRender).toBeGreaterThan(0);
    console.log(
      `dashboard: first render ${Math.round(firstRender!)} ms after navigation (demo data, cold cache)`,
    );

    const made = requests.map(
      (request) => `${request.method()} ${new URL(request.url()).pathname}`,
    );
    expect(made.length).toBeLessThanOrEqual(8);
    // The dashboard's query once (React's production build runs each effect once).
    const documents = requests.map((r) => (JSON.parse(r.postData() ?? '{}') as Sent).documentId);
    expect(documents.filter((id) => id === DASHBOARD_ID)).toHaveLength(1);
    expect(made).toEqual(expect.arrayContaining(['GET /', 'POST /graphql']));
    expect(browser.foreignRequests).toEqual([]);
    // Persisted documents: the page sent hashes, never a document's text.
    for (const request of requests.filter((r) => r.method() === 'POST')) {
      const body = JSON.parse(request.postData() ?? '{}') as Sent;
      expect(body.documentId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(body.query).toBeUndefined();
    }
    // Every panel says what it measures, in what unit, over which window.
    const titles = await page.$$eval('[data-panel] h2', (h) => h.map((e) => e.textContent ?? ''));
    expect(titles.length).toBe(10);
    for (const title of titles) expect(title).toMatch(/\(.+\)/);
    const covers = await page.$$eval('[data-panel] [data-covers]', (p) =>
      p.map((e) => e.textContent ?? ''),
    );
    expect(
      covers.filter((text) => text.includes(`${window.from.slice(0, 16).replace('T', ' ')} – `)),
    ).toHaveLength(9);
  });

  it('shows the numbers of plain SQL for a window chosen by from and to', async () => {
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const from = new Date(to.getTime() - 20 * DAY - 37 * 60_000);
    const input = (date: Date) => date.toISOString().slice(0, 16);
    const before = graphqlPosts();
    await page.fill('input[name="from"]', input(from));
    await page.fill('input[name="to"]', input(to));
    await page.click('.window-picker button[type="submit"]');
    ({ generation, ...window } = await shown(generation));
    expect(window).toEqual({ from: from.toISOString(), to: to.toISOString() });
    expect(graphqlPosts()).toBe(before + 1);
    await expectPanelsMatchSql();
  });

  it('asks again, once, when a preset window is chosen, and shows its numbers', async () => {
    const before = graphqlPosts();
    await page.click('button[data-preset="P7D"]');
    ({ generation, ...window } = await shown(generation));
    expect(Date.parse(window.to) - Date.parse(window.from)).toBe(7 * DAY);
    expect(graphqlPosts()).toBe(before + 1);
    await expectPanelsMatchSql();

    // Stacked by category instead: the same window, the same request count again.
    await page.click('button[data-stack="CATEGORY"]');
    const restacked = await shown(generation);
    expect({ from: restacked.from, to: restacked.to }).toEqual(window);
    generation = restacked.generation;
    expect(graphqlPosts()).toBe(before + 2);
    const byCategory = await oracle.executionMetrics(sqlConnection, {
      window,
      granularity: 'DAY',
      groupBy: ['CATEGORY'],
    });
    const rows = new Map(
      (await table('executions-over-time')).map((row) => [row.bucketStart, row]),
    );
    for (const bucket of byCategory) {
      const category = String((bucket as { category?: string }).category);
      expect(Number(rows.get(String(bucket.bucketStart))?.[category])).toBe(bucket.executions);
    }
    await page.click('button[data-stack="PROVIDER"]');
    ({ generation } = await shown(generation));
  });

  it('filters, pages and re-sorts the busiest reports, and filters executions by status', async () => {
    await page.selectOption('select[data-filter="provider"]', 'AWS');
    ({ generation } = await shown(generation));
    await expectBusiestReports({ first: 10, providers: ['AWS'] });
    await page.click('button[data-page="next"]');
    ({ generation } = await shown(generation));
    await expectBusiestReports({ first: 20, providers: ['AWS'], skip: 10 });

    // A new window starts the table again at its first page (its cursors were the old window's).
    await page.click('button[data-preset="P30D"]');
    ({ generation, ...window } = await shown(generation));
    await expectBusiestReports({ first: 10, providers: ['AWS'] });

    await page.selectOption('select[data-filter="status"]', 'FAILED');
    ({ generation } = await shown(generation));
    const [failed] = await sqlConnection.query<mysql.RowDataPacket[]>(
      `SELECT id FROM report_executions WHERE status = 'failed' AND started_at >= ? AND started_at < ?
       ORDER BY started_at DESC, id DESC LIMIT 20`,
      [at(window.from), at(window.to)],
    );
    const rows = await table('recent-executions');
    expect(rows.map((row) => row.id)).toEqual(failed.map((row) => String(row.id)));
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['FAILED']));
  });

  it('shows a new alert without a reload when a batch insert makes one', async () => {
    const [[report]] = await sqlConnection.query<mysql.RowDataPacket[]>(
      'SELECT id FROM reports ORDER BY id LIMIT 1',
    );
    const durationMs = 5_400_000;
    const startedAt = new Date(Date.now() - 2 * 3_600_000);
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({
        query: 'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { ids } }',
        variables: {
          rows: [
            {
              reportId: String(report!.id),
              status: 'SUCCESS',
              startedAt: startedAt.toISOString(),
              completedAt: new Date(startedAt.getTime() + durationMs).toISOString(),
              durationMs,
            },
          ],
        },
      }),
    });
    const { data } = (await response.json()) as { data: { insertExecutions: { ids: string[] } } };
    const executionId = data.insertExecutions.ids[0]!;
    const navigations = requests.filter((r) => r.isNavigationRequest()).length;

    const alert = page.locator(`[data-alert="LONG_RUNNING:${String(report!.id)}:${executionId}"]`);
    await alert.waitFor();
    expect(await alert.locator('.measure').getAttribute('data-value')).toBe(String(durationMs));
    expect(await alert.innerText()).toContain('CRITICAL');
    expect(requests.filter((r) => r.isNavigationRequest()).length).toBe(navigations);
  });

  it('asks for a key where reads need one, and runs under the persisted-documents allow-list', async () => {
    const locked = await listen({ ...config, readsNeedKey: true, persistedDocumentsOnly: true });
    const other = await browser.context.newPage();
    try {
      await other.goto(`${locked}/`);
      await other.locator('[role="alert"]', { hasText: 'API key' }).waitFor();
      await other.fill('form.key input[name="key"]', VIEWER);
      await other.click('form.key button[type="submit"]');
      await other.waitForSelector('.dashboard[data-state="ready"] [data-live="true"]');
      const totals = await other
        .locator('[data-panel="busiest-reports"] [data-covers]')
        .innerText();
      const [[count]] = await sqlConnection.query<mysql.RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM reports',
      );
      expect(totals).toContain(`${Number(count!.n).toLocaleString('en')} reports`);

      // The same viewer key may not send a document of its own.
      const own = await fetch(`${locked}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${VIEWER}` },
        body: JSON.stringify({ query: '{ reportsSummary(first: 1) { totalCount } }' }),
      });
      expect(own.status).toBe(403);
    } finally {
      await other.close();
    }
  });
});
