/**
 * HTTP caching of GET queries, for browsers and CDNs: a response made only of cached
 * views carries `Cache-Control: private, max-age` (what is left of its shortest-lived
 * view) and a weak ETag of its data; a request whose If-None-Match holds that ETag
 * gets 304 and no body. Anything else (errors, fields that are not views, POST) is
 * `no-store`. Private: answers depend on the caller's key.
 */
import { createHash } from 'node:crypto';
import type { ExecutionArgs } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import { viewsOnlyTtlMs } from './response-cache-plugin.js';

interface Validator {
  etag: string;
  maxAgeSeconds: number;
}

/** True when the If-None-Match header lists `etag` (weak comparison, as for GET). */
function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => strip(tag) === strip(etag));
}

export function httpCachingPlugin(): Plugin<GatewayContext> {
  const validators = new WeakMap<Request, Validator>();
  return {
    onExecute({ args: envelopArgs }) {
      const args = envelopArgs as ExecutionArgs;
      const context = args.contextValue as GatewayContext & Partial<YogaInitialContext>;
      const request = context.request;
      if (request?.method !== 'GET') return;
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const leftMs = viewsOnlyTtlMs(args, result, context.cacheReport);
          if (leftMs === undefined) return;
          const digest = createHash('sha256')
            .update(JSON.stringify(result.data))
            .digest('base64url');
          validators.set(request, {
            etag: `W/"${digest}"`,
            maxAgeSeconds: Math.max(0, Math.floor(leftMs / 1000)),
          });
        },
      };
    },
    onResponse(payload) {
      const { request, response, fetchAPI } = payload;
      const validator = validators.get(request);
      if (!validator || response.status !== 200) {
        // Responses that state their own caching (the dashboard's files) keep it.
        if (request.method === 'GET' && !response.headers.has('cache-control')) {
          response.headers.set('cache-control', 'no-store');
        }
        return;
      }
      const headers = {
        'cache-control': `private, max-age=${validator.maxAgeSeconds}`,
        etag: validator.etag,
        vary: 'Authorization',
      };
      if (matches(request.headers.get('if-none-match'), validator.etag)) {
        payload.setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    },
  };
}
