/**
 * Windows and cursors: a non-finite or out-of-range date, an unanchored or absurd
 * duration, and a forged or garbled cursor are BAD_USER_INPUT naming the argument,
 * before any SQL, and nothing is cached for them: the same request sent again with
 * the cache on is refused again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway();
  const report = await insertReport(gateway.db);
  // Three executions in the last day: enough for a second page of recentExecutions.
  for (let hour = 1; hour <= 3; hour += 1) {
    await insertExecution(gateway.db, report, new Date(Date.now() - hour * 3_600_000));
  }
});
afterAll(() => gateway.drop());

/** POSTs a query with the response and view caches on (no Cache-Control header). */
async function send(query: string, variables?: Record<string, unknown>) {
  gateway.statements.length = 0;
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { body: (await response.json()) as GraphQLBody, statements: gateway.statements.length };
}

/** Sends the request twice: both times one BAD_USER_INPUT error naming `argument`, no SQL. */
async function expectRefusedTwice(
  argument: string,
  query: string,
  variables?: Record<string, unknown>,
) {
  const errors = [];
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const { body, statements } = await send(query, variables);
    expect(statements, `attempt ${attempt}`).toBe(0);
    expect(body.errors, JSON.stringify(body)).toHaveLength(1);
    const [error] = body.errors!;
    expect(error!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error!.message).toContain(argument);
    errors.push(error!);
  }
  expect(errors[1]).toEqual(errors[0]);
  return errors[0]!;
}

/** A cursor as the gateway writes them: base64url of the JSON text. */
const cursor = (json: string) => Buffer.from(json).toString('base64url');

describe('durations', () => {
  it.each([
    ['an absurd number of years', 'P300000Y', 'reportsSummary', '{ totalCount }'],
    ['an absurd number of days', 'P999999999D', 'executionMetrics', '{ executions }'],
    ['an unanchored duration', 'xxP90Dyy', 'recentExecutions', '{ totalCount }'],
    ['a negative duration', '-P1D', 'userActivity', '{ totalCount }'],
    ['a T without a time', 'P90DT', 'providerPerformance', '{ provider }'],
    ['seconds past any date', 'PT999999999999999999999S', 'executionTrends', '{ pattern }'],
  ])('%s (%s) names window.last', async (_name, last, view, selection) => {
    const error = await expectRefusedTwice(
      'window.last',
      `{ ${view}(window: { last: ${JSON.stringify(last)} }) ${selection} }`,
    );
    expect(error.extensions?.argument).toBe('window.last');
    expect(error.message.startsWith('window.last: ')).toBe(true);
  });

  it('a duration reaching before year 1000 names window.last', async () => {
    const error = await expectRefusedTwice(
      'window.last',
      '{ reportsSummary(window: { to: "1000-06-01T00:00:00Z", last: "P1Y" }) { totalCount } }',
    );
    expect(error.message).toMatch(/^window\.last: must lie from 1000-01-01/);
  });

  it('the same durations in variables', async () => {
    const query = 'query ($w: TimeWindow) { reportsSummary(window: $w) { totalCount } }';
    for (const last of ['P300000Y', 'xxP90Dyy']) {
      const error = await expectRefusedTwice('window.last', query, { w: { last } });
      expect(error.extensions?.argument).toBe('window.last');
    }
  });
});

describe('dates out of the DATETIME range (years 1000 to 9999)', () => {
  it.each([
    ['from', '{ from: "0999-12-31T00:00:00Z", to: "1000-01-01T00:00:00Z" }', 'window.from'],
    ['to', '{ to: "0999-12-31T00:00:00Z", last: "P1D" }', 'window.to'],
  ])('a literal %s names %s', async (_name, window, argument) => {
    const error = await expectRefusedTwice(
      argument,
      `{ reportsSummary(window: ${window}) { totalCount } }`,
    );
    expect(error.extensions?.argument).toBe(argument);
    expect(error.message).toMatch(/DateTime must lie from 1000-01-01T00:00:00\.000Z/);
  });

  it('a variable names its path', async () => {
    const error = await expectRefusedTwice(
      'w.from',
      'query ($w: TimeWindow) { executionMetrics(window: $w) { executions } }',
      { w: { from: '0999-12-31T00:00:00Z', to: '1000-01-01T00:00:00Z' } },
    );
    expect(error.message).toMatch(
      /^Variable "\$w" got invalid value "0999-12-31T00:00:00Z" at "w\.from"/,
    );
  });
});

