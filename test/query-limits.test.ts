/**
 * Query limits: depth, cost, aliases, directives, tokens and document size each
 * refuse a query with QUERY_TOO_COMPLEX before any SQL runs (no statement is
 * recorded), also when the query hides its shape in fragments named like
 * introspection fields; the same queries run under the defaults, so each test
 * fails without its limit. The dashboard and GraphiQL's queries stay well within
 * the defaults; suggestions are hidden; introspection is off in production.
 */
import { readFileSync } from 'node:fs';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config, type QueryLimits } from '../src/config.js';
import { SUGGESTION_HIDDEN } from '../src/server/hide-suggestions-plugin.js';
import type { createGateway } from '../src/server/yoga.js';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { cache?: { field: string; hit: boolean }[] };
}

const DASHBOARD = readFileSync(new URL('operations/dashboard.graphql', import.meta.url), 'utf8');
// GraphiQL's default query, as yoga.ts defines it.
const FIRST_QUERY = /const FIRST_QUERY = `([^`]*)`/.exec(
  readFileSync(new URL('../src/server/yoga.ts', import.meta.url), 'utf8'),
)![1]!;
// Six levels: recentExecutions › edges › node › report › owner › email.
const DEEP = '{ recentExecutions(first: 1) { edges { node { report { owner { email } } } } } }';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway();
  const report = await insertReport(gateway.db, { name: 'Limited' });
  await insertExecution(gateway.db, report, new Date(Date.now() - 3_600_000).toISOString());
});
afterAll(() => gateway.drop());

/** A gateway over the same database (its statements are recorded too) with other settings. */
function instance(limits: Partial<QueryLimits> = {}, overrides: Partial<Config> = {}) {
  return gateway.variant({
    ...overrides,
    queryLimits: { ...gateway.config.queryLimits, ...limits },
  });
}

interface SendOptions {
  variables?: Record<string, unknown>;
  accept?: string;
  /** Let the response cache answer and store (by default requests ask for live data). */
  useCache?: boolean;
}

/** POSTs a query; returns the status, the body and the statements it caused. */
async function send(
  yoga: ReturnType<typeof createGateway>,
  query: string,
  { variables, accept = 'application/json', useCache = false }: SendOptions = {},
) {
  gateway.statements.length = 0;
  const response = await yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept,
      ...(useCache ? {} : { 'cache-control': 'no-cache' }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody;
  return { status: response.status, body, statements: gateway.statements.length };
}

/** Asserts `query` is refused by exactly the `limit` rule with `message`, and runs no SQL. */
async function expectRefused(
  limits: Partial<QueryLimits>,
  query: string,
  limit: string,
  message: string,
) {
  const refused = await send(instance(limits), query);
  expect(refused.statements).toBe(0);
  expect(refused.body.data ?? undefined).toBeUndefined();
  expect(refused.body.errors).toEqual([
    expect.objectContaining({
      message,
      extensions: { code: 'QUERY_TOO_COMPLEX', limit, max: Object.values(limits)[0] },
    }),
  ]);
}

/** Asserts `query` runs under the defaults: no error, and it does issue SQL. */
async function expectRunsByDefault(query: string) {
  const result = await send(instance(), query);
  expect(result.body.errors).toBeUndefined();
  expect(result.statements).toBeGreaterThan(0);
}

describe('configuration', () => {
  it('has defaults, read from MAX_QUERY_* variables', () => {
    expect(loadConfig({}).queryLimits).toEqual({
      maxDepth: 10,
      maxCost: 1500,
      maxAliases: 15,
      maxDirectives: 50,
      maxTokens: 1000,
      maxBytes: 32768,
    });
    expect(
      loadConfig({
        MAX_QUERY_DEPTH: '7',
        MAX_QUERY_COST: '300',
        MAX_QUERY_ALIASES: '0',
        MAX_QUERY_DIRECTIVES: '3',
        MAX_QUERY_TOKENS: '200',
        MAX_QUERY_BYTES: '4096',
      }).queryLimits,
    ).toEqual({
      maxDepth: 7,
      maxCost: 300,
      maxAliases: 0,
      maxDirectives: 3,
      maxTokens: 200,
      maxBytes: 4096,
    });
  });

  it.each([
    ['MAX_QUERY_DEPTH', 'ten', /^MAX_QUERY_DEPTH: expected a whole number, got "ten"/],
    ['MAX_QUERY_DEPTH', '0', /^MAX_QUERY_DEPTH: expected a number from 1 to/],
    ['MAX_QUERY_COST', '-5', /^MAX_QUERY_COST: expected a whole number/],
    ['MAX_QUERY_ALIASES', '1.5', /^MAX_QUERY_ALIASES: expected a whole number/],
    ['MAX_QUERY_DIRECTIVES', '1e3', /^MAX_QUERY_DIRECTIVES: expected a whole number/],
    ['MAX_QUERY_TOKENS', '0', /^MAX_QUERY_TOKENS: expected a number from 1 to/],
    ['MAX_QUERY_BYTES', '99999999999', /^MAX_QUERY_BYTES: expected a number from 1 to/],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('each limit refuses a query before any SQL, with QUERY_TOO_COMPLEX', () => {
  it('depth', async () => {
    await expectRunsByDefault(DEEP);
    await expectRefused(
      { maxDepth: 4 },
      DEEP,
      'depth',
      'Query depth limit of 4 exceeded, found 6.',
    );
  });

  it('cost (the dashboard, 223, against a limit of 200)', async () => {
    await expectRunsByDefault(DASHBOARD);
    await expectRefused(
      { maxCost: 200 },
      DASHBOARD,
      'cost',
      'Query cost limit of 200 exceeded, found 223.',
    );
  });

  it('aliases, also those inside fragments', async () => {
    const aliased = `{ a: recentExecutions(first: 1) { totalCount }
      b: recentExecutions(first: 2) { totalCount } ...More }
      fragment More on Query { c: recentExecutions(first: 3) { totalCount } }`;
    await expectRunsByDefault(aliased);
    await expectRefused(
      { maxAliases: 2 },
      aliased,
      'aliases',
      'Aliases limit of 2 exceeded, found 3.',
    );
  });

  it('directives', async () => {
    const directed = `{ recentExecutions(first: 1) @include(if: true) {
      totalCount @include(if: true) edges @skip(if: false) { cursor } } }`;
    await expectRunsByDefault(directed);
    await expectRefused(
      { maxDirectives: 2 },
      directed,
      'directives',
      'Directives limit of 2 exceeded, found 3.',
    );
  });

  it('tokens (counted while parsing, comments not included)', async () => {
    // 15 tokens: { recentExecutions ( first : 1 ) { totalCount edges { cursor } } }
    const query = '{ recentExecutions(first: 1) { totalCount edges { cursor } } } # a comment';
    await expectRunsByDefault(query);
    await expectRefused({ maxTokens: 14 }, query, 'tokens', 'Token limit of 14 exceeded.');
    const within = await send(instance({ maxTokens: 15 }), query);
    expect(within.body.errors).toBeUndefined();
  });

  it('document size (UTF-8 bytes of the query text, comments included)', async () => {
    const query = `{ recentExecutions(first: 1) { totalCount } } # ${'é'.repeat(100)}`;
    const bytes = Buffer.byteLength(query);
    expect(bytes).toBe(248);
    await expectRunsByDefault(query);
    await expectRefused(
      { maxBytes: 247 },
      query,
      'size',
      'Document size limit of 247 bytes exceeded, found 248.',
    );
    const within = await send(instance({ maxBytes: 248 }), query);
    expect(within.body.errors).toBeUndefined();
  });

  it('answers 400 under application/graphql-response+json, 200 under application/json', async () => {
    const tooDeep = instance({ maxDepth: 4 });
    const tooBig = instance({ maxBytes: 20 });
    for (const yoga of [tooDeep, tooBig]) {
      const strict = await send(yoga, DEEP, { accept: 'application/graphql-response+json' });
      expect(strict.status).toBe(400);
      expect(strict.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect((await send(yoga, DEEP)).status).toBe(200);
    }
  });
});

