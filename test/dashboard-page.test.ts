/**
 * Issue 19, points 1–2: GET / serves the built dashboard (GraphiQL stays at /graphql):
 * the page, then its script and style sheet under content-hashed names, each from the
 * build the gateway read at start-up, with a policy that lets the page reach this
 * server only.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardPlugin, loadDashboard } from '../src/server/dashboard-plugin.js';
import { schema } from '../src/schema/index.js';
import { buildDashboard } from './helpers/dashboard-build.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  buildDashboard();
  gateway = await createTestGateway();
}, 120_000);
afterAll(() => gateway.drop());

interface Server {
  fetch(input: string, init: RequestInit): Response | Promise<Response>;
}
const get = (url: string, headers: Record<string, string> = {}, server: Server = gateway.yoga) =>
  server.fetch(`http://gateway.test${url}`, { headers });

describe('GET /', () => {
  it('serves the dashboard page, which names its script and style sheet', async () => {
    const page = await get('/', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    expect(assets.some((asset) => asset.endsWith('.css'))).toBe(true);
    // Nothing on another host: every address in the page is this server's.
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);

    for (const asset of assets) {
      const file = await get(asset, { 'accept-encoding': 'gzip, br' });
      expect(file.status).toBe(200);
      expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(file.headers.get('content-encoding')).toBe('gzip');
      const body = gunzipSync(Buffer.from(await file.arrayBuffer())).toString('utf8');
      const plain = await (await get(asset)).text();
      expect(body).toBe(plain);
      expect(body.length).toBeGreaterThan(100);
      // gzip refused by weight, named or through `*`: the plain file.
      for (const refused of ['gzip;q=0, br', 'br, *;q=0', 'identity']) {
        const sent = await get(asset, { 'accept-encoding': refused });
        expect(sent.headers.get('content-encoding')).toBeNull();
        expect(await sent.text()).toBe(plain);
      }
      expect(
        (await get(asset, { 'accept-encoding': 'gzip;q=0.5' })).headers.get('content-encoding'),
      ).toBe('gzip');
    }
  });

  it('keeps GraphiQL at /graphql and other paths at 404', async () => {
    const graphiql = await get('/graphql', { accept: 'text/html' });
    expect(await graphiql.text()).toContain('GraphiQL');
    expect((await get('/nothing-here')).status).toBe(404);
    expect((await get('/assets/..%2fpackage.json')).status).toBe(404);
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('says how to build the page when it was never built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-dashboard-'));
    const yoga = createYoga({ schema, plugins: [dashboardPlugin(loadDashboard(empty))] });
    const page = await get('/', {}, yoga);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build:dashboard');

    // A build holds only what Vite wrote: a file next to it is never served.
    mkdirSync(path.join(empty, 'assets'));
    writeFileSync(path.join(empty, 'index.html'), '<p>built</p>');
    writeFileSync(path.join(empty, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(empty, 'secret.txt'), 'no');
    const built = createYoga({ schema, plugins: [dashboardPlugin(loadDashboard(empty))] });
    expect(await (await get('/', {}, built)).text()).toBe('<p>built</p>');
    expect(await (await get('/assets/app.js', {}, built)).text()).toBe('console.log(1)');
    expect((await get('/secret.txt', {}, built)).status).toBe(404);
  });
});
