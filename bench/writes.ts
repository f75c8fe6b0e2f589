/**
 * insertExecutions of 100 000 rows in batches of 5 000 through the gateway, against
 * INSERT … SELECT of the same rows inside the server (the physical limit): both
 * write the same table with the same indexes, rollups and triggers.
 */
import { sql } from '@databases/mysql';
import { queryOne, type Database } from '../src/db/pool.js';

export interface WriteMeasure {
  rows: number;
  gatewayRowsPerSecond: number;
  insertSelectRowsPerSecond: number;
  ratio: number;
}

export async function measureWrites(
  db: Database,
  url: string,
  key: string,
  rows = 100_000,
  batchSize = 5_000,
): Promise<WriteMeasure> {
  const reports = await queryOne<{ lo: string; hi: string }>(
    db,
    sql`SELECT MIN(id) AS lo, MAX(id) AS hi FROM reports`,
  );
  const lo = Number(reports?.lo);
  const span = Number(reports?.hi) - lo + 1;
  const input = Array.from({ length: rows }, (_, i) => ({
    reportId: String(lo + (i % span)),
    status: 'SUCCESS',
    startedAt: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(),
    completedAt: new Date(Date.UTC(2020, 0, 1) + i * 1000 + 1500).toISOString(),
    durationMs: 1500,
    outputSizeBytes: '4096',
    rowCount: 10,
  }));
  const body = JSON.stringify({
    query:
      'mutation ($rows: [ExecutionInput!]!, $b: Int) { insertExecutions(rows: $rows, batchSize: $b) { affected } }',
    variables: { rows: input, b: batchSize },
  });
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
  });
  const result = (await response.json()) as { data?: { insertExecutions: { affected: number } } };
  const gatewaySeconds = (performance.now() - started) / 1000;
  if (result.data?.insertExecutions.affected !== rows)
    throw new Error(`insert failed: ${JSON.stringify(result).slice(0, 300)}`);

  const copyStarted = performance.now();
  await db.query(sql`
    INSERT INTO report_executions (report_id, executed_by, status, started_at, completed_at,
      duration_ms, output_size_bytes, row_count, error_message)
    SELECT report_id, executed_by, status, started_at + INTERVAL 1 YEAR, completed_at + INTERVAL 1 YEAR,
      duration_ms, output_size_bytes, row_count, error_message
    FROM report_executions WHERE started_at >= '2020-01-01' AND started_at < '2021-01-01'`);
  const copySeconds = (performance.now() - copyStarted) / 1000;
  await db.query(
    sql`DELETE FROM report_executions WHERE started_at >= '2020-01-01' AND started_at < '2022-01-01'`,
  );
  const gatewayRowsPerSecond = Math.round(rows / gatewaySeconds);
  const insertSelectRowsPerSecond = Math.round(rows / copySeconds);
  return {
    rows,
    gatewayRowsPerSecond,
    insertSelectRowsPerSecond,
    ratio: gatewayRowsPerSecond / insertSelectRowsPerSecond,
  };
}
