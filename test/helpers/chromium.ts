/**
 * Debian's headless Chromium driven by playwright-core, with a record of every request a
 * page made: requests to any host but this machine are refused and listed, so a test can
 * prove that a page works on a closed network.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's `chromium` package (CHROMIUM_PATH points elsewhere on other systems). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium calls home at every start, which a
// closed network refuses (and which would show up as requests that did not come from us).
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface LocalBrowser {
  browser: Browser;
  context: BrowserContext;
  /** URLs the pages asked for on another host (each refused). */
  foreignRequests: string[];
  close(): Promise<void>;
}

/** True for URLs served by this machine or by the page itself (blob:, data:). */
export function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'blob:' || protocol === 'data:' || protocol === 'about:') return true;
  return (protocol === 'http:' || protocol === 'https:') && LOCAL_HOSTS.has(hostname);
}

/**
 * Whether the browser tests can run. Where Chromium is missing they are skipped with
 * one loud line saying how to run them, except on CI (CI=true), which installs
 * Chromium (.ci/run): there a missing one is an error, so the test can never be
 * skipped silently. Call it at the top of a test file: a file that fails to load
 * counts as a failure everywhere.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const how =
    `Chromium not found at ${CHROMIUM_PATH}: install Debian's package ` +
    '(apt-get install -y chromium; .ci/run does it) or set CHROMIUM_PATH';
  if (process.env.CI === 'true') throw new Error(how);
  console.warn(`\n*** BROWSER TESTS SKIPPED. ${how}, then run npm test again. ***\n`);
  return false;
}

/**
 * Launches Chromium with a fresh profile (playwright-core makes one per launch) and a
 * 1280×800 context.
 */
export async function launchLocalBrowser(): Promise<LocalBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const foreignRequests: string[] = [];
  context.on('request', (request) => {
    if (!isLocal(request.url())) foreignRequests.push(request.url());
  });
  // Refuse at once rather than wait for the closed network to time out.
  await context.route(
    (url) => !isLocal(url.href),
    (route) => route.abort('blockedbyclient'),
  );
  return {
    browser,
    context,
    foreignRequests,
    async close() {
      await context.close();
      await browser.close();
    },
  };
}
