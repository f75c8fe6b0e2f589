/**
 * GraphiQL as a BI user meets it: a real gateway over HTTP, the served page in Debian's
 * headless Chromium, the default query run with the run button, then a view query typed
 * into the editor and run. The answers on screen must be the database's, and the page
 * must not ask any host but this one for anything (no CDN: closed networks stay usable).
 *
 * GRAPHIQL_SCREENSHOTS=1 also writes the README's walkthrough screenshots to docs/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from '@databases/mysql';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheNamespace, ViewCache } from '../src/cache/view-cache.js';
import { loadConfig } from '../src/config.js';
import { queryOne } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createGateway } from '../src/server/yoga.js';
import { chromiumAvailable, launchLocalBrowser, type LocalBrowser } from './helpers/chromium.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';

// Skipped loudly without Chromium; on CI (which installs it) its absence is a failure.
const available = chromiumAvailable();

const SCREENSHOTS = process.env.GRAPHIQL_SCREENSHOTS === '1';
const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
const DAY = 86_400_000;
const REPORT_NAME = 'OCI Spend review (walkthrough)';
// Generous: the page is a 9 MB bundle that a loaded 2-core machine parses slowly.
const UI_TIMEOUT = 60_000;

let database: TestDatabase;
let cache: ViewCache;
let server: http.Server;
let url: string;
let browser: LocalBrowser;
let page: Page;
let reportId: string;

beforeAll(async () => {
  if (!available) return;
  database = await createTestDatabase();
  // Realistic demo data for the default query (and the screenshots) …
  await seedDatabase(database.db, { executions: 4000, users: 40, reports: 150 });
  // … and one report of our own with known numbers for the typed query: four runs in
  // the last 30 days (one failed) and one older run that the 30-day window leaves out.
  reportId = await insertReport(database.db, {
    name: REPORT_NAME,
    provider: 'oci',
    category: 'cost',
  });
  const now = Date.now();
  for (const [days, status, durationMs] of [
    [1, 'success', 1_200],
    [2, 'success', 1_800],
    [3, 'failed', 600],
    [4, 'success', 2_400],
    [60, 'success', 900],
  ] as const) {
    const startedAt = new Date(now - days * DAY);
    await insertExecution(database.db, reportId, startedAt, {
      status,
      duration_ms: durationMs,
      completed_at: new Date(startedAt.getTime() + durationMs),
    });
  }

  const config = loadConfig({ NODE_ENV: 'test' });
  cache = ViewCache.create(config, cacheNamespace(database.url));
  const gateway = createGateway({ db: database.db, databaseUrl: database.url, config, cache });
  server = http.createServer(gateway.requestListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `http://localhost:${(server.address() as AddressInfo).port}/graphql`;

  browser = await launchLocalBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
  await cache?.backend.close();
  await database?.drop();
});

/** The text of one of GraphiQL's Monaco editors as shown (Monaco draws spaces as U+00A0). */
async function editorText(selector: string): Promise<string> {
  const text = await page.locator(`${selector} .view-lines`).innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Waits until the editor under `selector` shows `expected`. */
async function waitForEditorText(selector: string, expected: string) {
  await page.waitForFunction(
    ([sel, want]) =>
      (document.querySelector(`${sel} .view-lines`)?.textContent ?? '')
        .replace(/\u00a0/g, ' ')
        .includes(want),
    [selector, expected] as const,
    { timeout: UI_TIMEOUT },
  );
}

interface BusyReport {
  report: { id: string; name: string };
  executions: number;
}

/** Clicks the run button and waits for the gateway's answer to that query. */
async function run(operationText: string) {
  // GraphiQL takes the operation (its name, sent with the text) from the editor a moment
  // after an edit; clicked before, it would send the previous one's name. Its tab state
  // (kept in localStorage) names the operation once it has.
  await page.waitForFunction((name) => {
    const state = JSON.parse(localStorage.getItem('graphiql:tabState') ?? '{}') as {
      tabs?: { title?: string }[];
      activeTabIndex?: number;
    };
    return state.tabs?.[state.activeTabIndex ?? 0]?.title === name;
  }, operationText);
  const answered = page.waitForResponse(
    (response) =>
      response.url() === url &&
      response.request().method() === 'POST' &&
      (response.request().postData() ?? '').includes(operationText),
  );
  await page.locator('.graphiql-execute-button').click();
  return (await answered).json() as Promise<{ data?: unknown; errors?: unknown }>;
}

async function screenshot(name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: `${DOCS}${name}` });
}

