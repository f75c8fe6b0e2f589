/**
 * userActivity: every user matching the filter with the reports they own (all time)
 * and the executions they ran inside the window (by executed_by), with a segment.
 */
import { sql } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import {
  compileEntitySummary,
  fetchEntitySummary,
  type EntitySummary,
  type PositionedRow,
  type SortKey,
  type SummaryPage,
} from './entity-summary.js';
import { idsIn, valuesIn } from './filters.js';
import { metricFields, type MeasureRow } from './metrics.js';
import type { RowModel } from './model.js';
import { planProjection } from './projection.js';
import { AVG_DURATION_SORT, SUCCESS_RATE_SORT } from './reports-summary.js';
import type { UserRow } from './rows.js';
import type { Selection } from './selection.js';
import { aggregateExecutions } from './daily-parts.js';
import { readRows } from '../db/read.js';
import { chooseSource } from './source-chooser.js';
import { allOf, col, countWhere } from './sql-helpers.js';
import type { Window } from './time-window.js';

export const USER_ACTIVITY_DEFAULT_WINDOW = 'P90D';

export type UserActivityRow = MeasureRow & {
  user_id: string;
  reports_owned?: number | string;
  user?: UserRow;
};

export const USER_ACTIVITY_ROW: RowModel = {
  fields: {
    ...metricFields('executions', 'successRate', 'avgDurationMs'),
    reportsOwned: ['reports_owned'],
    lastActiveAt: ['last_executed_at'],
    segment: ['executions'],
    nodeId: ['user_id'],
  },
  relations: { user: { entity: 'User', fk: 'user_id', kind: 'one-to-one', join: 'INNER' } },
};

export const USER_ACTIVITY_ORDER_FIELDS = [
  'EXECUTIONS',
  'SUCCESS_RATE',
  'AVG_DURATION_MS',
  'LAST_ACTIVE_AT',
  'REPORTS_OWNED',
  'ID',
] as const;

export type UserActivityOrderField = (typeof USER_ACTIVITY_ORDER_FIELDS)[number];

export interface UserFilterInput {
  userIds?: readonly (string | number)[] | null;
  roles?: readonly string[] | null;
}

export interface UserActivityArgs {
  window: Window;
  filter?: UserFilterInput | null;
  orderBy: { field: UserActivityOrderField; direction: 'ASC' | 'DESC' };
  page: SummaryPage;
}

const SORTS: Record<UserActivityOrderField, SortKey> = {
  EXECUTIONS: { measures: ['executions'], expression: (a) => col(a, 'executions'), kind: 'number' },
  SUCCESS_RATE: SUCCESS_RATE_SORT,
  AVG_DURATION_MS: AVG_DURATION_SORT,
  LAST_ACTIVE_AT: {
    measures: ['last_executed_at'],
    expression: (a) => col(a, 'last_executed_at'),
    kind: 'datetime',
  },
  REPORTS_OWNED: { measures: [], expression: (a) => col(a, 'reports_owned'), kind: 'number' },
  ID: { measures: [], expression: (a) => col(a, 'user_id'), kind: 'number' },
};

/** What a cursor's sort value is under an order field. */
export const usersSortKind = (field: UserActivityOrderField) => SORTS[field].kind;

/** The segments by the fewest executions in the window they need, highest first. */
export const USER_SEGMENTS = [
  { segment: 'POWER', minExecutions: 100 },
  { segment: 'ACTIVE', minExecutions: 10 },
  { segment: 'OCCASIONAL', minExecutions: 1 },
  { segment: 'INACTIVE', minExecutions: 0 },
] as const;

export type UserSegment = (typeof USER_SEGMENTS)[number]['segment'];

/** The segment of a user with `executions` in the window: the first of USER_SEGMENTS it reaches. */
export function userSegment(executions: number): UserSegment {
  return USER_SEGMENTS.find((s) => executions >= s.minExecutions)?.segment ?? 'INACTIVE';
}

