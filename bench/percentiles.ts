/**
 * Duration percentiles side by side (issue 17): the 90-day reportsSummary page with
 * p95 and p99 through the gateway uncached, the same page without them, and the same
 * percentiles of every report computed from the raw rows in one statement (window
 * functions, as a database view would); the 365-day daily p95 series of
 * executionMetrics; and what the histograms add to the rollups, in MiB and as a
 * share of report_executions (data and indexes).
 */
import mysql from 'mysql2/promise';
import { timeRuns, type Timing } from './timing.js';

export interface PercentileMeasure {
  summaryWithPercentiles: Timing;
  summaryWithout: Timing;
  rawPercentiles: Timing;
  dailyP95Year: Timing;
  histogramTextMib: number;
  rollupMib: number;
  executionsMib: number;
}

interface Client {
  url: string;
  key: string;
}

async function post(client: Client, query: string) {
  const response = await fetch(client.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${client.key}`,
      'cache-control': 'no-cache',
    },
    body: JSON.stringify({ query }),
  });
  const result = (await response.json()) as { errors?: unknown };
  if (result.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(result.errors)}`);
}

const page = (fields: string) =>
  `{ reportsSummary(first: 50) { edges { node { report { id } executions ${fields} } } } }`;

// Every report's nearest-rank p95 and p99 over the last 90 days, then the 50 busiest.
const RAW = `
  SELECT report_id, COUNT(*) AS executions,
    MIN(IF(rn >= CEIL(0.95 * n), duration_ms, NULL)) AS p95,
    MIN(IF(rn >= CEIL(0.99 * n), duration_ms, NULL)) AS p99
  FROM (
    SELECT report_id, duration_ms,
      ROW_NUMBER() OVER (PARTITION BY report_id ORDER BY duration_ms) AS rn,
      COUNT(*) OVER (PARTITION BY report_id) AS n
    FROM report_executions
    WHERE started_at >= UTC_TIMESTAMP(3) - INTERVAL 90 DAY AND duration_ms IS NOT NULL
  ) ranked
  GROUP BY report_id ORDER BY executions DESC, report_id LIMIT 50`;

const ROLLUPS = [
  'report_daily_rollup',
  'user_daily_rollup',
  'report_monthly_rollup',
  'dimension_hourly_rollup',
  'day_rollup',
];

export async function measurePercentiles(
  client: Client,
  databaseUrl: string,
  repeats: number,
  slowRepeats: number,
): Promise<PercentileMeasure> {
  const direct = await mysql.createConnection({ uri: databaseUrl, timezone: 'Z' });
  try {
    const mib = async (query: string) => {
      const [rows] = await direct.query(query);
      return Math.round(Number((rows as { b: string }[])[0]!.b) / 1024 ** 2);
    };
    const text = await mib(
      `SELECT ${ROLLUPS.map((t) => `(SELECT COALESCE(SUM(LENGTH(duration_histogram)), 0) FROM ${t})`).join(' + ')} AS b`,
    );
    await direct.query(`ANALYZE TABLE report_executions, ${ROLLUPS.join(', ')}`);
    const size = (tables: string[]) =>
      mib(`SELECT SUM(data_length + index_length) AS b FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_name IN (${tables.map((t) => `'${t}'`).join(', ')})`);
    return {
      summaryWithPercentiles: await timeRuns(
        () => post(client, page('p95DurationMs p99DurationMs')),
        repeats,
      ),
      summaryWithout: await timeRuns(() => post(client, page('')), repeats),
      rawPercentiles: await timeRuns(() => direct.query(RAW), slowRepeats),
      dailyP95Year: await timeRuns(
        () => post(client, '{ executionMetrics(granularity: DAY) { bucketStart p95DurationMs } }'),
        repeats,
      ),
      histogramTextMib: text,
      rollupMib: await size(ROLLUPS),
      executionsMib: await size(['report_executions']),
    };
  } finally {
    await direct.end();
  }
}
