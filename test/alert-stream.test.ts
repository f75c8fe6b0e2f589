/**
 * Live alerts: `subscription { alertRaised }` over Server-Sent Events, through real HTTP,
 * on three gateway instances as main.ts starts them, sharing one Redis and one database.
 * Instances one and two never poll in this test (ALERT_POLL_MS of ten minutes): what they
 * deliver after a write through another instance came by Redis. Instance three polls every
 * 200 ms, for writes made straight in SQL. Expected values are the rows the test writes.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/main.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { eventually } from './helpers/eventually.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/redis-server.js';

const ADMIN = 'admin-key-for-the-alert-stream';
const VIEWER = 'viewer-key-for-the-alert-stream';

let database: TestDatabase;
let redis: PrivateRedis;
let one: RunningGateway;
let two: RunningGateway;
let three: RunningGateway;
let reportId: string;

interface AlertEvent {
  change: 'RAISED' | 'CLEARED';
  key: string;
  alert: {
    type: string;
    severity: string;
    value: number;
    nodeId: string;
    report: { id: string; name: string };
    execution: { id: string; durationMs: number; report: { name: string } } | null;
  };
}

interface Stream {
  /** The next event's payload (data or errors). */
  next(): Promise<{
    data?: { alertRaised: AlertEvent };
    errors?: { extensions?: { code?: string } }[];
  }>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

const SUBSCRIPTION = `subscription ($types: [AlertType!], $minSeverity: Severity) {
  alertRaised(types: $types, minSeverity: $minSeverity) {
    change
    key
    alert { type severity value nodeId report { id name } execution { id durationMs report { name } } }
  }
}`;

/** Subscribes over SSE (GraphQL over SSE, distinct connections) and reads the events. */
async function subscribe(
  gateway: RunningGateway,
  variables: Record<string, unknown> = {},
  key: string | null = VIEWER,
): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query: SUBSCRIPTION, variables }),
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const queue: unknown[] = [];
  const waiting: ((value: unknown) => void)[] = [];
  let buffer = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!/^event: next$/m.test(block)) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as unknown;
          const waiter = waiting.shift();
          if (waiter) waiter(data);
          else queue.push(data);
        }
      }
    } catch {
      // closed by the test
    }
  })();
  return {
    next: () =>
      new Promise((resolve) => {
        if (queue.length > 0) resolve(queue.shift() as never);
        else waiting.push(resolve as (value: unknown) => void);
      }),
    ended,
    close: () => controller.abort(),
  };
}

async function subscriptions(gateway: RunningGateway): Promise<number> {
  const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^gateway_alert_subscriptions (\d+)$/m.exec(text)?.[1] ?? 0);
}

async function post(gateway: RunningGateway, query: string, variables?: unknown) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as {
    data?: Record<string, { ids: string[] }>;
    errors?: unknown;
  };
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

/** Inserts one execution of the report lasting `durationMs`, through `gateway`; its id. */
async function insertRun(gateway: RunningGateway, durationMs: number): Promise<string> {
  const data = await post(
    gateway,
    'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { ids } }',
    {
      rows: [
        {
          reportId,
          status: 'SUCCESS',
          startedAt: new Date(Date.now() - 3_600_000).toISOString(),
          completedAt: new Date(Date.now() - 3_600_000 + durationMs).toISOString(),
          durationMs,
        },
      ],
    },
  );
  return data.insertExecutions!.ids[0]!;
}

function start(pollMs: number) {
  return startGateway(
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      PORT: '0',
      CACHE_URL: redis.url,
      API_KEYS: `admin:${ADMIN},viewer:${VIEWER}`,
      ALERT_POLL_MS: String(pollMs),
      MAX_SUBSCRIPTIONS_PER_CLIENT: '2',
    }),
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await startPrivateRedis();
  [one, two, three] = [await start(600_000), await start(600_000), await start(200)];
  const data = await post(
    one,
    'mutation { upsertReports(rows: [{ name: "Watched", provider: GCP, category: COST }]) { ids } }',
  );
  reportId = data.upsertReports!.ids[0]!;
}, 60_000);

afterAll(async () => {
  for (const gateway of [one, two, three]) await gateway?.close();
  await redis?.stop();
  await database?.drop();
}, 60_000);

