/**
 * The GraphQL-over-HTTP conformance audits of the graphql-http package, run against
 * the assembled gateway (every plugin: read gate, response cache, limits, request
 * ids, …) through yoga's fetch, once with open reads and once with API_KEYS set and
 * a viewer key sent. Every audit, MUST, SHOULD and MAY alike, must pass.
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/server/yoga.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const VIEWER_KEY = 'viewer-key-for-the-audits-0123';

let gateway: TestGateway;
let keyed: ReturnType<typeof createGateway>;

beforeAll(async () => {
  gateway = await createTestGateway();
  const { apiKeys, readsNeedKey } = loadConfig({ API_KEYS: `viewer:${VIEWER_KEY}` });
  keyed = createGateway({
    db: gateway.db,
    databaseUrl: gateway.url,
    config: { ...gateway.config, apiKeys, readsNeedKey },
    cache: gateway.cache,
  });
});
afterAll(() => gateway.drop());

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

// The gateways exist only once beforeAll has run: the fetch functions find them late.
const setups: [string, Fetch][] = [
  ['open reads', async (url, init) => gateway.yoga.fetch(url, init ?? {})],
  [
    'API_KEYS set, a viewer key sent',
    async (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${VIEWER_KEY}`);
      return keyed.fetch(url, { ...init, headers });
    },
  ],
];

describe.each(setups)('graphql-http server audits, %s', (_setup, fetchFn) => {
  const audits = serverAudits({ url: 'http://gateway.test/graphql', fetchFn });

  it('are all here', () => {
    expect(audits.length).toBeGreaterThanOrEqual(61);
  });

  it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status, result.status === 'ok' ? '' : result.reason).toBe('ok');
  });
});
