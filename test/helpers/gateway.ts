/**
 * A gateway on its own test database, driven through yoga's fetch (the whole HTTP
 * pipeline, without a socket). Every SQL statement it runs is recorded.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { loadConfig, type Config } from '../../src/config.js';
import { cacheNamespace, ViewCache } from '../../src/cache/view-cache.js';
import { createGateway } from '../../src/server/yoga.js';
import { foldJournal } from '../../src/rollups/applier.js';
import { createTestDatabase } from './database.js';

export type TestGateway = Awaited<ReturnType<typeof createTestGateway>>;

/**
 * Starts a gateway; `statements` collects the SQL text of every statement it sends.
 * Requests bypass the cache (Cache-Control: no-cache) unless `useCache` is set, so
 * that tests of the SQL see every statement.
 */
export async function createTestGateway(
  overrides: Partial<Config> = {},
  { useCache = false } = {},
) {
  const statements: string[] = [];
  const database = await createTestDatabase({ onStatement: (text) => statements.push(text) });
  const config: Config = { ...loadConfig({ NODE_ENV: 'test' }), ...overrides };
  const cache = ViewCache.create(config, cacheNamespace(database.url));
  const yoga = createGateway({ db: database.db, databaseUrl: database.url, config, cache });

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(useCache ? {} : { 'cache-control': 'no-cache' }),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    return response;
  }

  /** Runs a typed document; the result is typed by codegen. */
  async function execute<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
  ): Promise<ExecutionResult<Result>> {
    const response = await post({ query: print(document), variables });
    return (await response.json()) as ExecutionResult<Result>;
  }

  /** Runs raw query text (for documents codegen must not see, such as invalid ones). */
  async function executeText(query: string, variables?: Record<string, unknown>) {
    const response = await post({ query, variables });
    return (await response.json()) as ExecutionResult<Record<string, unknown>>;
  }

  const variants = new Map<string, ReturnType<typeof createGateway>>();
  /** A gateway over the same database and cache (statements recorded) with other settings. */
  function variant(overrides: Partial<Config> = {}) {
    const key = JSON.stringify(overrides);
    let other = variants.get(key);
    if (!other) {
      other = createGateway({
        db: database.db,
        databaseUrl: database.url,
        config: { ...config, ...overrides },
        cache,
      });
      variants.set(key, other);
    }
    return other;
  }

  return {
    ...database,
    config,
    cache,
    yoga,
    statements,
    variant,
    post,
    execute,
    executeText,
    /** Folds the rollup journal into the rollups, as a running gateway's applier does. */
    fold: () => database.db.task((connection) => foldJournal(connection)),
    /** Drops the database and closes the cache. */
    async drop() {
      await cache.backend.close();
      await database.drop();
    },
  };
}
