/**
 * recentExecutions: executions in the window, newest first (started_at DESC, id DESC),
 * paged by keyset so page 100 costs what page 1 costs. The core reads only the
 * columns the selection needs; reports are joined for a provider/category filter
 * or for report fields other than the id; users only for executedBy fields.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { executionConditions, type ExecutionFilterInput } from './filters.js';
import { ENTITIES } from './model.js';
import { isStorableDate } from './datetime-range.js';
import { isId } from './ids.js';
import { cursorClock, decodeCursor, encodeCursor } from './pagination.js';
import { planProjection, runProjected, withProjection } from './projection.js';
import type { ExecutionRow } from './rows.js';
import type { Selection } from './selection.js';
import { allOf, col, countWhere } from './sql-helpers.js';
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
  before?: ExecutionPosition;
  limit: number;
  /** Rows from the end of the list (or from `before`) backwards, nearest first. */
  backward?: boolean;
}

/** The cursor of an execution row in this view, with the clock the list's window was resolved at. */
export function executionCursor(row: ExecutionRow, tag: string, clock: Date | null): string {
  return encodeCursor(VIEW, tag, {
    t: row.started_at.getTime(),
    i: row.id,
    c: clock && clock.getTime(),
  });
}

/**
 * Decodes an `after` cursor of this view, or throws BAD_USER_INPUT: the time must be
 * an instant a DATETIME holds and the id a database id, as in every cursor written.
 */
export function parseExecutionCursor(
  cursor: string,
  tag: string,
  argument: 'after' | 'before' = 'after',
): ExecutionPosition & { clock: Date | null } {
  return decodeCursor(
    VIEW,
    tag,
    cursor,
    ['t', 'i', 'c'],
    ({ t, i, c }) => {
      if (typeof t !== 'number' || !Number.isInteger(t) || typeof i !== 'string') return undefined;
      const startedAt = new Date(t);
      const clock = cursorClock(c);
      return isStorableDate(startedAt) && isId(i) && clock !== undefined
        ? { startedAt, id: i, clock }
        : undefined;
    },
    argument,
  );
}

function whereClause(args: Pick<RecentExecutionsArgs, 'window' | 'filter'>) {
  const { conditions, needsReports } = executionConditions('e', 'r', args.filter);
  conditions.unshift(sql`e.started_at >= ${args.window.from} AND e.started_at < ${args.window.to}`);
  const join = needsReports ? sql`JOIN reports r ON r.id = e.report_id` : sql``;
  return { join, conditions };
}

/** Compiles the page query for a selection of Execution fields. */
export function compileRecentExecutions(args: RecentExecutionsArgs, node: Selection) {
  const plan = planProjection(ENTITIES.Execution, node);
  // The cursor needs the sort keys whatever the selection.
  plan.rootColumns.add('started_at').add('id');
  const { join, conditions } = whereClause(args);
  for (const column of plan.requiredColumns) conditions.push(sql`${col('e', column)} IS NOT NULL`);
  // The id as a number: compared with a string, MySQL would compare as DOUBLE.
  if (args.after) {
    const { startedAt, id } = args.after;
    conditions.push(
      sql`(e.started_at < ${startedAt} OR (e.started_at = ${startedAt} AND e.id < CAST(${id} AS UNSIGNED)))`,
    );
  }
  if (args.before) {
    const { startedAt, id } = args.before;
    conditions.push(
      sql`(e.started_at > ${startedAt} OR (e.started_at = ${startedAt} AND e.id > CAST(${id} AS UNSIGNED)))`,
    );
  }
  const columns: SQLQuery[] = [...plan.rootColumns].map((c) => col('e', c));
  // Backwards, the rows nearest the end come first; the caller puts them in list order.
  const direction = args.backward ? sql`ASC` : sql`DESC`;
  const core = sql`
    SELECT ${sql.join(columns, ', ')} FROM report_executions e ${join}
    WHERE ${allOf(conditions)}
    ORDER BY e.started_at ${direction}, e.id ${direction}
    LIMIT ${args.limit}`;
  return {
    plan,
    query: withProjection(core, plan, sql`v.started_at ${direction}, v.id ${direction}`),
  };
}

/** Fetches `limit` executions after the given position, with the selected related objects. */
export async function fetchRecentExecutions(
  db: Database,
  args: RecentExecutionsArgs,
  node: Selection,
): Promise<ExecutionRow[]> {
  return runProjected<ExecutionRow>(db, compileRecentExecutions(args, node));
}

/** Counts the executions in the window that match the filter. */
export async function countRecentExecutions(
  db: Database,
  args: Pick<RecentExecutionsArgs, 'window' | 'filter'>,
) {
  const { join, conditions } = whereClause(args);
  return countWhere(db, sql`report_executions e ${join}`, conditions);
}
