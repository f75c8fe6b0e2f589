/**
 * Shapes e and f of the write tax: bulk writes, each taken twice per side in the
 * order A B B A, so that a noisy moment on this shared machine falls on both sides.
 *  e. a server-side INSERT … SELECT of the oldest executions shifted back three (then
 *     four) years, on each side. It reads the other side's table, which holds the
 *     same seeded rows: a statement reading the table it writes spills to a temp table.
 *  f. insertExecutions through the gateway into "upkeep", against the server's own
 *     INSERT … SELECT of the very rows the gateway wrote, into "plain" (the limit).
 */
import type { Connection } from 'mysql2/promise';
import {
  connect,
  dateTime,
  INSERT_COLUMNS,
  insertThroughGateway,
  rows,
  timed,
  write,
  type ExecutionInput,
  type Pair,
  type ShapeContext,
} from './write-tax-sessions.js';

const DAY = 86_400_000;

/** Rows written per second over all runs, and in each run. */
export interface BulkRate {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  runs: number[];
}

function rate(count: number, runsMs: readonly number[]): BulkRate {
  const ms = runsMs.reduce((sum, run) => sum + run, 0);
  return {
    rows: count * runsMs.length,
    seconds: Math.round(ms) / 1000,
    rowsPerSecond: Math.round((count * runsMs.length) / (ms / 1000)),
    runs: runsMs.map((run) => Math.round(count / (run / 1000))),
  };
}

/** Times one statement that must write exactly `count` rows. */
async function timedCopy(
  conn: Connection,
  database: string,
  count: number,
  statement: string,
  values: unknown[],
): Promise<number> {
  let affected = 0;
  const ms = await timed(async () => {
    affected = (await write(conn, statement, values)).affectedRows;
  });
  if (affected !== count) {
    throw new Error(`INSERT … SELECT into ${database} wrote ${affected} of ${count} rows`);
  }
  return ms;
}

/** e: INSERT … SELECT of the first `count` executions, on each side, twice. */
export async function measureInsertSelect(
  ctx: ShapeContext,
  count: number,
): Promise<Pair<BulkRate>> {
  const conns = { upkeep: await connect(ctx.upkeep), plain: await connect(ctx.plain) };
  try {
    // The seeded ids are the same on both sides.
    const [last] = await rows<{ id: number }>(
      conns.plain,
      'SELECT id FROM report_executions ORDER BY id LIMIT 1 OFFSET ?',
      [count - 1],
    );
    if (!last) throw new Error(`${ctx.plain.database} holds fewer than ${count} executions`);
    const runs: Pair<number[]> = { upkeep: [], plain: [] };
    const order = ['plain', 'upkeep', 'upkeep', 'plain'] as const;
    for (const [i, label] of order.entries()) {
      const years = i < 2 ? 3 : 4;
      const source = ctx[label === 'plain' ? 'upkeep' : 'plain'].database;
      runs[label].push(
        await timedCopy(
          conns[label],
          ctx[label].database,
          count,
          `INSERT INTO report_executions (${INSERT_COLUMNS}, error_message)
           SELECT report_id, executed_by, status, started_at - INTERVAL ${years} YEAR,
             completed_at - INTERVAL ${years} YEAR, duration_ms, output_size_bytes, row_count,
             error_message
           FROM \`${source}\`.report_executions WHERE id <= ? ORDER BY id`,
          [last.id],
        ),
      );
    }
    return { upkeep: rate(count, runs.upkeep), plain: rate(count, runs.plain) };
  } finally {
    await conns.upkeep.end();
    await conns.plain.end();
  }
}

export interface GatewayInsertRate {
  batchSize: number;
  gateway: BulkRate;
  insertSelect: BulkRate;
}

/** `count` rows one second apart from `first`, over the reports and users in turn. */
function generatedRows(ctx: ShapeContext, first: number, count: number): ExecutionInput[] {
  const reportSpan = ctx.reports[1] - ctx.reports[0] + 1;
  const userSpan = ctx.users[1] - ctx.users[0] + 1;
  return Array.from({ length: count }, (_, i) => ({
    reportId: String(ctx.reports[0] + (i % reportSpan)),
    executedBy: String(ctx.users[0] + (i % userSpan)),
    status: i % 10 === 0 ? 'FAILED' : 'SUCCESS',
    startedAt: new Date(first + i * 1000).toISOString(),
    completedAt: new Date(first + i * 1000 + 1500).toISOString(),
    durationMs: 1500,
    outputSizeBytes: '4096',
    rowCount: 10,
  }));
}

/**
 * f: gateway, copy, copy, gateway. The rows of the first gateway run (six years
 * back) are the copies' source, the second copy and gateway run shifted two days on.
 */
export async function measureGatewayInserts(
  ctx: ShapeContext,
  count: number,
  batchSize: number,
): Promise<GatewayInsertRate> {
  const first = Math.floor(Date.now() / DAY) * DAY - 6 * 365 * DAY;
  const shiftDays = 2; // more than count seconds, so that the runs do not overlap
  if (count * 1000 >= shiftDays * DAY)
    throw new Error(`f writes fewer than ${shiftDays * 86_400} rows`);
  const gatewayMs: number[] = [];
  const copyMs: number[] = [];
  const conn = await connect(ctx.plain);
  const copy = (days: number) =>
    timedCopy(
      conn,
      ctx.plain.database,
      count,
      `INSERT INTO report_executions (${INSERT_COLUMNS}, error_message)
       SELECT report_id, executed_by, status, started_at + INTERVAL ${days} DAY,
         completed_at + INTERVAL ${days} DAY, duration_ms, output_size_bytes, row_count,
         error_message
       FROM \`${ctx.upkeep.database}\`.report_executions
       WHERE started_at >= ? AND started_at < ? ORDER BY id`,
      [dateTime(first), dateTime(first + count * 1000)],
    );
  try {
    const sent = generatedRows(ctx, first, count);
    gatewayMs.push(await timed(() => insertThroughGateway(ctx.gateway, sent, batchSize)));
    copyMs.push(await copy(0));
    copyMs.push(await copy(shiftDays));
    const later = generatedRows(ctx, first + shiftDays * DAY, count);
    gatewayMs.push(await timed(() => insertThroughGateway(ctx.gateway, later, batchSize)));
  } finally {
    await conn.end();
  }
  return { batchSize, gateway: rate(count, gatewayMs), insertSelect: rate(count, copyMs) };
}
