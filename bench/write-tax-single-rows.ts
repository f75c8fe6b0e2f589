/**
 * Shapes a, b and c of the write tax: one statement at a time on one connection,
 * the two databases alternating statement by statement.
 *  a. INSERT of a running execution (now, a random report and user);
 *  b. the UPDATE that completes it;
 *  c. an UPDATE of a row in a report-day cell of 5 000 rows against one of 10.
 */
import type { Connection } from 'mysql2/promise';
import { Random } from '../src/seed/random.js';
import {
  alternate,
  columnValues,
  connect,
  dateTime,
  INSERT_COLUMNS,
  insertThroughGateway,
  latency,
  rows,
  timed,
  write,
  type ExecutionInput,
  type Latency,
  type Pair,
  type ShapeContext,
} from './write-tax-sessions.js';

const DAY = 86_400_000;
const WARM_UP = 20;

async function onBoth<T>(ctx: ShapeContext, work: (conns: Pair<Connection>) => Promise<T>) {
  const conns = { upkeep: await connect(ctx.upkeep), plain: await connect(ctx.plain) };
  try {
    return await work(conns);
  } finally {
    await conns.upkeep.end();
    await conns.plain.end();
  }
}

export interface SingleRowTimes {
  insert: Pair<Latency>;
  complete: Pair<Latency>;
}

/** a and b: `repeats` running executions inserted, then completed, on each side. */
export function measureInsertAndComplete(
  ctx: ShapeContext,
  repeats: number,
): Promise<SingleRowTimes> {
  const random = new Random(14_001);
  const times = {
    insert: { upkeep: [] as number[], plain: [] as number[] },
    complete: { upkeep: [] as number[], plain: [] as number[] },
  };
  return onBoth(ctx, async (conns) => {
    for (let i = 0; i < WARM_UP + repeats; i += 1) {
      const reportId = random.int(...ctx.reports);
      const userId = random.int(...ctx.users);
      const started = Date.now();
      const durationMs = random.int(200, 30_000);
      const bytes = random.int(0, 50_000_000);
      const rowCount = random.int(0, 10_000);
      const ids: Partial<Pair<number>> = {};
      for (const [label, conn] of alternate(conns, i)) {
        const ms = await timed(async () => {
          ids[label] = (
            await write(
              conn,
              `INSERT INTO report_executions (report_id, executed_by, status, started_at)
               VALUES (?, ?, 'running', ?)`,
              [reportId, userId, dateTime(started)],
            )
          ).insertId;
        });
        if (i >= WARM_UP) times.insert[label].push(ms);
      }
      for (const [label, conn] of alternate(conns, i + 1)) {
        const ms = await timed(() =>
          write(
            conn,
            `UPDATE report_executions SET status = 'success', completed_at = ?, duration_ms = ?,
               output_size_bytes = ?, row_count = ?
             WHERE id = ?`,
            [dateTime(started + durationMs), durationMs, bytes, rowCount, ids[label]],
          ),
        );
        if (i >= WARM_UP) times.complete[label].push(ms);
      }
    }
    return {
      insert: { upkeep: latency(times.insert.upkeep), plain: latency(times.insert.plain) },
      complete: { upkeep: latency(times.complete.upkeep), plain: latency(times.complete.plain) },
    };
  });
}

/** `count` finished executions of one report by one user, spread over one UTC day. */
function cellRows(reportId: number, userId: number, day: number, count: number): ExecutionInput[] {
  return Array.from({ length: count }, (_, i) => {
    const started = day + Math.floor((i * DAY) / count);
    const durationMs = 1_000 + ((i * 37) % 5_000);
    return {
      reportId: String(reportId),
      executedBy: String(userId),
      status: i % 10 === 0 ? 'FAILED' : 'SUCCESS',
      startedAt: new Date(started).toISOString(),
      completedAt: new Date(started + durationMs).toISOString(),
      durationMs,
      outputSizeBytes: String(4_096 + i),
      rowCount: 10,
    };
  });
}

export interface CellTimes {
  /** Rows in the large and the small cell. */
  cells: { large: number; small: number };
  large: Pair<Latency>;
  small: Pair<Latency>;
}

/**
 * c: two cells on days of their own, far before the seeded year (so that their day,
 * month and hour cells hold nothing else): `large` rows of one report and user, and
 * `small` rows of another report, user and month. "upkeep" gets them through the
 * gateway, as an application's bulk load would; "plain" by a multi-row INSERT.
 * Then each update changes a random row's status and duration.
 */
export async function measureCellUpdates(
  ctx: ShapeContext,
  repeats: number,
  sizes = { large: 5_000, small: 10 },
): Promise<CellTimes> {
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  const [report, user] = [ctx.reports[0], ctx.users[0]];
  const cells = {
    large: {
      day: midnight - 500 * DAY,
      rows: cellRows(report, user, midnight - 500 * DAY, sizes.large),
    },
    small: {
      day: midnight - 540 * DAY,
      rows: cellRows(report + 1, user + 1, midnight - 540 * DAY, sizes.small),
    },
  };
  await insertThroughGateway(ctx.gateway, [...cells.large.rows, ...cells.small.rows], 5_000);

  const random = new Random(14_003);
  const times = {
    large: { upkeep: [] as number[], plain: [] as number[] },
    small: { upkeep: [] as number[], plain: [] as number[] },
  };
  return onBoth(ctx, async (conns) => {
    await write(conns.plain, `INSERT INTO report_executions (${INSERT_COLUMNS}) VALUES ?`, [
      [...cells.large.rows, ...cells.small.rows].map(columnValues),
    ]);
    const ids = async (conn: Connection, cell: keyof typeof cells) =>
      (
        await rows<{ id: number }>(
          conn,
          `SELECT id FROM report_executions
            WHERE report_id = ? AND started_at >= ? AND started_at < ?
            ORDER BY started_at, id`,
          [
            Number(cells[cell].rows[0]!.reportId),
            dateTime(cells[cell].day),
            dateTime(cells[cell].day + DAY),
          ],
        )
      ).map((r) => r.id);
    const cellIds = {
      large: { upkeep: await ids(conns.upkeep, 'large'), plain: await ids(conns.plain, 'large') },
      small: { upkeep: await ids(conns.upkeep, 'small'), plain: await ids(conns.plain, 'small') },
    };
    for (const cell of ['large', 'small'] as const) {
      for (const label of ['upkeep', 'plain'] as const) {
        if (cellIds[cell][label].length !== sizes[cell]) {
          throw new Error(
            `the ${cell} cell in ${ctx[label].database} holds ${cellIds[cell][label].length} rows, expected ${sizes[cell]}`,
          );
        }
      }
    }

    for (let i = 0; i < WARM_UP + repeats; i += 1) {
      const order = i % 2 === 0 ? (['large', 'small'] as const) : (['small', 'large'] as const);
      for (const cell of order) {
        const pick = random.int(0, sizes[cell] - 1);
        const status = random.next() < 0.2 ? 'failed' : 'success';
        const durationMs = random.int(500, 5_000);
        for (const [label, conn] of alternate(conns, i >> 1)) {
          const ms = await timed(() =>
            write(conn, 'UPDATE report_executions SET status = ?, duration_ms = ? WHERE id = ?', [
              status,
              durationMs,
              cellIds[cell][label][pick],
            ]),
          );
          if (i >= WARM_UP) times[cell][label].push(ms);
        }
      }
    }
    return {
      cells: sizes,
      large: { upkeep: latency(times.large.upkeep), plain: latency(times.large.plain) },
      small: { upkeep: latency(times.small.upkeep), plain: latency(times.small.plain) },
    };
  });
}
