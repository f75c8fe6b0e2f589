/** The yoga server: schema, per-request context, GraphiQL, error masking, plugins. */
import { createYoga } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/pool.js';
import { log } from '../logger.js';
import { schema } from '../schema/index.js';
import type { ViewCache } from '../cache/view-cache.js';
import { badInputPlugin } from './bad-input-plugin.js';
import { bodyLimitPlugin } from './body-limit-plugin.js';
import { readGatePlugin } from './read-gate-plugin.js';
import { responseCachePlugin } from './response-cache-plugin.js';
import { createContext } from './context.js';

const FIRST_QUERY = `# The busiest reports of the last 90 days. Press the run button (or Ctrl-Enter).
query BusiestReports {
  reportsSummary(first: 10) {
    totalCount
    edges {
      node {
        report { id name provider category owner { displayName } }
        executions
        successRate
        avgDurationMs
        totalOutputBytes
        lastExecutedAt
      }
    }
  }
}
`;

/** Log-friendly text of whatever yoga passes its logger (errors keep their stack). */
function describe(value: unknown): string {
  return value instanceof Error ? (value.stack ?? value.message) : String(value);
}

export interface GatewayOptions {
  db: Database;
  config: Config;
  cache: ViewCache;
}

/** Builds the yoga instance; it is a request handler for node:http and has `fetch` for tests. */
export function createGateway({ db, config, cache }: GatewayOptions) {
  return createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    context: ({ request }) => createContext({ db, config, cache, request }),
    graphiql:
      config.nodeEnv === 'production'
        ? false
        : { title: 'Analytics gateway', defaultQuery: FIRST_QUERY },
    landingPage: false,
    // Unexpected errors reach the client as "Unexpected error."; the detail stays in the log.
    maskedErrors: { isDev: false },
    logging: {
      debug: () => undefined,
      info: (...args: unknown[]) =>
        log.info(String(args[0]), { detail: args.slice(1).map(describe) }),
      warn: (...args: unknown[]) =>
        log.warn(String(args[0]), { detail: args.slice(1).map(describe) }),
      error: (...args: unknown[]) =>
        log.error(String(args[0]), { detail: args.slice(1).map(describe) }),
    },
    plugins: [
      bodyLimitPlugin(config.maxBodyBytes),
      responseCachePlugin(cache, config),
      readGatePlugin(),
      badInputPlugin(),
    ],
  });
}
