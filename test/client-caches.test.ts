/**
 * Issue 16, point 2: rows of views have an identity of their own. Apollo Client's
 * InMemoryCache (development build, warnings captured) and urql graphcache (with the
 * schema) run every view under two windows and with two selections each: no cache
 * warning, and every query read back from the cache equals the server's answer. The
 * same sequence on caches without the set-up shows the problems the issue found, so
 * the capture can fail. node()/nodes() refetch rows of views by their nodeId.
 */
import { readFileSync } from 'node:fs';
import type { TypePolicies } from '@apollo/client';
import type { KeyingConfig } from '@urql/exchange-graphcache';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDatabase } from '../src/seed/generate.js';
import { apolloTypePolicies, urqlKeys } from './helpers/client-cache-config.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const SCHEMA = buildSchema(readFileSync('schema.graphql', 'utf8'));
const NOW = new Date('2026-06-15T10:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
// The short window starts inside a day, so a day bucket it shares with the long one
// holds other numbers in each.
const SHORT = { from: iso(NOW.getTime() - 9 * DAY + 5 * 3_600_000), to: iso(NOW.getTime()) };
const LONG = { from: iso(NOW.getTime() - 90 * DAY), to: iso(NOW.getTime()) };

interface ViewCase {
  field: string;
  /** The row type. */
  type: string;
  args: string;
  /** Two selections of a row, overlapping in part. */
  rows: [string, string];
  /** For a connection: what each selection asks besides edges. */
  connection?: [string, string];
}

const VIEWS: ViewCase[] = [
  {
    field: 'reportsSummary',
    type: 'ReportSummary',
    args: 'first: 6',
    rows: ['nodeId executions report { id name }', 'nodeId executions failures successRate'],
    connection: ['', 'totalCount'],
  },
  {
    field: 'userActivity',
    type: 'UserActivity',
    args: 'first: 5, filter: { roles: [ANALYST, VIEWER, ADMIN] }',
    rows: ['nodeId executions user { id }', 'nodeId executions segment lastActiveAt'],
    connection: ['pageInfo { hasNextPage }', ''],
  },
  {
    field: 'executionMetrics',
    type: 'ExecutionMetricsBucket',
    args: 'granularity: DAY, groupBy: [PROVIDER]',
    rows: [
      'nodeId bucketStart provider executions',
      'nodeId bucketStart provider successes avgDurationMs',
    ],
  },
  {
    field: 'providerPerformance',
    type: 'ProviderPerformance',
    // Enum values differ from the columns' (AWS / aws): the id must carry the names.
    args: 'filter: { providers: [AWS, GCP, AZURE], categories: [COST, SECURITY, CUSTOM] }',
    rows: ['nodeId provider executions', 'nodeId provider reports failureRate'],
  },
  {
    field: 'categoryPerformance',
    type: 'CategoryPerformance',
    args: '',
    rows: ['nodeId category executions', 'nodeId category activeReports successRate'],
  },
  {
    field: 'executionTrends',
    type: 'ExecutionTrends',
    args: 'pattern: DAY_OF_WEEK',
    rows: [
      'nodeId pattern peak { nodeId slot executions }',
      'nodeId slots { nodeId slot executions share }',
    ],
  },
  {
    field: 'performanceAlerts',
    type: 'PerformanceAlert',
    args: 'minExecutions: 1, failureRateThreshold: 0.05, longRunningMs: 60000',
    rows: ['nodeId type severity report { id }', 'nodeId type value threshold'],
  },
];

const windowText = (window: { from: string; to: string }) =>
  `window: { from: "${window.from}", to: "${window.to}" }`;

interface ViewQuery {
  view: ViewCase;
  /** Which of the view's two row selections. */
  row: 0 | 1;
  text: string;
}

/** The four queries of a view: each selection under each window. */
function queriesOf(view: ViewCase): ViewQuery[] {
  return [SHORT, LONG].flatMap((window) =>
    ([0, 1] as const).map((row) => {
      const args = [windowText(window), view.args].filter(Boolean).join(', ');
      const selection = view.connection
        ? `${view.connection[row]} edges { cursor node { ${view.rows[row]} } }`
        : view.rows[row];
      return { view, row, text: `query { ${view.field}(${args}) { __typename ${selection} } }` };
    }),
  );
}
// Interleaved as a dashboard would ask them: short a, long b, short b, long a, …
const VIEW_QUERIES = VIEWS.flatMap((view) => {
  const [sa, sb, la, lb] = queriesOf(view);
  return [sa!, lb!, sb!, la!];
});
const QUERIES = VIEW_QUERIES.map((query) => query.text);

/** JSON without __typename (clients add it; the server's answer is asked with it too). */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, inner: unknown) => (key === '__typename' ? undefined : inner)),
  );
}