describe('cursors', () => {
  const recent = (after: string) =>
    `{ recentExecutions(first: 1, after: ${JSON.stringify(after)}) { edges { node { id } } } }`;
  const real = cursor('{"v":"recentExecutions","t":1700000000000,"i":"1"}');

  it.each([
    ['a time past any date', '{"v":"recentExecutions","t":9000000000000000,"i":"1"}'],
    ['a time before year 1000', '{"v":"recentExecutions","t":-62167219200000,"i":"1"}'],
    [
      'an id past BIGINT UNSIGNED',
      '{"v":"recentExecutions","t":1700000000000,"i":"18446744073709551616"}',
    ],
    ['an id with leading zeros', '{"v":"recentExecutions","t":1700000000000,"i":"007"}'],
    ['an extra field', '{"v":"recentExecutions","t":1700000000000,"i":"1","x":1}'],
    ['other JSON spacing', '{"v": "recentExecutions", "t": 1700000000000, "i": "1"}'],
  ])('a keyset cursor with %s names after', async (_name, json) => {
    const error = await expectRefusedTwice('after', recent(cursor(json)));
    expect(error.extensions?.argument).toBe('after');
    expect(error.message).toMatch(/^after: .* is not a cursor returned by recentExecutions/);
  });

  it.each([
    ['garbage before it', `!!${real}`],
    ['garbage after it', `${real}.~`],
    ['a line break inside it', `${real.slice(0, 10)}\n${real.slice(10)}`],
  ])('a real cursor with %s names after', async (_name, after) => {
    await expectRefusedTwice('after', recent(after));
  });

  it.each([
    ['reportsSummary', '{"v":"reportsSummary","o":1,"x":2}'],
    ['userActivity', '{"v":"userActivity","o":1.0}'],
    ['reportsSummary', '{"v":"reportsSummary","o":1} '],
  ])('an offset cursor of %s written otherwise (%s) names after', async (view, json) => {
    const error = await expectRefusedTwice(
      'after',
      `{ ${view}(after: ${JSON.stringify(cursor(json))}) { totalCount } }`,
    );
    expect(error.message).toMatch(new RegExp(`^after: .* is not a cursor returned by ${view}`));
  });

  it('a cursor the gateway wrote pages; the same cursor garbled is refused', async () => {
    const query = `query ($after: String) {
      recentExecutions(first: 1, after: $after) { edges { cursor node { startedAt } } }
      reportsSummary(first: 1) { pageInfo { endCursor } }
    }`;
    type Edges = { edges: { cursor: string; node: { startedAt: string } }[] };
    const first = await send(query);
    expect(first.body.errors).toBeUndefined();
    const [newest] = (first.body.data?.recentExecutions as Edges).edges;
    const second = await send(query, { after: newest!.cursor });
    expect(second.body.errors).toBeUndefined();
    const [next] = (second.body.data?.recentExecutions as Edges).edges;
    expect(Date.parse(next!.node.startedAt)).toBeLessThan(Date.parse(newest!.node.startedAt));
    await expectRefusedTwice('after', recent(`${newest!.cursor}@`));

    const offset = (first.body.data?.reportsSummary as { pageInfo: { endCursor: string } }).pageInfo
      .endCursor;
    const summary = (after: string) =>
      `{ reportsSummary(first: 1, after: ${JSON.stringify(after)}) { totalCount } }`;
    expect((await send(summary(offset))).body.errors).toBeUndefined();
    await expectRefusedTwice('after', summary(` ${offset}`));
  });
});
