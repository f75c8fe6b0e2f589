/**
 * Issue 15, point 1: the gateway on databases configured the way users configure
 * them. Each configuration is a private MariaDB server started with those settings
 * and a database made by a plain CREATE DATABASE (so it takes the server's
 * defaults); the gateway, started as production starts it, migrates it; data goes in
 * through the seeder and a batch mutation; every view's answer is compared with its
 * plain-SQL oracle (test/helpers/view-oracle.ts), and a maintenance run of
 * INTEGRITY must find nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startEmbeddedServer, type EmbeddedServer } from '../src/db/embedded-server.js';
import { openPool } from '../src/db/pool.js';
import { startGateway } from '../src/main.js';
import { seedDatabase } from '../src/seed/generate.js';
import { check, firstDifference, type Check } from './helpers/view-checks.js';
import * as oracle from './helpers/view-oracle.js';

const ADMIN = `admin-${'c'.repeat(24)}`;
const NOW = new Date('2026-06-15T10:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
// Windows with partial edge days, one holding whole months.
const MONTHS = {
  from: iso(NOW.getTime() - 95 * DAY + 3_600_000 * 7.5),
  to: iso(NOW.getTime() - 2 * DAY),
};
const DAYS = {
  from: iso(NOW.getTime() - 12 * DAY - 3_600_000 * 5),
  to: iso(NOW.getTime() - 3 * DAY + 60_000),
};

const CHECKS: Check[] = [
  check('reportsSummary', { window: MONTHS, first: 40 }, oracle.REPORTS_SUMMARY_SELECTION, (c) =>
    oracle.reportsSummary(c, { window: MONTHS, first: 40 }),
  ),
  check(
    'reportsSummary',
    { window: DAYS, first: 40, filter: { providers: ['AWS', 'GCP'] } },
    oracle.REPORTS_SUMMARY_SELECTION,
    (c) => oracle.reportsSummary(c, { window: DAYS, first: 40, providers: ['AWS', 'GCP'] }),
  ),
  ...(
    [
      [DAYS, 'DAY', []],
      [DAYS, 'HOUR', ['PROVIDER']],
      [MONTHS, 'WEEK', ['CATEGORY']],
      [MONTHS, 'MONTH', []],
    ] as const
  ).map(([window, granularity, groupBy]) =>
    check(
      'executionMetrics',
      { window, granularity, groupBy },
      oracle.executionMetricsSelection(groupBy),
      (c) => oracle.executionMetrics(c, { window, granularity, groupBy: [...groupBy] }),
    ),
  ),
  check(
    'providerPerformance',
    { window: MONTHS },
    `provider ${oracle.DIMENSION_PERFORMANCE_FIELDS}`,
    (c) => oracle.dimensionPerformance(c, 'provider', MONTHS),
  ),
  check(
    'categoryPerformance',
    { window: DAYS },
    `category ${oracle.DIMENSION_PERFORMANCE_FIELDS}`,
    (c) => oracle.dimensionPerformance(c, 'category', DAYS),
  ),
  check('userActivity', { window: MONTHS, first: 40 }, oracle.USER_ACTIVITY_SELECTION, (c) =>
    oracle.userActivity(c, MONTHS, 40),
  ),
  check(
    'executionTrends',
    { window: MONTHS, pattern: 'DAY_OF_WEEK' },
    oracle.EXECUTION_TRENDS_SELECTION,
    (c) => oracle.executionTrends(c, MONTHS, 'DAY_OF_WEEK'),
  ),
  check('recentExecutions', { window: DAYS, first: 40 }, oracle.RECENT_EXECUTIONS_SELECTION, (c) =>
    oracle.recentExecutions(c, DAYS, 40),
  ),
];

/** Server settings as users' servers have them; each runs on a fresh server. */
interface Configuration {
  name: string;
  args: string[];
  /** Run as root once the server is up, before the gateway starts. */
  setup?: (root: mysql.Connection) => Promise<void>;
  /** The gateway must refuse to start, with a message matching this. */
  refused?: RegExp;
}

