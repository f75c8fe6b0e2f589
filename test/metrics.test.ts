/**
 * GET /metrics: Prometheus text with the request histogram by operation (also for
 * responses served from the cache), errors by code, cache hits and misses, rows
 * written, pool connections, the rollup journal's backlog and the process defaults;
 * one registry per gateway.
 */
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { OperationNames, executedLabels, textLabels } from '../src/metrics/operation-labels.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';
import { sample } from './helpers/prometheus.js';

const KEYS = {
  viewer: 'viewer-key-0123456789',
  analyst: 'analyst-key-0123456789',
  admin: 'admin-key-0123456789abc',
};
const DURATION = 'gateway_graphql_request_duration_seconds_count';
const WINDOW = '{ from: "2026-05-01T00:00:00Z", to: "2026-05-02T00:00:00Z" }';
let gateway: TestGateway;
let report: string;

beforeAll(async () => {
  const keyed = loadConfig({
    API_KEYS: `viewer:${KEYS.viewer},analyst:${KEYS.analyst},admin:${KEYS.admin}`,
  });
  gateway = await createTestGateway(
    { apiKeys: keyed.apiKeys, readsNeedKey: keyed.readsNeedKey },
    { useCache: true },
  );
  report = await insertReport(gateway.db);
});
afterAll(() => gateway.drop());

