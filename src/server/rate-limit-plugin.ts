/**
 * Rate limits, checked as a request arrives, before its body is read or parsed: per
 * API key (RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST) and, for requests without a valid
 * key, per client address (RATE_LIMIT_ANONYMOUS_…). A client over its limit gets 429
 * with Retry-After and a GraphQL-shaped error (code RATE_LIMITED); every counted
 * response says how much is left (RateLimit-Limit, -Remaining, -Reset). Each operation
 * of a batched request counts as a request (a refused one answers RATE_LIMITED alone).
 *
 * The counters live in Redis when the cache does (CACHE_URL), on the cache's own
 * client, so that all instances share one limit; in process otherwise, and while
 * Redis is unreachable (each instance then counts alone). /health, /ready and
 * /metrics are answered by earlier plugins and never counted.
 */
import { createHash, createHmac } from 'node:crypto';
import KeyvRedis from '@keyv/redis';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { ViewCache } from '../cache/view-cache.js';
import type { Config, RateLimit } from '../config.js';
import { log } from '../logger.js';
import { authenticate } from './auth.js';
import { clientOf } from './client-address.js';

interface Counter {
  kind: 'key' | 'address';
  limit: RateLimit;
  /** Counts in process: alone, or while Redis is not connected. */
  memory: RateLimiterAbstract;
  /** Counts in Redis (falling back to `memory` on a store error); absent without Redis. */
  shared?: RateLimiterAbstract;
  /** For messages: "this API key", "this client address". */
  who: string;
}

interface Subject {
  counter: Counter;
  /** The counter's key: an HMAC of the API key, or the client address. */
  id: string;
}

/** The cache's Redis store when CACHE_URL names one. */
function redisStoreOf(cache: ViewCache): KeyvRedis<unknown> | undefined {
  const store: unknown = cache.backend.entries.store;
  return store instanceof KeyvRedis ? store : undefined;
}

function counter(
  kind: Counter['kind'],
  limit: RateLimit,
  prefix: string,
  who: string,
  redis: KeyvRedis<unknown> | undefined,
): Counter {
  const options = {
    points: limit.burst,
    duration: limit.windowSeconds,
    keyPrefix: `${prefix}:${kind}`,
  };
  const memory = new RateLimiterMemory(options);
  const shared =
    redis &&
    new RateLimiterRedis({
      ...options,
      storeClient: redis.client,
      useRedisPackage: true,
      insuranceLimiter: memory,
    });
  return { kind, limit, memory, shared, who };
}

function headersOf(limit: RateLimit, state: RateLimiterRes): Record<string, string> {
  return {
    'RateLimit-Limit': String(limit.burst),
    'RateLimit-Remaining': String(Math.max(0, state.remainingPoints)),
    'RateLimit-Reset': String(Math.max(1, Math.ceil(state.msBeforeNext / 1000))),
  };
}

/** The yoga plugin; it adds no hook at all when no limit is configured. */
export function rateLimitPlugin(config: Config, cache: ViewCache, namespace: string): Plugin {
  const { rateLimitPerKey, rateLimitAnonymous, apiKeys, trustProxyHops } = config;
  if (!rateLimitPerKey && !rateLimitAnonymous) return {};
  const redis = redisStoreOf(cache);
  const prefix = `analytics-gateway:rate:${namespace}`;
  const perKey = rateLimitPerKey && counter('key', rateLimitPerKey, prefix, 'this API key', redis);
  const anonymous =
    rateLimitAnonymous &&
    counter('address', rateLimitAnonymous, prefix, 'this client address without a key', redis);
  // Keys are counted under an HMAC whose secret is derived from API_KEYS (the same on every
  // instance): the store, maybe shared with others, holds nothing to test guessed keys against.
  const secret = createHash('sha256')
    .update(
      apiKeys
        .map((key) => key.key)
        .sort()
        .join('\n'),
    )
    .digest();
  const counted = new WeakMap<Request, { limit: RateLimit; state: RateLimiterRes }>();

  /** Redis while it is connected; else in process (the cache connects, or reconnects, it). */
  function limiterOf({ memory, shared }: Counter): RateLimiterAbstract {
    if (!shared || !redis) return memory;
    // backend.ts creates a single-node client, which has both flags.
    const client = redis.client as { isReady?: boolean; isOpen?: boolean };
    if (client.isReady) return shared;
    // Never connected yet (the cache connects lazily): start it, without waiting.
    if (!client.isOpen) void redis.getClient().catch(() => undefined);
    return memory;
  }

  /** Which counter a request goes to, or undefined when it is not limited. */
  function subjectOf(request: Request, serverContext: unknown): Subject | undefined {
    const caller = authenticate(request, apiKeys);
    const client = clientOf(request, serverContext, caller, trustProxyHops);
    if (client?.kind === 'key') {
      return perKey
        ? {
            counter: perKey,
            id: createHmac('sha256', secret).update(client.token).digest('base64url'),
          }
        : undefined;
    }
    return anonymous && client ? { counter: anonymous, id: client.address } : undefined;
  }

  /** Takes one point from the request's subject; the refusal's message when over. */
  async function consume(request: Request, serverContext: unknown) {
    const subject = subjectOf(request, serverContext);
    if (!subject) return undefined;
    const { kind, limit, who } = subject.counter;
    try {
      const state = await limiterOf(subject.counter).consume(subject.id);
      counted.set(request, { limit, state });
      return undefined;
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) {
        // Not a verdict but a store failure with no fallback: let the request through.
        log.error('rate limiter failed', { error: String(outcome) });
        return undefined;
      }
      const retryAfter = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      // Logged once per window and client (the first refusal), never with the key itself.
      if (outcome.consumedPoints === limit.burst + 1) {
        log.warn('rate limit reached', {
          client: kind === 'key' ? `key ${subject.id.slice(0, 8)}…` : subject.id,
          windowSeconds: limit.windowSeconds,
        });
      }
      counted.set(request, { limit, state: outcome });
      const message =
        `Rate limit exceeded: ${who} may send ${limit.burst} requests per ` +
        `${limit.windowSeconds} s (${limit.perMinute} a minute). Retry after ${retryAfter} s.`;
      return { message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } };
    }
  }
  /** Operations seen per request: a batch's first was counted as the request arrived. */
  const operations = new WeakMap<Request, number>();

  return {
    async onRequest(payload) {
      const { request, serverContext, fetchAPI } = payload;
      const refused = await consume(request, serverContext);
      if (!refused) return;
      const { retryAfterSeconds } = refused.extensions;
      const { limit, state } = counted.get(request)!;
      counted.delete(request);
      payload.endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [refused] }), {
          status: 429,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'retry-after': String(retryAfterSeconds),
            ...headersOf(limit, state),
          },
        }),
      );
    },
    // Each further operation of a batch costs a request of its own.
    async onParams({ request, context, setResult }) {
      const seen = operations.get(request) ?? 0;
      operations.set(request, seen + 1);
      if (seen === 0) return;
      const refused = await consume(request, context);
      if (refused) setResult({ errors: [new GraphQLError(refused.message, refused)] });
    },
    onResponse({ request, response }) {
      const entry = counted.get(request);
      if (!entry) return;
      for (const [name, value] of Object.entries(headersOf(entry.limit, entry.state))) {
        response.headers.set(name, value);
      }
    },
  };
}
