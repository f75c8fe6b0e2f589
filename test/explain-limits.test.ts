/**
 * `explain` takes a selection set of the named view only: its text cannot close the
 * view's braces and add root fields or fragment definitions, it may not hold
 * `explain`, `viewCatalog` or fragment spreads, the composed document passes the
 * same query limits as any request (refused as BAD_USER_INPUT naming `selection`,
 * with the limit's name and maximum), and the EXPLAIN statements run under the
 * statement timeout. The self-recursive document of issue 13 is refused before any
 * SQL while `{ __typename }` keeps answering. Every refusal is checked to run no SQL
 * (the test gateway records every statement).
 */
import { buildSchema } from 'graphql';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryLimits } from '../src/config.js';
import { openPool, type Database } from '../src/db/pool.js';
import { explainDocument } from '../src/schema/explain-document.js';
import { createGateway } from '../src/server/yoga.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway();
  const owner = await insertUser(gateway.db);
  const report = await insertReport(gateway.db, { owner_id: owner });
  await insertExecution(gateway.db, report, new Date(Date.now() - 60_000));
});
afterAll(() => gateway.drop());

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

type Fetch = (request: string, init: RequestInit) => Response | Promise<Response>;

/** Posts a query to `fetch` (a yoga instance's) as the test gateway does. */
async function post(fetch: Fetch, query: string, variables?: Record<string, unknown>) {
  const response = await fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'cache-control': 'no-cache',
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Body;
}

const viaGateway: Fetch = (request, init) => gateway.yoga.fetch(request, init);

/** A gateway over the test database (its statements recorded too) with other limits. */
function limitedGateway(limits: Partial<QueryLimits>): Fetch {
  const yoga = createGateway({
    db: gateway.db,
    databaseUrl: gateway.url,
    config: { ...gateway.config, queryLimits: { ...gateway.config.queryLimits, ...limits } },
    cache: gateway.cache,
  });
  return (request, init) => yoga.fetch(request, init);
}

const EXPLAIN = `query ($view: String!, $args: JSON, $selection: String) {
  explain(view: $view, args: $args, selection: $selection) { view statements { sql plan } } }`;

/** Explains `selection` of `view`; returns the body and the SQL the gateway ran meanwhile. */
async function explain(selection: string, view = 'reportsSummary', fetch = viaGateway) {
  gateway.statements.length = 0;
  const body = await post(fetch, EXPLAIN, { view, selection });
  return { body, statements: [...gateway.statements] };
}

/** Asserts a refusal of the selection that ran no SQL; returns the error's extensions. */
function expectRefused({ body, statements }: { body: Body; statements: string[] }) {
  expect(body.errors).toHaveLength(1);
  const extensions = body.errors?.[0]?.extensions;
  expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'selection' });
  expect(body.errors?.[0]?.message).toMatch(/^selection: /);
  expect(statements).toEqual([]);
  return extensions;
}

/** Asserts an explanation that ran only EXPLAIN statements (and the pool's dialect probe). */
function expectExplained({ body, statements }: { body: Body; statements: string[] }) {
  expect(body.errors).toBeUndefined();
  expect(body.data?.explain).toMatchObject({ view: expect.any(String) as unknown });
  const explains = statements.filter((text) => !/^SELECT VERSION\(\)/.test(text));
  expect(explains.length).toBeGreaterThan(0);
  for (const text of explains) {
    expect(text).toMatch(/^(SET STATEMENT max_statement_time = [\d.]+ FOR )?EXPLAIN FORMAT=JSON\s/);
  }
}