// The steps follow one another on one page, as a user's do; each may take a while.
describe.skipIf(!available)('GraphiQL in a real browser', { timeout: 180_000 }, () => {
  it('opens with the default query, which runs and shows the reports', async () => {
    await page.goto(url);
    // The default query is the first thing a user sees.
    await waitForEditorText('.graphiql-query-editor', 'query BusiestReports');
    expect(await editorText('.graphiql-query-editor')).toContain(
      '# The busiest reports of the last 90 days.',
    );
    // The page has rendered whole once the sidebar is there.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).waitFor();
    await screenshot('graphiql-first-query.png');

    const answer = (await run('BusiestReports')) as {
      data?: { reportsSummary: { edges: { node: BusyReport }[] } };
      errors?: unknown;
    };
    expect(answer.errors).toBeUndefined();
    const reports = await queryOne<{ n: number }>(
      database.db,
      sql`SELECT COUNT(*) AS n FROM reports`,
    );
    expect(Number(reports?.n)).toBe(151);
    // The busiest report's count is the database's, and the pane shows it.
    const top = answer.data?.reportsSummary.edges[0]?.node;
    expect(top).toBeDefined();
    const stored = await queryOne<{ n: number }>(
      database.db,
      sql`SELECT COUNT(*) AS n FROM report_executions
          WHERE report_id = ${top?.report.id} AND started_at >= NOW() - INTERVAL 90 DAY`,
    );
    expect(top?.executions).toBe(Number(stored?.n));
    await waitForEditorText('.graphiql-response', `"totalCount": ${Number(reports?.n)}`);
    const shown = await editorText('.graphiql-response');
    expect(shown).toContain(`"name": ${JSON.stringify(top?.report.name)}`);
    expect(shown).toContain(`"executions": ${top?.executions}`);
    await screenshot('graphiql-result.png');
  });

  it('documents the views in the docs explorer', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const explorer = page.locator('.graphiql-doc-explorer');
    await explorer.getByRole('link', { name: 'Query' }).click();
    await explorer.getByRole('link', { name: 'reportsSummary' }).first().click();
    await explorer.getByText('ReportFilter').first().waitFor();
    await explorer.getByText('orderBy').first().waitFor();
    await screenshot('graphiql-docs.png');
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
  });

  it('runs a view query typed into the editor and shows the database numbers', async () => {
    // One line, pasted: typed key by key, the editor's suggestion list (which opens
    // after a varying delay) could take a keystroke as its own and change the text.
    const query =
      `query OneReport { reportsSummary(window: { last: "P30D" }, ` +
      `filter: { providers: [OCI], reportIds: ["${reportId}"] }) { totalCount edges { node { ` +
      `report { id name provider category } executions successes failures successRate ` +
      `avgDurationMs } } } }`;
    // As a user would: click into the editor, select everything, paste over it.
    await page.locator('.graphiql-query-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(query);
    expect((await editorText('.graphiql-query-editor')).trim()).toBe(query);
    // Then tidy it with the prettify button.
    await page.getByRole('button', { name: /Prettify query/ }).click();
    await waitForEditorText('.graphiql-query-editor', '    totalCount');
    // Back to the start of the query (the long line left the editor scrolled right).
    await page.locator('.graphiql-query-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('Escape'); // close any suggestion list the editor opened

    const answer = await run('OneReport');
    expect(answer.errors).toBeUndefined();
    // The numbers the database holds for that report in the window.
    const stored = await queryOne<{ executions: number; failures: number }>(
      database.db,
      sql`SELECT COUNT(*) AS executions, SUM(status = 'failed') AS failures
          FROM report_executions
          WHERE report_id = ${reportId} AND started_at >= NOW() - INTERVAL 30 DAY`,
    );
    expect(Number(stored?.executions)).toBe(4);
    expect(Number(stored?.failures)).toBe(1);

    await waitForEditorText('.graphiql-response', `"name": "${REPORT_NAME}"`);
    const shown = await editorText('.graphiql-response');
    expect(shown).toContain(`"id": "${reportId}"`);
    expect(shown).toContain(`"executions": ${stored?.executions}`);
    expect(shown).toContain(`"failures": ${stored?.failures}`);
    expect(shown).toContain('"successRate": 0.75');
    expect(shown).toContain('"avgDurationMs": 1500');
    await screenshot('graphiql-own-query.png');
  });

  it('asked no host but this one for anything', () => {
    expect(browser.foreignRequests).toEqual([]);
  });
});
