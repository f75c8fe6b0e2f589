/**
 * The response level of the cache, and the cache report. A repeated identical
 * request (same query text, operation, variables and role) is answered with the
 * stored response body before it is even parsed; the entry is tagged with the table
 * versions its views were computed under, so any write to those tables outdates it,
 * and it lives no longer than its shortest-lived view. Every executed response
 * carries `extensions.cache`: per view, hit or miss, age and tables.
 */
import { createHash } from 'node:crypto';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { CacheReportEntry } from '../cache/cached-view.js';
import { commonVersions } from '../cache/table-versions.js';
import type { ViewCache } from '../cache/view-cache.js';
import type { Config } from '../config.js';
import { authenticate, mayRead } from './auth.js';
import { bypassesCache, type GatewayContext } from './context.js';
import { textToRun, type PersistedDocuments } from './persisted-documents.js';
import { parseQuery, rootFields } from './root-fields.js';

const MAX_CACHED_REQUEST_BYTES = 64 * 1024;
const JSON_BODY = /^application\/json\s*(;|$)/i;
const STREAMED = /text\/event-stream|multipart\/mixed/i;

interface RequestParams {
  query?: unknown;
  documentId?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

function responseKey(params: RequestParams, role: string) {
  const text = JSON.stringify([
    params.query,
    params.operationName ?? null,
    params.variables ?? {},
    role,
  ]);
  return `response:${createHash('sha256').update(text).digest('base64url')}`;
}

/**
 * The response keys of a query's root fields, fragments expanded and @skip/@include
 * applied; undefined for mutations and subscriptions, which are never cached whole.
 */
function rootResponseKeys(args: ExecutionArgs): Set<string> | undefined {
  const query = parseQuery(args);
  if (!query) return undefined;
  const fields = rootFields(query).filter((field) => field.node.name.value !== '__typename');
  return new Set(fields.map((field) => field.responseKey));
}

/**
 * What is left of the shortest-lived view a result was made of, when every root field
 * is a view that went through the cache and nothing failed; else undefined. Both the
 * response cache and HTTP caching (Cache-Control max-age) keep a result no longer.
 */
export function viewsOnlyTtlMs(
  args: ExecutionArgs,
  result: ExecutionResult,
  report: readonly CacheReportEntry[],
): number | undefined {
  if (result.errors || report.length === 0) return undefined;
  // Every root field is a view that reported, and nothing else reported.
  const keys = rootResponseKeys(args);
  if (keys?.size !== report.length || !report.every((entry) => keys.has(entry.field)))
    return undefined;
  return Math.min(...report.map((entry) => entry.ttlMs - entry.ageMs));
}

/** The stored body with this hit's report appended as `extensions.cache`. */
function withHitReport(body: string, ageMs: number): string {
  return `${body.slice(0, -1)},"extensions":{"cache":[{"field":"(response)","hit":true,"ageMs":${ageMs}}]}}`;
}

export function responseCachePlugin(
  cache: ViewCache,
  config: Config,
  persisted: PersistedDocuments,
): Plugin<GatewayContext> {
  return {
    async onRequest(payload) {
      const { request, fetchAPI } = payload;
      // Only what yoga would answer with one JSON body: a JSON POST that asks for no stream.
      if (request.method !== 'POST' || !JSON_BODY.test(request.headers.get('content-type') ?? ''))
        return;
      if (STREAMED.test(request.headers.get('accept') ?? '')) return;
      // Large bodies are writes or one-off requests: not worth parsing twice for a look-up.
      if (Number(request.headers.get('content-length') ?? Infinity) > MAX_CACHED_REQUEST_BYTES)
        return;
      // A caller who may not read goes the whole way, to be refused there; one who asked
      // for live numbers and may have them needs no look-up (nor its body read twice).
      const caller = authenticate(request, config.apiKeys);
      if (!mayRead(caller, config.readsNeedKey) || bypassesCache(request, caller, config)) return;
      let params: RequestParams;
      try {
        params = (await request.clone().json()) as RequestParams;
      } catch {
        return; // not JSON: yoga answers it
      }
      // Keyed by the text that would run (a persisted document's under its id); nothing
      // for a request the allow-list refuses, which goes on to be refused.
      const query = textToRun(persisted, params ?? {}, caller);
      if (query === undefined) return;
      const hit = await cache.fresh<string>(responseKey({ ...params, query }, caller.role));
      if (!hit) return;
      payload.endResponse(
        new fetchAPI.Response(withHitReport(hit.value, hit.ageMs), {
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
    onExecute({ args: envelopArgs }) {
      // envelop types these loosely; they are graphql-js' execution arguments.
      const args = envelopArgs as ExecutionArgs;
      const context = args.contextValue as GatewayContext & Partial<YogaInitialContext>;
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const report = context.cacheReport;
          if (report.length === 0) return;
          // Stored whole only when every root field is a view that went through the cache
          // (so its tables and versions are known), nothing failed, and all views may be cached,
          // and no longer than what is left of the oldest view entry it was built from.
          const ttlMs = viewsOnlyTtlMs(args, result, report) ?? 0;
          const cacheable =
            !context.bypassCache &&
            context.params !== undefined &&
            ttlMs > 0 &&
            report.every((entry) => entry.versions && Object.keys(entry.versions).length > 0);
          // Views read under different versions of a table straddle a write: not stored.
          const versions = cacheable
            ? commonVersions(report.map((entry) => entry.versions ?? {}))
            : undefined;
          if (versions) {
            const body = JSON.stringify({ data: result.data });
            void context.cache.store(
              responseKey(context.params!, context.role),
              body,
              versions,
              ttlMs,
            );
          }
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              cache: report.map(({ field, hit, ageMs, tables }) => ({ field, hit, ageMs, tables })),
            },
          });
        },
      };
    },
  };
}
