/**
 * GET / serves the dashboard (dashboard/, built by Vite into dashboard/dist, which
 * `npm start` and `npm test` build when it is missing or older than its sources). The
 * files are read once, at start-up, into memory: only the paths the build produced are
 * ever answered, so no request names a file of its own. Its Content-Security-Policy lets
 * the page load and call nothing but this server.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

export const DASHBOARD_BUILD = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  gzipped: Uint8Array<ArrayBuffer> | undefined;
  headers: Record<string, string>;
}

function asset(file: string, cacheControl: string): Asset {
  const body = new Uint8Array(readFileSync(file));
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const compressible = type.startsWith('text/') || type === 'image/svg+xml';
  return {
    body,
    gzipped: compressible ? new Uint8Array(gzipSync(body, { level: 9 })) : undefined,
    headers: {
      'content-type': type,
      'cache-control': cacheControl,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...(type.startsWith('text/html') ? { 'content-security-policy': POLICY } : {}),
      ...(compressible ? { vary: 'accept-encoding' } : {}),
    },
  };
}

/** The built files by URL path; empty when the dashboard was never built. */
export function loadDashboard(folder = DASHBOARD_BUILD): ReadonlyMap<string, Asset> {
  const files = new Map<string, Asset>();
  if (!existsSync(path.join(folder, 'index.html'))) return files;
  // The page itself is asked anew each time; its assets carry their content's hash.
  files.set('/', asset(path.join(folder, 'index.html'), 'no-cache'));
  const assets = path.join(folder, 'assets');
  for (const name of existsSync(assets) ? readdirSync(assets) : []) {
    files.set(
      `/assets/${name}`,
      asset(path.join(assets, name), 'public, max-age=31536000, immutable'),
    );
  }
  return files;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Dashboard not built</title>
<p>The dashboard has not been built: run <code>npm run build:dashboard</code>
(<code>npm start</code> does it when the devDependencies are installed). GraphiQL is at
<a href="/graphql">/graphql</a>.</p>`;

let built: ReadonlyMap<string, Asset> | undefined;

/** Whether Accept-Encoding takes gzip with a weight above zero (named, else by `*`). */
function acceptsGzip(header: string): boolean {
  const weights = new Map(
    header.split(',').map((entry) => {
      const [coding = '', ...parameters] = entry
        .split(';')
        .map((part) => part.trim().toLowerCase());
      const q = parameters.find((parameter) => parameter.startsWith('q='));
      return [coding, q ? Number(q.slice(2)) : 1] as const;
    }),
  );
  return (weights.get('gzip') ?? weights.get('*') ?? 0) > 0;
}

/** Serves the build, read once per process (every gateway of a test run shares it). */
export function dashboardPlugin(files = (built ??= loadDashboard())): Plugin {
  return {
    onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const file = files.get(url.pathname);
      if (!file) {
        if (url.pathname !== '/') return;
        payload.endResponse(
          new fetchAPI.Response(NOT_BUILT, {
            status: 503,
            headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
          }),
        );
        return;
      }
      const gzip = file.gzipped && acceptsGzip(request.headers.get('accept-encoding') ?? '');
      const body = gzip ? file.gzipped! : file.body;
      payload.endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            ...file.headers,
            'content-length': String(body.byteLength),
            ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          },
        }),
      );
    },
  };
}