describe('fragments named like introspection fields hide nothing', () => {
  // Earlier graphql-armor max-depth and cost-limit releases skipped every node named
  // __schema, so a fragment of that name hid whatever it selected.
  it.each([
    [
      'a nested fragment named __schema',
      `{ recentExecutions(first: 1) { edges { ...__schema } } }
       fragment __schema on ExecutionEdge { node { report { owner { email } } } }`,
    ],
    [
      'a root fragment named __schema',
      `{ ...__schema }
       fragment __schema on Query { recentExecutions(first: 1) { edges { node { report { owner { email } } } } } }`,
    ],
    [
      'a fragment named __type inside one named __typename',
      `{ recentExecutions(first: 1) { ...__typename } }
       fragment __typename on ExecutionConnection { edges { node { ...__type } } }
       fragment __type on Execution { report { owner { email } } }`,
    ],
    [
      'an operation named __schema',
      `query __schema { recentExecutions(first: 1) { edges { node { report { owner { email } } } } } }`,
    ],
    [
      'an inline fragment beside a real __schema field',
      `{ __schema { queryType { name } } ... on Query { recentExecutions(first: 1) { edges { node { report { owner { email } } } } } } }`,
    ],
  ])('depth: %s', async (_name, query) => {
    await expectRunsByDefault(query);
    await expectRefused(
      { maxDepth: 4 },
      query,
      'depth',
      'Query depth limit of 4 exceeded, found 6.',
    );
  });

  it('cost: the dashboard moved into a fragment named __schema costs the same', async () => {
    const hidden = `{ ...__schema } fragment __schema on Query ${DASHBOARD.replace(/^query Dashboard /, '')}`;
    await expectRunsByDefault(hidden);
    await expectRefused(
      { maxCost: 200 },
      hidden,
      'cost',
      'Query cost limit of 200 exceeded, found 223.',
    );
  });

  it('cost: fragments spread twice in fragments, 30 levels down, are measured at once', async () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, …: 2^30 copies of one field if expanded.
    const levels = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on Report { ...F${i + 1} ...F${i + 1} }`,
    );
    const bomb = `{ report(id: "1") { ...F0 } } ${levels.join(' ')} fragment F30 on Report { name }`;
    const started = performance.now();
    const refused = await send(instance(), bomb);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(refused.statements).toBe(0);
    expect(refused.body.errors?.map((error) => error.extensions?.limit)).toContain('cost');
    // One level of doubling is cheap, and runs.
    await expectRunsByDefault(
      '{ report(id: "1") { ...A ...A } } fragment A on Report { ...B ...B } fragment B on Report { name }',
    );
  });
});

describe('the defaults leave room for real use', () => {
  // Measured: the dashboard (all eight views, nested report and owner selections) is
  // 6 deep, costs 223, has no alias or directive, 148 tokens and 1 309 bytes.
  const measured: QueryLimits = {
    maxDepth: 6,
    maxCost: 223,
    maxAliases: 0,
    maxDirectives: 0,
    maxTokens: 148,
    maxBytes: Buffer.byteLength(DASHBOARD),
  };

  it('the dashboard passes at exactly its measured size and fails one below each', async () => {
    const exact = await send(instance(measured), DASHBOARD);
    expect(exact.body.errors).toBeUndefined();
    expect(exact.statements).toBeGreaterThanOrEqual(8);
    for (const [limit, value] of Object.entries(measured) as [keyof QueryLimits, number][]) {
      if (value === 0) continue;
      const below = await send(instance({ ...measured, [limit]: value - 1 }), DASHBOARD);
      expect(below.body.errors?.[0]?.extensions?.code, limit).toBe('QUERY_TOO_COMPLEX');
      expect(below.statements).toBe(0);
    }
  });

  it('the defaults are well above the dashboard: 1.6× its depth, 5× or more on the rest', () => {
    const defaults = loadConfig({}).queryLimits;
    expect(defaults.maxDepth).toBeGreaterThanOrEqual(measured.maxDepth * 1.6);
    for (const limit of ['maxCost', 'maxTokens', 'maxBytes'] as const)
      expect(defaults[limit], limit).toBeGreaterThanOrEqual(measured[limit] * 5);
    expect(defaults.maxAliases).toBeGreaterThanOrEqual(10);
    expect(defaults.maxDirectives).toBeGreaterThanOrEqual(10);
  });

  it("GraphiQL's default query runs within the dashboard's measured limits", async () => {
    const first = await send(instance(measured), FIRST_QUERY);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data).toHaveProperty('reportsSummary.totalCount', 1);
  });

  it("GraphiQL's schema query (standard introspection) passes the defaults in development", async () => {
    const introspection = await send(instance(), getIntrospectionQuery({ descriptions: true }));
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data).toHaveProperty('__schema.queryType.name', 'Query');
  });
});

describe('the response cache never stores a refused query', () => {
  it('refuses a repeated too-deep query every time, and the same text later runs fresh', async () => {
    const query = `${DEEP} # cache probe`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await send(instance({ maxDepth: 4 }), query, { useCache: true });
      expect(refused.statements).toBe(0);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(refused.body.extensions?.cache).toBeUndefined();
    }
    // Same cache, default limits: nothing was stored for this text, so it is computed.
    const fresh = await send(instance(), query, { useCache: true });
    expect(fresh.body.errors).toBeUndefined();
    expect(fresh.body.extensions?.cache?.some((entry) => entry.field === '(response)')).toBe(false);
  });
});

