/**
 * A gateway on a private server, asked as an admin, checked view by view against the
 * plain-SQL oracles: the compatibility and least-privilege suites share it.
 */
import mysql from 'mysql2/promise';
import { check, firstDifference, type Check } from './view-checks.js';
import * as oracle from './view-oracle.js';

export const ADMIN = `admin-${'c'.repeat(24)}`;
export const NOW = new Date('2026-06-15T10:00:00.000Z');
const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
// Windows with partial edge days, one holding whole months.
const MONTHS = {
  from: iso(NOW.getTime() - 95 * DAY + 3_600_000 * 7.5),
  to: iso(NOW.getTime() - 2 * DAY),
};
const DAYS = {
  from: iso(NOW.getTime() - 12 * DAY - 3_600_000 * 5),
  to: iso(NOW.getTime() - 3 * DAY + 60_000),
};

export const CHECKS: Check[] = [
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

export interface Answer {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** POSTs `query` to the gateway at `url` as ADMIN, past every cache. */
export function asker(url: string) {
  return async (query: string, variables?: unknown): Promise<Answer> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ADMIN}`,
        'cache-control': 'no-cache',
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
}

/** A connection for oracles: UTC, exact decimals. */
export function oracleConnection(url: string): Promise<mysql.Connection> {
  return mysql
    .createConnection({ uri: url, timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true })
    .then(async (connection) => {
      await connection.query("SET time_zone = '+00:00'");
      return connection;
    });
}

/** 60 executions over the checks' windows, as a batch mutation's rows. */
export const BATCH_ROWS = Array.from({ length: 60 }, (_, i) => ({
  reportId: String(1 + (i % 40)),
  executedBy: i % 4 === 0 ? null : String(1 + (i % 30)),
  status: i % 5 === 0 ? 'FAILED' : 'SUCCESS',
  // Quotes and backslashes as users write them: read alike under every sql_mode.
  errorMessage: i % 5 === 0 ? `O'Brien's job ${i}: C:\\new\\table\\' "x" \\\\ -- ;\n  ü 🎉` : null,
  startedAt: iso(NOW.getTime() - (i + 1) * 7_200_000 * 13),
  durationMs: 1_000 + i * 997,
  outputSizeBytes: String(i * 4_096),
}));

/** What differs between each check's answer and its oracle; empty when all agree. */
export async function viewProblems(
  ask: ReturnType<typeof asker>,
  connection: mysql.Connection,
  checks: readonly Check[] = CHECKS,
): Promise<string[]> {
  const problems: string[] = [];
  for (const c of checks) {
    const answer = await ask(c.query, c.args);
    const what = `${c.view} ${JSON.stringify(c.args)}`;
    if (answer.errors) problems.push(`${what} failed: ${JSON.stringify(answer.errors)}`);
    else {
      const difference = firstDifference(await c.expected(connection), answer.data?.[c.view]);
      if (difference) problems.push(`${what} differs at ${difference}`);
    }
  }
  return problems;
}