let gateway: TestGateway;
let serverAnswers: Map<string, unknown>;
const captured: string[] = [];

beforeAll(async () => {
  gateway = await createTestGateway();
  await seedDatabase(gateway.db, { executions: 900, users: 7, reports: 14, now: NOW });
  serverAnswers = new Map();
  for (const query of QUERIES) {
    const answer = await gateway.executeText(query);
    expect(answer.errors, query).toBeUndefined();
    serverAnswers.set(query, plain(answer.data));
  }
  // Apollo reads its development switch when it is first imported.
  (globalThis as { __DEV__?: boolean }).__DEV__ = true;
  for (const level of ['warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...parts: unknown[]) => {
      captured.push(parts.map(String).join(' '));
    });
  }
});
afterEach(() => {
  captured.length = 0;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await gateway.drop();
});

const fetchThroughGateway = async (input: RequestInfo | URL, init?: RequestInit) =>
  gateway.yoga.fetch(new Request(input, init));

/** Runs every query through Apollo, then reads each back: the mismatched queries. */
async function throughApollo(typePolicies: TypePolicies) {
  const { ApolloClient, HttpLink, InMemoryCache, gql } = await import('@apollo/client');
  const { loadDevMessages, loadErrorMessages } = await import('@apollo/client/dev');
  loadDevMessages();
  loadErrorMessages();
  const client = new ApolloClient({
    link: new HttpLink({ uri: 'http://gateway.test/graphql', fetch: fetchThroughGateway }),
    cache: new InMemoryCache({ typePolicies }),
  });
  for (const query of QUERIES) {
    const result = await client.query({ query: gql(query), fetchPolicy: 'network-only' });
    expect(plain(result.data), query).toEqual(serverAnswers.get(query));
  }
  return QUERIES.filter(
    (query) =>
      JSON.stringify(plain(client.readQuery({ query: gql(query) }))) !==
      JSON.stringify(serverAnswers.get(query)),
  );
}

/** Runs every query through urql with graphcache, then reads each back from the cache. */
async function throughUrql(keys: KeyingConfig) {
  const { Client, fetchExchange, gql } = await import('@urql/core');
  const { cacheExchange } = await import('@urql/exchange-graphcache');
  const client = new Client({
    url: 'http://gateway.test/graphql',
    fetch: fetchThroughGateway,
    exchanges: [cacheExchange({ schema: introspectionFromSchema(SCHEMA), keys }), fetchExchange],
  });
  for (const query of QUERIES) {
    const result = await client
      .query(gql(query), {}, { requestPolicy: 'network-only' })
      .toPromise();
    expect(result.error, query).toBeUndefined();
    expect(plain(result.data), query).toEqual(serverAnswers.get(query));
  }
  return QUERIES.filter((query) => {
    const read = client.readQuery(gql(query), {});
    return JSON.stringify(plain(read?.data ?? null)) !== JSON.stringify(serverAnswers.get(query));
  });
}

describe('client caches', () => {
  it('Apollo InMemoryCache: no warning, every read-back equals the server', async () => {
    const wrong = await throughApollo(apolloTypePolicies(SCHEMA));
    expect(captured).toEqual([]);
    expect(wrong).toEqual([]);
  });

  it('Apollo without the type policies loses data, and says so (the capture works)', async () => {
    const wrong = await throughApollo({});
    expect(captured.join('\n')).toContain('Cache data may be lost');
    expect(wrong.length).toBeGreaterThan(0);
  });

  it('urql graphcache with the schema: no warning, every read-back equals the server', async () => {
    const wrong = await throughUrql(urqlKeys(SCHEMA));
    expect(captured).toEqual([]);
    expect(wrong).toEqual([]);
  });

  it('urql graphcache without keys warns "Invalid key" (the capture works)', async () => {
    await throughUrql({});
    expect(captured.join('\n')).toContain('Invalid key');
  });
});

