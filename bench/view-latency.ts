/**
 * Each view four ways, on the same server and data: through the gateway uncached
 * (Cache-Control: no-cache) and cached, the gateway's own SQL run directly through
 * mysql2 (the statements `explain` reports), and the plain mv_* view; plus the
 * dashboard request (all eight views) uncached and cached.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { VIEW_CATALOG } from '../src/views/catalog.js';
import { timeRuns, type Timing } from './timing.js';

export interface ViewTimings {
  request: string;
  gatewayUncached: Timing;
  gatewayCached: Timing;
  directSql?: Timing;
  sqlView?: Timing;
}

export const DASHBOARD = readFileSync(
  path.resolve(import.meta.dirname, '../test/operations/dashboard.graphql'),
  'utf8',
);

interface Client {
  url: string;
  key: string;
}

async function post(client: Client, query: string, cached: boolean): Promise<unknown> {
  const response = await fetch(client.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${client.key}`,
      ...(cached ? {} : { 'cache-control': 'no-cache' }),
    },
    body: JSON.stringify({ query }),
  });
  const result = (await response.json()) as { data?: unknown; errors?: unknown };
  if (result.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The statements the gateway runs for a view, as `explain` reports them. */
async function gatewayStatements(client: Client, view: string) {
  const data = (await post(
    client,
    `{ explain(view: "${view}") { statements { sql parameters } } }`,
    false,
  )) as { explain: { statements: { sql: string; parameters: unknown[] }[] } };
  // Dates travel as ISO strings in JSON; the driver wants them back as dates.
  return data.explain.statements.map((s) => ({
    sql: s.sql,
    values: s.parameters.map((v) => (typeof v === 'string' && ISO.test(v) ? new Date(v) : v)),
  }));
}

/** Times every catalog view and the dashboard; `slowRepeats` bound the runs of mv_* views. */
export async function measureViews(
  client: Client,
  databaseUrl: string,
  repeats: number,
  slowRepeats: number,
): Promise<ViewTimings[]> {
  const direct = await mysql.createConnection({ uri: databaseUrl, timezone: 'Z' });
  await direct.query("SET time_zone = '+00:00'");
  const results: ViewTimings[] = [];
  try {
    for (const entry of VIEW_CATALOG) {
      const query = `{ ${entry.name} ${entry.defaultSelection} }`;
      const statements = await gatewayStatements(client, entry.name);
      results.push({
        request: entry.name,
        gatewayUncached: await timeRuns(() => post(client, query, false), repeats),
        gatewayCached: await timeRuns(() => post(client, query, true), repeats),
        directSql: await timeRuns(async () => {
          for (const s of statements) await direct.query(s.sql, s.values);
        }, repeats),
        sqlView: await timeRuns(
          () => direct.query(`SELECT * FROM \`${entry.sqlView}\``),
          slowRepeats,
          slowRepeats > 3,
        ),
      });
    }
    results.push({
      request: 'dashboard (8 views)',
      gatewayUncached: await timeRuns(() => post(client, DASHBOARD, false), repeats),
      gatewayCached: await timeRuns(() => post(client, DASHBOARD, true), repeats),
    });
  } finally {
    await direct.end();
  }
  return results;
}