describe('subscription alertRaised', () => {
  it('delivers a write through any instance at once, once to each subscriber, and its clearing', async () => {
    const onOne = await subscribe(one);
    const onTwo = await subscribe(two);
    const criticalOnly = await subscribe(one, { minSeverity: 'CRITICAL' });
    await eventually(
      async () => (await subscriptions(one)) === 2 && (await subscriptions(two)) === 1,
    );
    try {
      // A run of 400 s (WARNING: over 300 s, under 3 × 300 s), written through instance one.
      const slow = await insertRun(one, 400_000);
      const raised: AlertEvent[] = [];
      for (const stream of [onOne, onTwo]) {
        raised.push((await stream.next()).data!.alertRaised);
        expect(raised.at(-1)).toEqual({
          change: 'RAISED',
          key: `LONG_RUNNING:${reportId}:${slow}`,
          alert: {
            type: 'LONG_RUNNING',
            severity: 'WARNING',
            value: 400_000,
            nodeId: expect.any(String) as string,
            report: { id: reportId, name: 'Watched' },
            execution: { id: slow, durationMs: 400_000, report: { name: 'Watched' } },
          },
        });
      }
      // A run of 1 000 s (CRITICAL) through instance two: the next event everywhere (no
      // repeat of the first), and the first the CRITICAL-only subscriber gets.
      const slower = await insertRun(two, 1_000_000);
      for (const stream of [onOne, onTwo, criticalOnly]) {
        const event = (await stream.next()).data!.alertRaised;
        expect([event.change, event.alert.severity, event.alert.execution?.id]).toEqual([
          'RAISED',
          'CRITICAL',
          slower,
        ]);
      }
      // Deleting the first run through instance two clears its alert.
      await post(two, 'mutation ($ids: [ID!]) { deleteExecutions(ids: $ids) { affected } }', {
        ids: [slow],
      });
      // The execution is gone (null); the key names the alert that was raised.
      for (const stream of [onOne, onTwo]) {
        const event = (await stream.next()).data!.alertRaised;
        expect([event.change, event.alert.execution, event.key]).toEqual([
          'CLEARED',
          null,
          raised[0]!.key,
        ]);
      }
    } finally {
      for (const stream of [onOne, onTwo, criticalOnly]) stream.close();
    }
    await eventually(
      async () => (await subscriptions(one)) === 0 && (await subscriptions(two)) === 0,
    );
  }, 60_000);

  it('sees a write made straight in SQL within ALERT_POLL_MS', async () => {
    const stream = await subscribe(three, { types: ['LONG_RUNNING'] });
    await eventually(async () => (await subscriptions(three)) === 1);
    try {
      const [row] = (await database.db.query(
        sql`INSERT INTO report_executions (report_id, status, started_at, duration_ms)
            VALUES (${reportId}, 'success', NOW(3) - INTERVAL 2 HOUR, 500000)
            RETURNING id`,
      )) as { id: string }[];
      const event = (await stream.next()).data!.alertRaised;
      expect([event.change, event.alert.execution?.id, event.alert.value]).toEqual([
        'RAISED',
        String(row!.id),
        500_000,
      ]);
    } finally {
      stream.close();
    }
  }, 30_000);

  it('needs a key when API_KEYS is set', async () => {
    const stream = await subscribe(one, {}, null);
    const first = await stream.next();
    expect(first.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await stream.ended;
    expect(await subscriptions(one)).toBe(0);
  });

  it('holds at most MAX_SUBSCRIPTIONS_PER_CLIENT streams per key and instance', async () => {
    const first = await subscribe(two);
    const second = await subscribe(two);
    await eventually(async () => (await subscriptions(two)) === 2, 10_000);
    const third = await subscribe(two);
    const refused = await third.next();
    expect(refused.errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    await third.ended;
    // Another key, and the same key on another instance, are not held back.
    const admin = await subscribe(two, {}, ADMIN);
    const elsewhere = await subscribe(one);
    await eventually(async () => (await subscriptions(two)) === 3, 10_000);
    await eventually(async () => (await subscriptions(one)) === 1, 10_000);
    // A closed stream frees its place.
    first.close();
    await eventually(async () => (await subscriptions(two)) === 2, 10_000);
    const again = await subscribe(two);
    await eventually(async () => (await subscriptions(two)) === 3, 10_000);
    for (const stream of [second, admin, elsewhere, again]) stream.close();
    await eventually(
      async () => (await subscriptions(two)) + (await subscriptions(one)) === 0,
      10_000,
    );
  }, 30_000);

  it('holds anonymous clients to MAX_SUBSCRIPTIONS_PER_CLIENT by their address', async () => {
    // No API_KEYS: every client here is anonymous, and all of them are this test's 127.0.0.1.
    const open = await startGateway(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        PORT: '0',
        ALERT_POLL_MS: '600000',
        MAX_SUBSCRIPTIONS_PER_CLIENT: '1',
      }),
    );
    try {
      const first = await subscribe(open, {}, null);
      await eventually(async () => (await subscriptions(open)) === 1, 10_000);
      const second = await subscribe(open, {}, null);
      expect((await second.next()).errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
      first.close();
    } finally {
      await open.close();
    }
  }, 30_000);

  it('ends its streams when the gateway shuts down', async () => {
    const stream = await subscribe(three);
    await eventually(async () => (await subscriptions(three)) === 1);
    const closing = three.close();
    await stream.ended;
    await closing;
  }, 30_000);
});