describe('urql with persisted queries', () => {
  it('sends the hash alone once the text is known, on a new client too', async () => {
    const { Client, fetchExchange, gql } = await import('@urql/core');
    const { cacheExchange } = await import('@urql/exchange-graphcache');
    const { persistedExchange } = await import('@urql/exchange-persisted');
    const sent: { method: string; hasText: boolean; code?: string }[] = [];
    const recordingFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const text = request.method === 'GET' ? new URL(request.url).searchParams.get('query') : null;
      const body =
        request.method === 'POST' ? ((await request.clone().json()) as { query?: string }) : {};
      const response = await gateway.yoga.fetch(request);
      const answer = (await response.clone().json()) as {
        errors?: { extensions?: { code?: string } }[];
      };
      sent.push({
        method: request.method,
        hasText: Boolean(text ?? body.query),
        code: answer.errors?.[0]?.extensions?.code,
      });
      return response;
    };
    const client = () =>
      new Client({
        url: 'http://gateway.test/graphql',
        fetch: recordingFetch,
        exchanges: [
          cacheExchange({ schema: introspectionFromSchema(SCHEMA), keys: urqlKeys(SCHEMA) }),
          persistedExchange({ preferGetForPersistedQueries: true }),
          fetchExchange,
        ],
      });
    const query = gql(QUERIES[0]!);
    const first = await client().query(query, {}).toPromise();
    expect(first.error).toBeUndefined();
    const again = await client().query(query, {}).toPromise();
    expect(plain(again.data)).toEqual(serverAnswers.get(QUERIES[0]!));
    expect(sent).toEqual([
      { method: 'GET', hasText: false, code: 'PERSISTED_QUERY_NOT_FOUND' },
      { method: 'GET', hasText: true, code: undefined },
      { method: 'GET', hasText: false, code: undefined },
    ]);
  });
});

