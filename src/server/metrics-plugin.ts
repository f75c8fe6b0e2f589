/**
 * Prometheus metrics: times every GraphQL request by operation, counts the errors
 * sent by code, puts the metrics on the context (for the rows-written counter of
 * the write mutations) and serves GET /metrics in Prometheus text format.
 * /metrics is open, like /health: it holds timings and counts, never data; keep
 * it inside the network Prometheus scrapes from.
 */
import type { ExecutionArgs, GraphQLError } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import {
  OperationNames,
  executedLabels,
  textLabels,
  type OperationLabels,
} from '../metrics/operation-labels.js';
import type { GatewayMetrics } from '../metrics/registry.js';

export const METRICS_PATH = '/metrics';
// Distinct operation names labelled as themselves; later ones count as "other".
const MAX_OPERATION_NAMES = 200;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The error's extensions.code when it looks like one; NONE without a code. */
function errorCode(error: GraphQLError): string {
  const code: unknown = error.extensions?.code;
  if (code === undefined) return 'NONE';
  return typeof code === 'string' && CODE.test(code) ? code : 'OTHER';
}

export function metricsPlugin(metrics: GatewayMetrics): Plugin<{ metrics: GatewayMetrics }> {
  const names = new OperationNames(MAX_OPERATION_NAMES);
  const started = new WeakMap<Request, number>();
  const labels = new WeakMap<Request, OperationLabels>();
  let graphqlEndpoint = '/graphql';

  /**
   * The labels of a POST answered from the response cache: yoga never read its body
   * (the cache read a copy), so it is read here, after the clock stopped.
   */
  async function cachedResponseLabels(request: Request, response: Response) {
    if (request.method !== 'POST' || response.status !== 200 || request.bodyUsed) return undefined;
    try {
      const params = (await request.json()) as { query?: unknown; operationName?: unknown };
      return textLabels(names, params.query, params.operationName);
    } catch {
      return undefined;
    }
  }

  return {
    onYogaInit({ yoga }) {
      graphqlEndpoint = yoga.graphqlEndpoint;
    },
    async onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      if (url.pathname === METRICS_PATH && request.method === 'GET') {
        payload.endResponse(
          new fetchAPI.Response(await metrics.registry.metrics(), {
            headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
          }),
        );
        return;
      }
      if (url.pathname === graphqlEndpoint) started.set(request, performance.now());
    },
    onContextBuilding({ extendContext }) {
      extendContext({ metrics });
    },
    onParams({ request, params }) {
      // Provisional: requests that fail parsing or validation are never executed.
      labels.set(request, textLabels(names, params.query, params.operationName));
    },
    onExecute({ args }) {
      // envelop types these loosely; they are graphql-js' execution arguments.
      const { document, operationName, contextValue } = args as ExecutionArgs;
      const { request } = contextValue as YogaInitialContext;
      labels.set(request, executedLabels(names, document, operationName));
    },
    onExecutionResult({ result }) {
      // After error masking: the codes clients see.
      if (!result || Symbol.asyncIterator in result) return;
      for (const error of result.errors ?? []) {
        metrics.graphqlErrors.inc({ code: errorCode(error) });
      }
    },
    async onResponse({ request, response }) {
      const start = started.get(request);
      if (start === undefined) return;
      const seconds = (performance.now() - start) / 1000;
      const operation = labels.get(request) ?? (await cachedResponseLabels(request, response));
      // Anything else on the endpoint (the GraphiQL page) is not an operation.
      if (operation) metrics.requestDuration.observe(operation, seconds);
    },
  };
}
