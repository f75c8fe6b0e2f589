/**
 * CORS through the whole yoga pipeline: closed to other origins by default, open to
 * exactly the origins CORS_ORIGINS lists (parsed by loadConfig, as at start-up).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const FOREIGN = 'https://evil.example';
const LISTED = 'https://dashboard.example';
const QUERY = JSON.stringify({ query: '{ __typename }' });

let closed: TestGateway;
let open: TestGateway;

beforeAll(async () => {
  closed = await createTestGateway();
  open = await createTestGateway({
    corsOrigins: loadConfig({ CORS_ORIGINS: LISTED }).corsOrigins,
  });
});
afterAll(async () => {
  await closed.drop();
  await open.drop();
});

/** The browser's preflight before a keyed JSON POST from `origin`. */
function preflight(gateway: TestGateway, origin: string) {
  return gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });
}

/** A JSON POST of `{ __typename }`, from `origin` when given. */
function post(gateway: TestGateway, origin?: string) {
  return gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(origin === undefined ? {} : { origin }),
    },
    body: QUERY,
  });
}

/** The comma-separated tokens of a header, lower-cased. */
function tokens(response: Response, header: string): string[] {
  return (response.headers.get(header) ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

describe('without CORS_ORIGINS (same origin only)', () => {
  it('answers a foreign preflight without any Access-Control-Allow-* header', async () => {
    const response = await preflight(closed, FOREIGN);
    const granted = [...response.headers.keys()].filter((name) =>
      name.startsWith('access-control-'),
    );
    expect(granted).toEqual([]);
  });

  it('gives a foreign POST no Access-Control-Allow-Origin; same-origin and Origin-less requests answer as before', async () => {
    const foreign = await post(closed, FOREIGN);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();

    for (const origin of [undefined, 'http://gateway.test']) {
      const response = await post(closed, origin);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
  });
});

describe('with CORS_ORIGINS listing one origin', () => {
  it('allows a preflight from the listed origin: GET and POST, with Authorization and Content-Type, no credentials', async () => {
    const response = await preflight(open, LISTED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(tokens(response, 'access-control-allow-methods')).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(tokens(response, 'access-control-allow-headers')).toEqual(
      expect.arrayContaining(['authorization', 'content-type']),
    );
    // Keys travel in Authorization, not cookies: a credentialed request is never granted.
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(tokens(response, 'vary')).toContain('origin');
  });

  it("answers the listed origin's POST with its own origin, the request id exposed and Vary: Origin", async () => {
    const response = await post(open, LISTED);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(tokens(response, 'access-control-expose-headers')).toContain('x-request-id');
    expect(tokens(response, 'vary')).toContain('origin');
  });

  it('grants an unlisted origin nothing, and says the answer varies by Origin', async () => {
    for (const response of [await preflight(open, FOREIGN), await post(open, FOREIGN)]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
      expect(response.headers.get('access-control-allow-headers')).toBeNull();
      expect(tokens(response, 'vary')).toContain('origin');
    }
  });
});