describe('nodeId of rows of views', () => {
  const ids = async (query: string) => {
    const answer = await gateway.executeText(query);
    expect(answer.errors, query).toBeUndefined();
    return JSON.stringify(answer.data)
      .match(/"nodeId":"[^"]+"/g)!
      .map((m) => m.slice(10, -1));
  };

  it('differs between windows and repeats under the same arguments', async () => {
    for (const view of VIEWS) {
      const [short, , long] = queriesOf(view);
      const shortIds = await ids(short!.text);
      expect(shortIds.length, view.field).toBeGreaterThan(0);
      expect(await ids(short!.text), view.field).toEqual(shortIds);
      const longIds = new Set(await ids(long!.text));
      expect(
        shortIds.filter((id) => longIds.has(id)),
        view.field,
      ).toEqual([]);
    }
  });

  it('node() and nodes() refetch every row with the numbers of its own window', async () => {
    for (const { view, row, text } of VIEW_QUERIES) {
      const answer = serverAnswers.get(text) as Record<string, unknown>;
      const rows = rowsOf(answer[view.field]);
      const fragment = `... on ${view.type} { ${view.rows[row]} }`;
      const one = await gateway.executeText(
        `query($id: ID!) { node(nodeId: $id) { ${fragment} } }`,
        {
          id: rows[0]!.nodeId,
        },
      );
      expect(one.errors, text).toBeUndefined();
      expect(one.data!.node, text).toEqual(rows[0]);
      const all = await gateway.executeText(
        `query($ids: [ID!]!) { nodes(nodeIds: $ids) { ${fragment} } }`,
        { ids: rows.map((found) => found.nodeId) },
      );
      expect(all.errors, text).toBeUndefined();
      expect(all.data!.nodes, text).toEqual(rows);
    }
  });

  it('bounds a refetch before any SQL as the view request itself is bounded', async () => {
    // A well-formed id (canonical JSON) of a bucket of hourly buckets over a year for every
    // provider × category: 8 760 × 30 rows, far over MAX_RESULT_ROWS.
    const year = { from: iso(NOW.getTime() - 365 * DAY), to: iso(NOW.getTime()) };
    const scope = {
      fillGaps: true,
      granularity: 'HOUR',
      groupBy: ['PROVIDER', 'CATEGORY'],
      window: year,
    };
    const id = Buffer.from(
      JSON.stringify(['ExecutionMetricsBucket', scope, [year.from, 'AWS', 'COST']]),
    ).toString('base64url');
    gateway.statements.length = 0;
    const answer = await gateway.executeText('query($id: ID!) { node(nodeId: $id) { nodeId } }', {
      id,
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'nodeId',
    });
    expect(answer.errors?.[0]?.message).toMatch(/262800 rows.*MAX_RESULT_ROWS/);
    expect(gateway.statements).toEqual([]);
  });

  it('counts the refetches of every node field of a request together', async () => {
    // Six ids of hourly buckets over a year (8 760 or 8 761 rows each), each alone within
    // MAX_RESULT_ROWS (50 000), all six not.
    const ids = Array.from({ length: 6 }, (_, i) => {
      const year = { from: iso(NOW.getTime() - 365 * DAY - i), to: iso(NOW.getTime()) };
      const scope = { fillGaps: false, granularity: 'HOUR', window: year };
      return Buffer.from(
        JSON.stringify(['ExecutionMetricsBucket', scope, [year.from, null, null]]),
      ).toString('base64url');
    });
    const fields = ids.map((_, i) => `n${i}: node(nodeId: $id${i}) { nodeId }`).join(' ');
    const variables = Object.fromEntries(ids.map((id, i) => [`id${i}`, id]));
    const params = ids.map((_, i) => `$id${i}: ID!`).join(', ');
    const answer = await gateway.executeText(`query(${params}) { ${fields} }`, variables);
    const refused = (answer.errors ?? []).filter((e) => /MAX_RESULT_ROWS/.test(e.message));
    expect(refused).toHaveLength(1);
    expect(refused[0]!.message).toMatch(/up to 5\d{4} rows in this request; at most 50000/);
  });

  it('names, on a cached answer, the window its numbers were computed for', async () => {
    const cached = await createTestGateway({}, { useCache: true });
    try {
      await seedDatabase(cached.db, { executions: 200, users: 3, reports: 5 });
      const query = '{ providerPerformance(window: { last: "P30D" }) { nodeId executions } }';
      type Rows = { providerPerformance: { nodeId: string; executions: number }[] };
      const first = (await cached.executeText(query)).data as Rows;
      const asked = Date.now();
      while (Date.now() === asked) await new Promise((resolve) => setImmediate(resolve));
      const hit = await cached.post({ query });
      const again = (await hit.json()) as {
        data: Rows;
        extensions?: { cache?: { hit: boolean }[] };
      };
      expect(again.extensions?.cache?.[0]?.hit).toBe(true);
      expect(again.data).toEqual(first);
      const refetched = await cached.executeText(
        'query($ids: [ID!]!) { nodes(nodeIds: $ids) { ... on ProviderPerformance { nodeId executions } } }',
        { ids: first.providerPerformance.map((row) => row.nodeId) },
      );
      expect(refetched.data?.nodes).toEqual(first.providerPerformance);
    } finally {
      await cached.drop();
    }
  });

  it('refuses ids it did not write, naming the argument', async () => {
    const [query] = queriesOf(VIEWS[0]!);
    const [real] = await ids(query!.text);
    const [type, scope, key] = JSON.parse(Buffer.from(real!, 'base64url').toString()) as [
      string,
      { window: { from: string; to: string } },
      string,
    ];
    const forge = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const forged = [
      forge([
        type,
        { ...scope, window: { from: '1990-01-01T00:00:00.000Z', to: scope.window.to } },
        key,
      ]),
      forge([type, { ...scope, filter: { reportIds: ['x'] } }, key]),
      forge(['Query', scope, key]),
      forge([type, scope, 'DROP TABLE reports']),
      `${real}xx`,
    ];
    for (const nodeId of forged) {
      const answer = await gateway.executeText('query($id: ID!) { node(nodeId: $id) { nodeId } }', {
        id: nodeId,
      });
      expect(answer.errors?.[0]?.extensions, nodeId).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'nodeId',
      });
    }
  });
});

/** The rows of a view's answer: edges' nodes, a list, or the one object. */
function rowsOf(value: unknown): { nodeId: string }[] {
  if (Array.isArray(value)) return value as { nodeId: string }[];
  const edges = (value as { edges?: { node: { nodeId: string } }[] }).edges;
  return edges ? edges.map((edge) => edge.node) : [value as { nodeId: string }];
}
