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
import { col, countWhere } from './sql-helpers.js';
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

/** POWER ≥ 100 executions in the window, ACTIVE ≥ 10, OCCASIONAL ≥ 1, INACTIVE 0. */
export function userSegment(executions: number) {
  if (executions >= 100) return 'POWER' as const;
  if (executions >= 10) return 'ACTIVE' as const;
  if (executions >= 1) return 'OCCASIONAL' as const;
  return 'INACTIVE' as const;
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
