import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.cacheUrl).toBeUndefined();
    expect(config.apiKeys).toEqual([]);
    expect(config.maxPageSize).toBe(500);
    expect(config.nodeEnv).toBe('development');
    expect(config.persistedDocumentsOnly).toBe(false);
  });

  it('parses PERSISTED_DOCUMENTS_ONLY as 1/0 or true/false', () => {
    expect(loadConfig({ PERSISTED_DOCUMENTS_ONLY: '1' }).persistedDocumentsOnly).toBe(true);
    expect(loadConfig({ PERSISTED_DOCUMENTS_ONLY: 'true' }).persistedDocumentsOnly).toBe(true);
    expect(loadConfig({ PERSISTED_DOCUMENTS_ONLY: '0' }).persistedDocumentsOnly).toBe(false);
  });

  it('parses per-view cache TTLs over the defaults', () => {
    expect(loadConfig({}).cacheViewTtlMs).toEqual({
      recentExecutions: 10_000,
      performanceAlerts: 30_000,
    });
    expect(
      loadConfig({ CACHE_VIEW_TTLS: 'executionTrends=5000, recentExecutions=0' }).cacheViewTtlMs,
    ).toEqual({
      recentExecutions: 0,
      performanceAlerts: 30_000,
      executionTrends: 5_000,
    });
  });

  it('parses API_KEYS as role:key pairs', () => {
    const config = loadConfig({ API_KEYS: 'viewer:aaaaaaaaaaaaaaaa, admin:bbbbbbbbbbbbbbbb' });
    expect(config.apiKeys).toEqual([
      { role: 'viewer', key: 'aaaaaaaaaaaaaaaa' },
      { role: 'admin', key: 'bbbbbbbbbbbbbbbb' },
    ]);
  });

  it('parses READ_DATABASE_URLS and the replica limits', () => {
    const config = loadConfig({
      DATABASE_URL: 'mysql://u:p@primary/analytics',
      READ_DATABASE_URLS: 'mysql://u:p@replica1/analytics, mysql://u:p@replica2:3307/analytics',
      REPLICA_MAX_LAG_MS: '2000',
    });
    expect(config.readDatabaseUrls).toEqual([
      'mysql://u:p@replica1/analytics',
      'mysql://u:p@replica2:3307/analytics',
    ]);
    expect(config.replicaMaxLagMs).toBe(2_000);
    expect(config.replicaWaitMs).toBe(500);
    expect(loadConfig({}).readDatabaseUrls).toEqual([]);
    expect(loadConfig({}).replicaMaxLagMs).toBe(5_000);
  });

  it.each([
    [
      { DATABASE_URL: 'mysql://u@p/a', READ_DATABASE_URLS: 'mysql://u@r/a,redis://x' },
      /^READ_DATABASE_URLS: entry 2: expected a mysql: URL/,
    ],
    [
      { DATABASE_URL: 'mysql://u@p/a', READ_DATABASE_URLS: 'replica-host' },
      /^READ_DATABASE_URLS: entry 1: not a URL/,
    ],
    [{ READ_DATABASE_URLS: 'mysql://u@r/a' }, /^READ_DATABASE_URLS: needs DATABASE_URL/],
    [{ REPLICA_MAX_LAG_MS: '0' }, /^REPLICA_MAX_LAG_MS: expected a number from 1/],
    [{ REPLICA_WAIT_MS: 'soon' }, /^REPLICA_WAIT_MS: expected a whole number/],
    [{ PORT: 'eighty' }, /^PORT: expected a whole number/],
    [{ PERSISTED_DOCUMENTS_ONLY: 'yes' }, /^PERSISTED_DOCUMENTS_ONLY: expected 1 or 0/],
    [{ PORT: '70000' }, /^PORT: expected a number from 0 to 65535/],
    [{ DATABASE_URL: 'postgres://x@y/z' }, /^DATABASE_URL: expected a mysql: URL/],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL: not a URL/],
    [{ CACHE_URL: 'memcached://x' }, /^CACHE_URL: expected a redis: or rediss: URL/],
    [{ API_KEYS: 'root:aaaaaaaaaaaaaaaa' }, /^API_KEYS: entry 1 must be role:key/],
    [{ API_KEYS: 'admin:short' }, /^API_KEYS: entry 1: keys need at least 16 characters/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV: expected development, production or test/],
    [{ MAX_PAGE_SIZE: '0' }, /^MAX_PAGE_SIZE: expected a number from 1/],
    [{ CACHE_TTL_MS: '-5' }, /^CACHE_TTL_MS: expected a whole number/],
    [
      { CACHE_VIEW_TTLS: 'recentExecutions:5' },
      /^CACHE_VIEW_TTLS: entry 1 must be view=milliseconds/,
    ],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(message);
  });
});
