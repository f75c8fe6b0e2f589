import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway({ maxPageSize: 100 });
});
afterAll(() => gateway.drop());

async function firstError(query: string, variables?: Record<string, unknown>) {
  gateway.statements.length = 0;
  const result = await gateway.executeText(query, variables);
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  const [error] = result.errors!;
  return {
    code: error!.extensions?.code,
    message: error!.message,
    statements: gateway.statements.length,
  };
}

const SUMMARY = `query ($window: TimeWindow, $filter: ReportFilter, $first: Int, $after: String) {
  reportsSummary(window: $window, filter: $filter, first: $first, after: $after) { totalCount }
}`;

describe('bad input is BAD_USER_INPUT naming the argument, before any SQL', () => {
  it.each([
    [
      'a malformed DateTime literal',
      '{ reportsSummary(window: { from: "yesterday" }) { totalCount } }',
      /^window\.from: .*DateTime/,
    ],
    [
      'an unknown enum literal',
      '{ reportsSummary(filter: { providers: [AWZ] }) { totalCount } }',
      /^filter\.providers: .*AWZ.*Provider/,
    ],
    ['a wrong-typed literal', '{ recentExecutions(first: "ten") { totalCount } }', /^first: .*Int/],
    [
      'from after to',
      '{ reportsSummary(window: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { totalCount } }',
      /^window\.from: must be before window\.to/,
    ],
    [
      'first above the cap',
      '{ reportsSummary(first: 101) { totalCount } }',
      /^first: must be at most 100, got 101/,
    ],
    [
      'a negative first',
      '{ recentExecutions(first: -1) { totalCount } }',
      /^first: must be 0 or more/,
    ],
    [
      'a malformed cursor',
      '{ reportsSummary(after: "bm90LWEtY3Vyc29y") { totalCount } }',
      /^after: .* is not a cursor returned by reportsSummary/,
    ],
    [
      'a cursor of another view',
      '{ recentExecutions(after: "eyJ2IjoicmVwb3J0c1N1bW1hcnkiLCJvIjoxfQ") { totalCount } }',
      /^after: .* is not a cursor returned by recentExecutions/,
    ],
    [
      'an unparseable duration',
      '{ reportsSummary(window: { last: "90 days" }) { totalCount } }',
      /^window\.last: "90 days" is not an ISO-8601 duration/,
    ],
    [
      'a window over five years',
      '{ reportsSummary(window: { from: "2019-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { totalCount } }',
      /^window: spans more than 5 years/,
    ],
    ['a non-numeric id', '{ report(id: "abc") { id } }', /^id: "abc" is not a valid id/],
    [
      'a bad id in a filter list',
      '{ recentExecutions(filter: { reportIds: ["1", "x"] }) { totalCount } }',
      /^filter\.reportIds\[1\]: "x" is not a valid id/,
    ],
  ])('%s', async (_name, query, message) => {
    const error = await firstError(query);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(error.statements).toBe(0);
  });

  it.each([
    [
      'a malformed DateTime variable',
      { window: { from: 'not-a-date' } },
      /Variable "\$window" got invalid value "not-a-date" at "window\.from"/,
    ],
    [
      'an unknown enum variable',
      { filter: { categories: ['FINANCE'] } },
      /Variable "\$filter" got invalid value "FINANCE" at "filter\.categories\[0\]"/,
    ],
    [
      'a string for an Int variable',
      { first: 'ten' },
      /Variable "\$first" got invalid value "ten"/,
    ],
  ])('%s', async (_name, variables, message) => {
    const error = await firstError(SUMMARY, variables);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(error.statements).toBe(0);
  });

  it('keeps a valid request working next to the checks', async () => {
    const result = await gateway.executeText(SUMMARY, { first: 100, window: { last: 'PT1H' } });
    expect(result.errors).toBeUndefined();
  });
});
