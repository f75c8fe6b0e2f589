/** `userActivity`: per-user activity over a window [90 days]. */
import { listClock } from '../views/pagination.js';
import { metric } from '../views/metrics.js';
import { at, selectionOf } from '../views/selection.js';
import { resolveWindow } from '../views/time-window.js';
import {
  USER_ACTIVITY_DEFAULT_WINDOW,
  USER_ACTIVITY_ORDER_FIELDS,
  USER_ACTIVITY_ROW,
  countUsers,
  fetchUserActivity,
  usersSortKind,
  userSegment,
  type UserActivityRow,
  type UserFilterInput,
} from '../views/user-activity.js';
import { cachedView } from '../cache/cached-view.js';
import { tablesRead } from '../views/projection.js';
import { builder } from './builder.js';
import { connectionType, orderInput, summaryConnection, summaryCursors } from './connection.js';
import { User } from './entities.js';
import { TimeWindow, UserFilter } from './inputs.js';
import { Node } from './node.js';
import { aggregateIdentity, identify, isIdKey, restrictedIds } from './aggregate-identity.js';

const VIEW = 'userActivity';

const UserSegment = builder.enumType('UserSegment', {
  description: 'Executions in the window: POWER ≥ 100, ACTIVE ≥ 10, OCCASIONAL ≥ 1, INACTIVE 0.',
  values: ['POWER', 'ACTIVE', 'OCCASIONAL', 'INACTIVE'] as const,
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

aggregateIdentity<UserActivityRow>('UserActivity', {
  view: VIEW,
  defaultWindow: USER_ACTIVITY_DEFAULT_WINDOW,
  shaping: ['filter'],
  key: (row) => String(row.user_id),
  validKey: isIdKey,
  refetch: (context, args, keys, selection) => {
    const filter = args.filter as UserFilterInput | null | undefined;
    const userIds = restrictedIds(filter?.userIds, keys);
    return fetchUserActivity(
      context.db,
      {
        window: args.window,
        filter: { ...filter, userIds },
        orderBy: { field: 'ID', direction: 'ASC' },
        page: { backward: false, limit: userIds.length },
      },
      selection,
    ).then((rows) => rows.map((found) => found.row));
  },
});

const UserActivityOrder = orderInput('UserActivityOrder', USER_ACTIVITY_ORDER_FIELDS, 'user id');

const UserActivityConnection = connectionType('UserActivity', UserActivity);

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
    resolve: async (_root, args, context, info) => {
      const orderBy = args.orderBy ?? { field: 'EXECUTIONS', direction: 'DESC' };
      const selection = selectionOf(info);
      const tables = tablesRead(
        ['users', 'reports', 'report_executions'],
        USER_ACTIVITY_ROW,
        at(selection, 'edges', 'node'),
      );
      // A later page covers the window its list's first page covered.
      const cursors = summaryCursors(VIEW, args, usersSortKind(orderBy.field));
      const windowAt = (clock: Date) =>
        resolveWindow(args.window, USER_ACTIVITY_DEFAULT_WINDOW, clock);
      windowAt(cursors.clock ?? context.now);
      const { value: connection, clock } = await cachedView(
        context,
        info,
        args,
        tables,
        (now) =>
          summaryConnection(
            VIEW,
            args,
            context.config.maxPageSize,
            cursors,
            listClock(args.window, now),
            (page) =>
              fetchUserActivity(
                context.db,
                { window: windowAt(now), filter: args.filter, orderBy, page },
                at(selection, 'edges', 'node'),
              ),
            () => countUsers(context.db, args.filter),
            selection.has('totalCount'),
          ),
        cursors.clock ?? undefined,
      );
      const rows = connection.edges.map((edge) => edge.node);
      identify(context, 'UserActivity', args, windowAt(clock), rows);
      return connection;
    },
  }),
);