const CONFIGURATIONS: Configuration[] = [
  {
    name: "MariaDB's defaults (utf8mb4_general_ci)",
    args: ['--character-set-server=utf8mb4', '--collation-server=utf8mb4_general_ci'],
  },
  {
    name: 'utf8mb4_bin',
    args: ['--character-set-server=utf8mb4', '--collation-server=utf8mb4_bin'],
  },
  {
    name: 'latin1',
    args: ['--character-set-server=latin1', '--collation-server=latin1_swedish_ci'],
  },
  {
    name: 'strict sql_mode with ONLY_FULL_GROUP_BY',
    args: [
      '--sql-mode=ONLY_FULL_GROUP_BY,STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO',
    ],
  },
  { name: 'time_zone +05:30', args: ['--default-time-zone=+05:30'] },
  {
    name: 'innodb_autoinc_lock_mode 2, event_scheduler off',
    args: ['--innodb-autoinc-lock-mode=2', '--event-scheduler=OFF'],
  },
  { name: 'innodb_autoinc_lock_mode 1', args: ['--innodb-autoinc-lock-mode=1'] },
  {
    name: 'time_zone Europe/Berlin (daylight saving; zone tables loaded)',
    args: [],
    async setup(root) {
      const zone = execFileSync('mariadb-tzinfo-to-sql', [
        '/usr/share/zoneinfo/Europe/Berlin',
        'Europe/Berlin',
      ]).toString();
      await root.query(`USE mysql; ${zone}`);
      await root.query("SET GLOBAL time_zone = 'Europe/Berlin'");
    },
  },
  {
    name: 'sql_mode with ANSI_QUOTES',
    args: ['--sql-mode=ONLY_FULL_GROUP_BY,STRICT_ALL_TABLES,NO_ZERO_DATE,ANSI_QUOTES'],
  },
  {
    // The driver escapes strings with backslashes: refused at start-up, naming the mode.
    name: 'sql_mode with NO_BACKSLASH_ESCAPES',
    args: ['--sql-mode=STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES'],
    refused: /sql_mode .*NO_BACKSLASH_ESCAPES.*remove NO_BACKSLASH_ESCAPES/,
  },
  { name: 'lower_case_table_names 1', args: ['--lower-case-table-names=1'] },
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startServer(args: readonly string[]): Promise<EmbeddedServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'analytics-compat-'));
  const server = await startEmbeddedServer({
    dataDir,
    searchPath: loadConfig(process.env).searchPath,
    bufferPoolMb: 64,
    fastWrites: true,
    serverArgs: args,
  });
  cleanups.push(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return server;
}

describe('the gateway on servers configured as users configure them', () => {
  for (const configuration of CONFIGURATIONS) {
    it(
      `${configuration.refused ? 'refuses clearly' : 'serves every view exactly'} on ${configuration.name}`,
      { timeout: 120_000 },
      async () => {
        const server = await startServer(configuration.args);
        if (configuration.setup) {
          const root = await mysql.createConnection({
            uri: server.serverUrl,
            multipleStatements: true,
          });
          try {
            await configuration.setup(root);
          } finally {
            await root.end();
          }
        }
        const config = loadConfig({
          NODE_ENV: 'test',
          DATABASE_URL: server.url,
          PORT: '0',
          API_KEYS: `admin:${ADMIN}`,
          ROLLUP_APPLIER_INTERVAL_MS: '50',
        });
        if (configuration.refused) {
          await expect(startGateway(config)).rejects.toThrow(configuration.refused);
          return;
        }
        const gateway = await startGateway(config);
        cleanups.push(() => gateway.close());
        const ask = async (query: string, variables?: unknown) => {
          const response = await fetch(gateway.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${ADMIN}`,
              'cache-control': 'no-cache',
            },
            body: JSON.stringify({ query, variables }),
          });
          return (await response.json()) as {
            data?: Record<string, unknown>;
            errors?: unknown[];
          };
        };

        const db = openPool(server.url);
        cleanups.push(() => db.dispose());
        await seedDatabase(db, { executions: 3_000, users: 30, reports: 40, now: NOW });
        const inserted = await ask(
          'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }',
          {
            rows: Array.from({ length: 60 }, (_, i) => ({
              reportId: String(1 + (i % 40)),
              executedBy: i % 4 === 0 ? null : String(1 + (i % 30)),
              status: i % 5 === 0 ? 'FAILED' : 'SUCCESS',
              startedAt: iso(NOW.getTime() - (i + 1) * 7_200_000 * 13),
              durationMs: 1_000 + i * 997,
              outputSizeBytes: String(i * 4_096),
            })),
          },
        );
        expect(inserted).toEqual({ data: { insertExecutions: { affected: 60 } } });

        const connection = await mysql.createConnection({
          uri: server.url,
          timezone: 'Z',
          supportBigNumbers: true,
          bigNumberStrings: true,
        });
        cleanups.push(() => connection.end());
        await connection.query("SET time_zone = '+00:00'");
        const problems: string[] = [];
        for (const c of CHECKS) {
          const answer = await ask(c.query, c.args);
          const what = `${c.view} ${JSON.stringify(c.args)}`;
          if (answer.errors) problems.push(`${what} failed: ${JSON.stringify(answer.errors)}`);
          else {
            const difference = firstDifference(await c.expected(connection), answer.data?.[c.view]);
            if (difference) problems.push(`${what} differs at ${difference}`);
          }
        }
        const maintenance = await ask(
          'mutation { runMaintenance(tasks: [INTEGRITY]) { ok tasks { problems } } }',
        );
        if (
          JSON.stringify(maintenance) !==
          '{"data":{"runMaintenance":{"ok":true,"tasks":[{"problems":[]}]}}}'
        )
          problems.push(`maintenance: ${JSON.stringify(maintenance)}`);
        expect(problems).toEqual([]);
      },
    );
  }
});
