/**
 * recentExecutions: executions in the window, newest first (started_at DESC, id DESC),
 * paged by keyset so page 100 costs what page 1 costs. The reports table is joined
 * only when the filter asks for a provider or category.
 */
import { sql } from '@databases/mysql';
import { queryOne, queryRows, type Database } from '../db/pool.js';
import { executionConditions, type ExecutionFilterInput } from './filters.js';
import { decodeCursor, encodeCursor } from './pagination.js';
import { EXECUTION_COLUMNS, type ExecutionRow } from './rows.js';
import { allOf, col } from './sql-helpers.js';
import type { Window } from './time-window.js';

export const RECENT_EXECUTIONS_DEFAULT_WINDOW = 'P30D';
const VIEW = 'recentExecutions';

export interface ExecutionPosition {
  startedAt: Date;
  id: string;
}

export interface RecentExecutionsArgs {
  window: Window;
  filter?: ExecutionFilterInput | null;
  after?: ExecutionPosition;
  limit: number;
}

/** The cursor of an execution row in this view. */
export function executionCursor(row: ExecutionRow): string {
  return encodeCursor(VIEW, { t: row.started_at.getTime(), i: row.id });
}

/** Decodes an `after` cursor of this view, or throws BAD_USER_INPUT. */
export function parseExecutionCursor(cursor: string): ExecutionPosition {
  return decodeCursor(VIEW, cursor, (fields) => {
    const { t, i } = fields;
    if (
      typeof t !== 'number' ||
      !Number.isSafeInteger(t) ||
      typeof i !== 'string' ||
      !/^\d{1,20}$/.test(i)
    ) {
      return undefined;
    }
    return { startedAt: new Date(t), id: i };
  });
}

function whereClause(args: Pick<RecentExecutionsArgs, 'window' | 'filter'>) {
  const { conditions, needsReports } = executionConditions('e', 'r', args.filter);
  conditions.unshift(sql`e.started_at >= ${args.window.from} AND e.started_at < ${args.window.to}`);
  const join = needsReports ? sql`JOIN reports r ON r.id = e.report_id` : sql``;
  return { join, conditions };
}

/** Fetches `limit` executions after the given position. */
export async function fetchRecentExecutions(db: Database, args: RecentExecutionsArgs) {
  const { join, conditions } = whereClause(args);
  if (args.after) {
    const { startedAt, id } = args.after;
    conditions.push(
      sql`(e.started_at < ${startedAt} OR (e.started_at = ${startedAt} AND e.id < ${id}))`,
    );
  }
  const columns = sql.join(
    EXECUTION_COLUMNS.map((c) => col('e', c)),
    ', ',
  );
  return queryRows<ExecutionRow>(
    db,
    sql`
    SELECT ${columns} FROM report_executions e ${join}
    WHERE ${allOf(conditions)}
    ORDER BY e.started_at DESC, e.id DESC
    LIMIT ${args.limit}`,
  );
}

/** Counts the executions in the window that match the filter. */
export async function countRecentExecutions(
  db: Database,
  args: Pick<RecentExecutionsArgs, 'window' | 'filter'>,
) {
  const { join, conditions } = whereClause(args);
  const row = await queryOne<{ total: string }>(
    db,
    sql`SELECT COUNT(*) AS total FROM report_executions e ${join} WHERE ${allOf(conditions)}`,
  );
  return Number(row?.total ?? 0);
}