export interface SegmentCount {
  segment: UserSegment;
  /** The executions in the window a member has: at least this… */
  minExecutions: number;
  /** …and at most this (none for the top segment). */
  maxExecutions: number | null;
  users: number;
  executions: number;
}

/**
 * Every segment (zeros included) with the users the filter matches and their executions
 * in the window: one statement, whatever the number of users.
 */
export async function fetchUserSegments(
  db: Database,
  window: Window,
  filter: UserFilterInput | null | undefined,
): Promise<SegmentCount[]> {
  const measures = ['executions'] as const;
  const { source } = chooseSource({ measures, window, perKey: 'executed_by' });
  const executions = sql`COALESCE(a.executions, 0)`;
  const segmentOf = sql`CASE ${sql.join(
    USER_SEGMENTS.slice(0, -1).map(
      (s) => sql`WHEN ${executions} >= ${s.minExecutions} THEN ${s.segment}`,
    ),
    sql` `,
  )} ELSE ${userSegment(0)} END`;
  const rows = await readRows<{
    segment: UserSegment;
    users: number | string;
    executions: number | string;
  }>(
    db,
    sql`SELECT ${segmentOf} AS segment, COUNT(*) AS users, SUM(${executions}) AS executions
        FROM users u
        LEFT JOIN (${aggregateExecutions('executed_by', measures, window, source)}) a
          ON a.executed_by = u.id
        WHERE ${allOf(userConditions(filter))}
        GROUP BY segment`,
  );
  return USER_SEGMENTS.map(({ segment, minExecutions }, index) => {
    const row = rows.find((r) => r.segment === segment);
    return {
      segment,
      minExecutions,
      maxExecutions: index === 0 ? null : USER_SEGMENTS[index - 1]!.minExecutions - 1,
      users: Number(row?.users ?? 0),
      executions: Number(row?.executions ?? 0),
    };
  });
}

function userConditions(filter: UserFilterInput | null | undefined) {
  const conditions = [];
  if (filter?.userIds) conditions.push(idsIn(col('u', 'id'), 'filter.userIds', filter.userIds));
  if (filter?.roles) conditions.push(valuesIn(col('u', 'role'), 'filter.roles', filter.roles));
  return conditions;
}

/** Compiles one page of user activity for a selection of UserActivity fields. */
export function compileUserActivity(args: UserActivityArgs, node: Selection) {
  const plan = planProjection(USER_ACTIVITY_ROW, node);
  const owned = plan.rootColumns.has('reports_owned') || args.orderBy.field === 'REPORTS_OWNED';
  const summary: EntitySummary = {
    from: sql`users u`,
    key: sql`u.id`,
    keyName: 'user_id',
    executionsFk: 'executed_by',
    window: args.window,
    plan,
    columns: owned ? [sql`COALESCE(o.reports_owned, 0) AS reports_owned`] : [],
    joins: owned
      ? [
          sql`LEFT JOIN (SELECT owner_id, COUNT(*) AS reports_owned FROM reports
              WHERE owner_id IS NOT NULL GROUP BY owner_id) o ON o.owner_id = u.id`,
        ]
      : [],
    conditions: userConditions(args.filter),
    sort: SORTS[args.orderBy.field],
    direction: args.orderBy.direction,
    page: args.page,
  };
  return compileEntitySummary(summary);
}

/** Fetches one page of user activity. */
export async function fetchUserActivity(
  db: Database,
  args: UserActivityArgs,
  node: Selection,
): Promise<PositionedRow<UserActivityRow>[]> {
  return fetchEntitySummary(db, compileUserActivity(args, node), 'user_id', args.page);
}

/** Counts the users the filter matches (the connection's totalCount). */
export async function countUsers(db: Database, filter: UserFilterInput | null | undefined) {
  return countWhere(db, sql`users u`, userConditions(filter));
}