describe('suggestions are hidden', () => {
  it.each([
    ['a misspelt field', '{ reportsSumary { totalCount } }', /^Cannot query field "reportsSumary"/],
    [
      'a misspelt argument',
      '{ reportsSummary(fist: 1) { totalCount } }',
      /^Unknown argument "fist"/,
    ],
    [
      'a misspelt input field',
      '{ reportsSummary(filter: { provider: [AWS] }) { totalCount } }',
      /provider/,
    ],
    [
      'a misspelt enum literal',
      '{ reportsSummary(filter: { providers: [AWZ] }) { totalCount } }',
      /^filter\.providers: .*AWZ/,
    ],
  ])('%s', async (_name, query, message) => {
    const { body, statements } = await send(instance(), query);
    expect(statements).toBe(0);
    const [error] = body.errors!;
    expect(error!.message).toMatch(message);
    expect(error!.message).toContain(SUGGESTION_HIDDEN);
    expect(error!.message).not.toMatch(/did you mean/i);
  });

  it('in variables that do not coerce (reported at execution)', async () => {
    const { body, statements } = await send(
      instance(),
      'query ($p: [Provider!]) { reportsSummary(filter: { providers: $p }) { totalCount } }',
      { variables: { p: ['AWZ'] } },
    );
    expect(statements).toBe(0);
    expect(body.errors?.[0]?.message).toMatch(/AWZ/);
    expect(body.errors?.[0]?.message).toContain(SUGGESTION_HIDDEN);
    expect(body.errors?.[0]?.message).not.toMatch(/did you mean/i);
  });
});

describe('introspection', () => {
  const production = () => instance({}, { nodeEnv: 'production' });

  it.each([
    ['__schema', '{ __schema { queryType { name } } }'],
    ['__type', '{ __type(name: "Query") { name } }'],
    [
      '__schema in a fragment',
      '{ ...Schema } fragment Schema on Query { __schema { types { name } } }',
    ],
  ])('is refused in production: %s', async (_name, query) => {
    const { body, statements } = await send(production(), query);
    expect(statements).toBe(0);
    expect(body.data ?? undefined).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/introspection has been disabled/);
  });

  it('leaves __typename and the views alone in production', async () => {
    expect((await send(production(), '{ __typename }')).body).toEqual({
      data: { __typename: 'Query' },
    });
    const views = await send(production(), DASHBOARD);
    expect(views.body.errors).toBeUndefined();
  });

  it('is on outside production (GraphiQL needs it)', async () => {
    const { body } = await send(instance(), '{ __schema { queryType { name } } }');
    expect(body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
