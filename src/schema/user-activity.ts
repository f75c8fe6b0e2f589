/** `userActivity`: per-user activity over a window [90 days]. */
import { metric } from '../views/metrics.js';
import {
  USER_ACTIVITY_DEFAULT_WINDOW,
  USER_ACTIVITY_ORDER_FIELDS,
  USER_ACTIVITY_ROW,
  countUsers,
  fetchUserActivity,
  fetchUserSegments,
  USER_SEGMENTS,
  type SegmentCount,
  usersSortKind,
  userSegment,
  type UserActivityRow,
} from '../views/user-activity.js';
import { builder } from './builder.js';
import { connectionType, orderInput } from './connection.js';
import { entitySummaryView } from './entity-summary-view.js';
import { User } from './entities.js';
import { TimeWindow, UserFilter } from './inputs.js';
import { Node } from './node.js';

const VIEW = 'userActivity';
/** The connection's segments field, computed beside the page (entity-summary-view.ts). */
const SEGMENTS = { field: 'segments', compute: fetchUserSegments } as const;

const UserSegment = builder.enumType('UserSegment', {
  description: `A user by executions in the window, the first that holds: ${USER_SEGMENTS.map(
    (s) => `${s.segment} ≥ ${s.minExecutions}`,
  ).join(', ')}.`,
  values: USER_SEGMENTS.map((s) => s.segment),
});

const UserSegmentCount = builder.objectRef<SegmentCount>('UserSegmentCount').implement({
  description: 'One segment: the users in it and the executions they ran in the window.',
  fields: (t) => ({
    segment: t.field({ type: UserSegment, resolve: (row) => row.segment }),
    minExecutions: t.exposeInt('minExecutions', {
      description: 'The fewest executions in the window a user of this segment has.',
    }),
    maxExecutions: t.exposeInt('maxExecutions', {
      nullable: true,
      description: 'The most executions in the window a user of this segment has; null: no limit.',
    }),
    users: t.exposeInt('users'),
    executions: t.exposeInt('executions'),
  }),
});

const UserActivity = builder.objectRef<UserActivityRow>('UserActivity').implement({
  description: 'What one user owns (all time) and ran inside the window.',
  interfaces: [Node],
  fields: (t) => ({
    user: t.field({
      type: User,
      resolve: (row, _args, context) => row.user ?? context.loaders.user.load(row.user_id),
    }),
    reportsOwned: t.int({
      description: 'Reports this user owns, all time.',
      resolve: (row) => Number(row.reports_owned ?? 0),
    }),
    executions: t.int({ resolve: (row) => metric.count(row, 'executions') }),
    successRate: t.float({
      nullable: true,
      description: "successes ÷ completed among this user's executions.",
      resolve: (row) => metric.successRate(row),
    }),
    avgDurationMs: t.float({ nullable: true, resolve: (row) => metric.avgDurationMs(row) }),
    lastActiveAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: "The newest startedAt of this user's executions inside the window.",
      resolve: (row) => metric.lastExecutedAt(row),
    }),
    segment: t.field({
      type: UserSegment,
      resolve: (row) => userSegment(metric.count(row, 'executions')),
    }),
  }),
});

const resolve = entitySummaryView({
  view: VIEW,
  type: 'UserActivity',
  defaultWindow: USER_ACTIVITY_DEFAULT_WINDOW,
  tables: ['users', 'reports', 'report_executions'],
  rowModel: USER_ACTIVITY_ROW,
  idsField: 'userIds',
  key: (row: UserActivityRow) => String(row.user_id),
  sortKind: usersSortKind,
  fetch: fetchUserActivity,
  count: countUsers,
  summary: SEGMENTS,
});

const UserActivityOrder = orderInput('UserActivityOrder', USER_ACTIVITY_ORDER_FIELDS, 'user id');

const UserActivityConnection = connectionType<UserActivityRow, { summary?: SegmentCount[] }>(
  'UserActivity',
  UserActivity,
);

builder.objectField(UserActivityConnection, SEGMENTS.field, (t) =>
  t.field({
    type: [UserSegmentCount],
    description:
      'Every segment (zeros included) over all the users the filter matches, not only this ' +
      'page; computed anew for every page, like totalCount (not as of the first page).',
    resolve: (connection) => connection.summary ?? [],
  }),
);

builder.queryField('userActivity', (t) =>
  t.field({
    type: UserActivityConnection,
    description:
      'Every user matching the filter with their activity in the window (default the last 90 days); ' +
      'ordered by executions DESC, then id ASC unless orderBy says otherwise.',
    args: {
      window: t.arg({ type: TimeWindow }),
      filter: t.arg({ type: UserFilter }),
      orderBy: t.arg({ type: UserActivityOrder }),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
    },
    resolve: (_root, args, context, info) => resolve(args, context, info),
  }),
);
