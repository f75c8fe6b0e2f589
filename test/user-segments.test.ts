/**
 * userActivity's segments: every segment over every user the filter matches (not the
 * page), equal to plain SQL, exact right after writes, whatever MAX_PAGE_SIZE is.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../src/seed/generate.js';
import { insertExecution } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';
import * as oracle from './helpers/view-oracle.js';

let gateway: TestGateway;
let connection: mysql.Connection;

beforeAll(async () => {
  // A page size far below the number of users: the segments still count them all.
  gateway = await createTestGateway({ maxPageSize: 5 });
  await seedDatabase(gateway.db, { executions: 4_000, users: 40, reports: 30 });
  connection = await mysql.createConnection({ uri: gateway.url, timezone: 'Z' });
  await connection.query("SET time_zone = '+00:00'");
}, 120_000);
afterAll(async () => {
  await connection.end();
  await gateway.drop();
});

const DAY = 86_400_000;
const to = new Date(Math.ceil(Date.now() / DAY) * DAY).toISOString();
const window = { from: new Date(Date.parse(to) - 60 * DAY).toISOString(), to };

const SEGMENTS = ['POWER', 'ACTIVE', 'OCCASIONAL', 'INACTIVE'];

/** Users and executions per segment from plain SQL, of the users `ids` (all when unset). */
async function expected(ids?: string[]) {
  const users = (await oracle.userActivity(connection, window, 100_000)).edges
    .map((edge) => edge.node)
    .filter((node) => !ids || ids.includes(node.user.id));
  return SEGMENTS.map((segment) => {
    const members = users.filter((node) => node.segment === segment);
    return {
      segment,
      users: members.length,
      executions: members.reduce((sum, node) => sum + node.executions, 0),
    };
  });
}

async function segments(filter?: { userIds: string[] }) {
  const result = await gateway.executeText(
    `query ($window: TimeWindow, $filter: UserFilter) {
      userActivity(window: $window, filter: $filter, first: 1) {
        totalCount segments { segment users executions }
      }
    }`,
    { window, filter },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.userActivity as { totalCount: number; segments: unknown[] };
}

describe('userActivity segments', () => {
  it('counts every user of the filter per segment, as plain SQL does', async () => {
    const all = await segments();
    expect(all.totalCount).toBe(40);
    expect(all.segments).toEqual(await expected());
    // Several segments are populated, so the comparison is not of zeros.
    const populated = (await expected()).filter((s) => s.users > 0);
    expect(populated.length).toBeGreaterThan(1);

    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT id FROM users ORDER BY id LIMIT 3',
    );
    const ids = rows.map((row) => String(row.id));
    expect((await segments({ userIds: ids })).segments).toEqual(await expected(ids));
  });

  it("names each segment's range of executions", async () => {
    const result = await gateway.executeText(
      '{ userActivity { segments { segment minExecutions maxExecutions } } }',
    );
    expect(result.data?.userActivity).toEqual({
      segments: [
        { segment: 'POWER', minExecutions: 100, maxExecutions: null },
        { segment: 'ACTIVE', minExecutions: 10, maxExecutions: 99 },
        { segment: 'OCCASIONAL', minExecutions: 1, maxExecutions: 9 },
        { segment: 'INACTIVE', minExecutions: 0, maxExecutions: 0 },
      ],
    });
  });

  it('keeps cached answers with and without segments apart', async () => {
    const ask = async (selection: string) => {
      const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `query ($window: TimeWindow) { userActivity(window: $window, first: 1) { ${selection} } }`,
          variables: { window },
        }),
      });
      const body = (await response.json()) as { data: { userActivity: Record<string, unknown> } };
      return body.data.userActivity;
    };
    expect(await ask('totalCount')).toEqual({ totalCount: 40 });
    expect((await ask('segments { segment users executions }')).segments).toEqual(await expected());
  });

  it('reads no page when only the count and the segments are asked', async () => {
    gateway.statements.length = 0;
    expect((await segments()).segments).toEqual(await expected());
    const reads = gateway.statements.filter((text) => /\busers u\b/.test(text));
    // The segments' statement and the count's; a page would add one with LIMIT.
    expect(reads).toHaveLength(2);
    expect(reads.filter((text) => /\bLIMIT\b/.test(text))).toEqual([]);
  });

  it('moves a user to POWER right after their executions are written', async () => {
    const before = await expected();
    const quietest = (await oracle.userActivity(connection, window, 100_000)).edges.at(-1)!.node;
    expect(quietest.segment).not.toBe('POWER');
    const [[report]] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT id FROM reports ORDER BY id LIMIT 1',
    );
    const startedAt = Date.now() - 3 * DAY;
    for (let i = 0; i < 100; i += 1) {
      await insertExecution(gateway.db, String(report!.id), new Date(startedAt + i * 60_000), {
        executed_by: quietest.user.id,
      });
    }
    const after = (await segments()).segments as typeof before;
    expect(after).toEqual(await expected());
    const users = (list: typeof before, segment: string) =>
      list.find((s) => s.segment === segment)!.users;
    expect(users(after, 'POWER')).toBe(users(before, 'POWER') + 1);
    expect(users(after, quietest.segment)).toBe(users(before, quietest.segment) - 1);
  });
});
