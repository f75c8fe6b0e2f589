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

  it.each([
    [{ PORT: 'eighty' }, /^PORT: expected a whole number/],
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