describe('the selection is a selection set of the view only', () => {
  it.each([
    ['a sibling root field', '{ totalCount } other: reportsSummary { totalCount }'],
    [
      'a closed operation and a fragment definition',
      '{ ...F } } fragment F on ReportSummaryConnection { totalCount',
    ],
    ['a closing brace and a root field', '{ totalCount } } other: reportsSummary { totalCount'],
    ['a fragment definition', '{ ...F } fragment F on ReportSummaryConnection { totalCount }'],
  ])('refuses text that adds %s', async (_what, selection) => {
    expectRefused(await explain(selection));
  });

  it('refuses a fragment spread, which no definition can back', async () => {
    const result = await explain('{ ...F }');
    expectRefused(result);
    expect(result.body.errors?.[0]?.message).toMatch(/fragment spread \.\.\.F is not allowed/);
  });

  it.each([
    ['explain', 'explain(view: "reportsSummary") { view }'],
    ['viewCatalog', 'viewCatalog { name }'],
  ])('refuses %s inside the selection', async (name, field) => {
    const result = await explain(`{ totalCount edges { node { ${field} } } }`);
    expectRefused(result);
    expect(result.body.errors?.[0]?.message).toBe(
      `selection: ${name} may not appear in a view's selection`,
    );
  });

  it('refuses a selection that reaches a root type through a field', () => {
    // No type of the gateway's schema leads back to Query; one that did must not open it.
    const schema = buildSchema(`
      type Query { view: Thing  secret: Int }
      type Thing { n: Int  back: Query }`);
    const limits = gateway.config.queryLimits;
    expect(explainDocument(schema, limits, 'view', {}, '{ n }').view.name.value).toBe('view');
    expect(() => explainDocument(schema, limits, 'view', {}, '{ back { secret } }')).toThrow(
      'selection: secret is a root field, not a view field',
    );
  });

  it('keeps inline fragments, arguments and the join-elimination flags', async () => {
    const body = await post(
      viaGateway,
      EXPLAIN.replace('view statements', 'view flags statements'),
      {
        view: 'recentExecutions',
        args: { first: 3 },
        selection:
          '{ ... on ExecutionConnection { totalCount edges { node { id report { id } } } } }',
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.explain).toMatchObject({ view: 'recentExecutions', flags: ['OPTIMIZED'] });
    const statements = (body.data?.explain as { statements: { sql: string }[] }).statements;
    expect(statements.map((s) => s.sql).join('\n')).toMatch(/LIMIT/);
  });
});

describe('the composed document passes the query limits', () => {
  const aliases = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: totalCount`).join(' ')} }`;
  const directives = (n: number) => `{ ${'totalCount @include(if: true) '.repeat(n)}}`;
  // n tokens: `{`, `totalCount` (so that something is read), aliases of __typename (3
  // tokens each, free of the alias limit), `}`. Distinct names: graphql-js bounds the
  // work of comparing many fields of one name.
  const tokens = (n: number) => {
    const aliased = Array.from({ length: Math.floor((n - 3) / 3) }, (_, i) => `t${i}: __typename`);
    const filler = [...aliased, ...Array<string>((n - 3) % 3).fill('__typename')];
    return `{ totalCount ${filler.join(' ')} }`;
  };
  const bytes = (n: number) => `{ totalCount${' '.repeat(n - '{ totalCount}'.length)}}`;
  // Six levels: recentExecutions › edges › node › report › owner › email.
  const DEEP = '{ edges { node { report { owner { email } } } } }';
  // report { id name } = 2 + 1.5 × 2 = 5, node = 2 + 1.5 × (5 + 1) = 11, edges = 18.5,
  // and with the view field reportsSummary = 2 + 1.5 × 18.5 = 29.75.
  const COSTLY = '{ edges { node { report { id name } executions } } }';

  it.each([
    ['aliases', 15, aliases(16), aliases(15)],
    ['directives', 50, directives(51), directives(50)],
    ['tokens', 1_000, tokens(1_001), tokens(1_000)],
    ['size', 32 * 1024, bytes(32 * 1024 + 1), bytes(32 * 1024)],
  ])(
    'refuses a selection over the default %s limit (%d) and answers one at it',
    async (limit, max, over, at) => {
      const extensions = expectRefused(await explain(over));
      expect(extensions).toMatchObject({ limit, max });
      expectExplained(await explain(at));
    },
  );

  it('refuses a selection deeper than MAX_QUERY_DEPTH, counting the view field', async () => {
    const shallow = limitedGateway({ maxDepth: 5 });
    const extensions = expectRefused(await explain(DEEP, 'recentExecutions', shallow));
    expect(extensions).toMatchObject({ limit: 'depth', max: 5 });
    expect((await explain(DEEP, 'recentExecutions', shallow)).body.errors?.[0]?.message).toMatch(
      /depth limit of 5 exceeded, found 6/,
    );
    expectExplained(await explain(DEEP, 'recentExecutions', limitedGateway({ maxDepth: 6 })));
  });

  it('refuses a selection costlier than MAX_QUERY_COST, counting the view field', async () => {
    const extensions = expectRefused(
      await explain(COSTLY, 'reportsSummary', limitedGateway({ maxCost: 29 })),
    );
    expect(extensions).toMatchObject({ limit: 'cost', max: 29 });
    expectExplained(await explain(COSTLY, 'reportsSummary', limitedGateway({ maxCost: 30 })));
  });
});

describe('the EXPLAIN statements run under the statement timeout', () => {
  let timed: Database;
  const statements: string[] = [];
  let fetch: Fetch;
  beforeAll(() => {
    timed = openPool(gateway.url, {
      statementTimeoutMs: 300,
      onStatement: (text) => statements.push(text),
    });
    const yoga = createGateway({
      db: timed,
      databaseUrl: gateway.url,
      config: gateway.config,
      cache: gateway.cache,
    });
    fetch = (request, init) => yoga.fetch(request, init);
  });
  afterAll(() => timed.dispose());

  it('sends each EXPLAIN under SET STATEMENT max_statement_time', async () => {
    statements.length = 0;
    const body = await post(fetch, EXPLAIN, { view: 'reportsSummary' });
    expect(body.errors).toBeUndefined();
    const explains = statements.filter((text) => /EXPLAIN/.test(text));
    expect(explains.length).toBeGreaterThan(0);
    for (const text of explains) {
      expect(text).toMatch(/^SET STATEMENT max_statement_time = [\d.]+ FOR EXPLAIN FORMAT=JSON /);
    }
  });

  it('stops an EXPLAIN stuck behind a table lock with QUERY_TIMEOUT', async () => {
    // Another session holds `reports` for writing: EXPLAIN waits for its metadata lock.
    const locker = await mysql.createConnection(gateway.url);
    try {
      await locker.query('LOCK TABLES reports WRITE');
      const body = await post(fetch, EXPLAIN, { view: 'reportsSummary' });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TIMEOUT' });
    } finally {
      await locker.query('UNLOCK TABLES');
      await locker.end();
    }
  });
});

describe('the recursion document of issue 13', () => {
  // e0 and e1 each explain the same selection again: without the checks the work
  // doubles per level, synchronously.
  const inner = (alias: string) =>
    `${alias}: explain(view:"reportsSummary", args:{after:$after}, selection:$after){view}`;
  const SELECTION = `{ totalCount } ${inner('e0')} ${inner('e1')}`;
  const RECURSION =
    'query($s:String,$a:JSON){explain(view:"reportsSummary",args:$a,selection:$s){view}}';

  it('is refused with BAD_USER_INPUT before any SQL while { __typename } answers', async () => {
    gateway.statements.length = 0;
    const recursion = post(viaGateway, RECURSION, { s: SELECTION, a: { after: SELECTION } });
    const typename = post(viaGateway, '{ __typename }');
    expect(await typename).toEqual({ data: { __typename: 'Query' } });
    const body = await recursion;
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'selection',
    });
    expect(gateway.statements).toEqual([]);
  });

  it('refuses a single explain after the selection (one level, no recursion)', async () => {
    expectRefused(await explain('{ totalCount } e0: explain(view:"reportsSummary"){view}'));
  });
});