async function metrics(of: TestGateway = gateway) {
  const response = await of.yoga.fetch('http://gateway.test/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

async function call(query: string, variables: Record<string, unknown> = {}, key = KEYS.viewer) {
  const response = await gateway.post({ query, variables }, { authorization: `Bearer ${key}` });
  return (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { extensions?: { code?: string } }[];
    extensions?: { cache?: { field: string; hit: boolean }[] };
  };
}

describe('GET /metrics', () => {
  it('needs no key and carries the process defaults', async () => {
    const text = await metrics();
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('times a named operation under its name and type', async () => {
    const before = sample(await metrics(), DURATION, { operation_name: 'ProbeCacheStats' });
    expect(before).toBeUndefined();
    const result = await call('query ProbeCacheStats { cacheStats { hits } }');
    expect(result.errors).toBeUndefined();
    const text = await metrics();
    const labels = { operation_name: 'ProbeCacheStats', operation_type: 'query' };
    expect(sample(text, DURATION, labels)).toBe(1);
    expect(sample(text, 'gateway_graphql_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    // Every bucket at or above the observation holds it; +Inf holds everything.
    expect(
      sample(text, 'gateway_graphql_request_duration_seconds_bucket', { ...labels, le: '+Inf' }),
    ).toBe(1);
  });

  it('counts cache misses and hits, and times hits answered before parsing', async () => {
    const query = `query ProbeSummary { reportsSummary(window: ${WINDOW}) { totalCount } }`;
    const labels = { operation_name: 'ProbeSummary', operation_type: 'query' };
    const before = await metrics();
    const misses = sample(before, 'gateway_cache_misses_total')!;
    const hits = sample(before, 'gateway_cache_hits_total')!;

    const first = await call(query);
    expect(first.extensions?.cache?.[0]).toMatchObject({ field: 'reportsSummary', hit: false });
    const afterMiss = await metrics();
    expect(sample(afterMiss, 'gateway_cache_misses_total')).toBe(misses + 1);
    expect(sample(afterMiss, 'gateway_cache_hits_total')).toBe(hits);

    // The same request again is answered whole from the response cache.
    const second = await call(query);
    expect(second.extensions?.cache?.[0]).toMatchObject({ field: '(response)', hit: true });
    const afterHit = await metrics();
    expect(sample(afterHit, 'gateway_cache_hits_total')).toBe(hits + 1);
    expect(sample(afterHit, 'gateway_cache_misses_total')).toBe(misses + 1);
    expect(sample(afterHit, DURATION, labels)).toBe(2);
  });

  it('counts rows written by insertExecutions after commit, and none for a refused batch', async () => {
    const insert = `mutation ProbeInsert($rows: [ExecutionInput!]!) {
      insertExecutions(rows: $rows) { affected } }`;
    const row = { reportId: report, status: 'QUEUED', startedAt: '2026-05-01T10:00:00.000Z' };
    const written = () =>
      metrics().then((t) =>
        sample(t, 'gateway_rows_written_total', { table: 'report_executions' }),
      );
    expect(await written()).toBeUndefined();

    const result = await call(insert, { rows: [row, row, row] }, KEYS.analyst);
    expect(result.data).toEqual({ insertExecutions: { affected: 3 } });
    expect(await written()).toBe(3);

    const refused = await call(insert, { rows: [row, { ...row, durationMs: -1 }] }, KEYS.analyst);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await written()).toBe(3);
    expect(
      sample(await metrics(), DURATION, {
        operation_name: 'ProbeInsert',
        operation_type: 'mutation',
      }),
    ).toBe(2);
  });

  it('counts rows written by the admin mutations under their table', async () => {
    const result = await call(
      `mutation { upsertUsers(rows: [{ email: "metrics@example.com", displayName: "M", role: VIEWER }]) { affected } }`,
      {},
      KEYS.admin,
    );
    expect(result.data).toEqual({ upsertUsers: { affected: 1 } });
    expect(sample(await metrics(), 'gateway_rows_written_total', { table: 'users' })).toBe(1);
  });

  it('counts errors by code', async () => {
    const errors = async (code: string) =>
      sample(await metrics(), 'gateway_graphql_errors_total', { code }) ?? 0;
    const badInput = await errors('BAD_USER_INPUT');
    const forbidden = await errors('FORBIDDEN');
    const unauthenticated = await errors('UNAUTHENTICATED');

    const bad = await call(`{ reportsSummary(window: { last: "soon" }) { totalCount } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await errors('BAD_USER_INPUT')).toBe(badInput + 1);

    const low = await call('mutation { invalidateCache }');
    expect(low.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await errors('FORBIDDEN')).toBe(forbidden + 1);

    const response = await gateway.post({ query: '{ __typename }' });
    expect(response.status).toBe(401);
    expect(await errors('UNAUTHENTICATED')).toBe(unauthenticated + 1);
  });

  it('reports the pool connections in use and idle', async () => {
    await call('{ databaseHealth { serverVersion } }');
    const text = await metrics();
    expect(sample(text, 'gateway_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(text, 'gateway_db_pool_connections', { state: 'in_use' })).toBe(0);
    expect(sample(text, 'gateway_db_pool_waiting_requests')).toBe(0);
  });

  it('reports the rollup journal backlog and the applier', async () => {
    await gateway.fold();
    let text = await metrics();
    expect(sample(text, 'gateway_rollup_journal_rows')).toBe(0);
    expect(sample(text, 'gateway_rollup_journal_lag_seconds')).toBe(0);
    // The test gateway runs no applier of its own.
    expect(sample(text, 'gateway_rollup_applier_active')).toBe(0);
    expect(sample(text, 'gateway_rollup_folded_rows_total')).toBe(0);
    await insertExecution(gateway.db, report, '2026-05-01T10:00:00Z');
    await insertExecution(gateway.db, report, '2026-05-01T11:00:00Z');
    text = await metrics();
    expect(sample(text, 'gateway_rollup_journal_rows')).toBe(2);
    expect(sample(text, 'gateway_rollup_journal_lag_seconds')).toBeGreaterThanOrEqual(0);
    await gateway.fold();
    expect(sample(await metrics(), 'gateway_rollup_journal_rows')).toBe(0);
  });

  it('keeps one registry per gateway', async () => {
    const other = await createTestGateway();
    try {
      const text = await metrics(other);
      expect(sample(text, DURATION, { operation_name: 'ProbeCacheStats' })).toBeUndefined();
      expect(sample(text, 'gateway_cache_misses_total')).toBe(0);
      expect(sample(await metrics(), DURATION, { operation_name: 'ProbeCacheStats' })).toBe(1);
    } finally {
      await other.drop();
    }
  });
});

describe('operation labels', () => {
  it('names operations from the document, the operationName sent, or the first tokens', () => {
    const names = new OperationNames(10);
    expect(executedLabels(names, parse('mutation M { a } query Q { b }'), 'Q')).toEqual({
      operation_name: 'Q',
      operation_type: 'query',
    });
    expect(executedLabels(names, parse('{ a }'), undefined)).toEqual({
      operation_name: 'anonymous',
      operation_type: 'query',
    });
    expect(textLabels(names, '# note\n mutation Add { a }', undefined)).toEqual({
      operation_name: 'Add',
      operation_type: 'mutation',
    });
    // The operation sent is not the first one: its type is unknown without parsing.
    expect(textLabels(names, 'query A { a } mutation B { b }', 'B')).toEqual({
      operation_name: 'B',
      operation_type: 'unknown',
    });
    expect(textLabels(names, '"unterminated', 'Bad name!')).toEqual({
      operation_name: 'anonymous',
      operation_type: 'unknown',
    });
  });

  it('caps the distinct names so clients cannot grow the metrics without bound', () => {
    const names = new OperationNames(2);
    expect([names.label('A'), names.label('B'), names.label('C'), names.label('A')]).toEqual([
      'A',
      'B',
      'other',
      'A',
    ]);
  });
});
