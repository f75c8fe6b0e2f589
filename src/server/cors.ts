/**
 * Cross-origin access: closed unless CORS_ORIGINS lists the page's origin. Same-origin
 * callers (GraphiQL, servers, curl) never need CORS headers, so a closed default costs
 * them nothing; a page elsewhere gets no `Access-Control-Allow-Origin` and the browser
 * keeps the answer from it.
 */
import type { CORSOptions, Plugin } from 'graphql-yoga';
import { REQUEST_ID_HEADER } from './request-id-plugin.js';

// Authorization carries the API key; Cache-Control: no-cache asks for a fresh read.
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Cache-Control',
  REQUEST_ID_HEADER,
];
// What a page may read besides the safelisted headers: the request id and the rate limit state.
const EXPOSED_HEADERS = [
  REQUEST_ID_HEADER,
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];
// Browsers reuse an allowed preflight this long (Chromium caps it at 2 h).
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The `cors` option of createYoga: a listed origin is allowed, any other gets no CORS headers. */
export function corsPolicy(allowedOrigins: readonly string[]): (request: Request) => CORSOptions {
  const allowed = new Set(allowedOrigins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    return {
      origin,
      methods: ['GET', 'POST'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      // Keys travel in Authorization, never in cookies: no credentialed requests.
      credentials: false,
      maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    };
  };
}

/**
 * With origins listed, every answer depends on the request's Origin (allowed or not):
 * `Vary: Origin` keeps a shared HTTP cache from handing one origin's answer to another.
 */
export function corsVaryPlugin(allowedOrigins: readonly string[]): Plugin {
  if (allowedOrigins.length === 0) return {};
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (vary !== null && /(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary)) return;
      try {
        response.headers.set('vary', vary === null ? 'Origin' : `${vary}, Origin`);
      } catch {
        // A response with immutable headers (Response.error()) goes out without it.
      }
    },
  };
}
