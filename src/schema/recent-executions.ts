/** `recentExecutions`: executions in a window [30 days], newest first. */
import { argumentsTag, listClock, pageRequest, toPage } from '../views/pagination.js';
import {
  RECENT_EXECUTIONS_DEFAULT_WINDOW,
  countRecentExecutions,
  executionCursor,
  fetchRecentExecutions,
  parseExecutionCursor,
} from '../views/recent-executions.js';
import { at, selectionOf } from '../views/selection.js';
import { resolveWindow } from '../views/time-window.js';
import { cachedView } from '../cache/cached-view.js';
import { ENTITIES } from '../views/model.js';
import { tablesRead } from '../views/projection.js';
import { builder } from './builder.js';
import { connectionType } from './connection.js';
import { Execution } from './entities.js';
import { ExecutionFilter, TimeWindow } from './inputs.js';

const ExecutionConnection = connectionType('Execution', Execution);

builder.queryField('recentExecutions', (t) =>
  t.field({
    type: ExecutionConnection,
    description:
      'Executions started in the window (default the last 30 days), ordered startedAt DESC, id DESC; ' +
      'first/after pages forward, last/before backward (keyset).',
    args: {
      window: t.arg({ type: TimeWindow }),
      filter: t.arg({ type: ExecutionFilter }),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
    },
    resolve: async (_root, args, context, info) => {
      const { size, backward } = pageRequest(args, context.config.maxPageSize);
      const tag = argumentsTag(args);
      const after = args.after ? parseExecutionCursor(args.after, tag) : undefined;
      const before = args.before ? parseExecutionCursor(args.before, tag, 'before') : undefined;
      // A later page covers the window its list's first page covered.
      const clock = (after ?? before)?.clock ?? context.now;
      const window = resolveWindow(args.window, RECENT_EXECUTIONS_DEFAULT_WINDOW, clock);
      const cursorClock = listClock(args.window, clock);
      const selection = selectionOf(info);
      // A provider or category filter joins reports whatever the selection.
      const own =
        args.filter?.providers || args.filter?.categories
          ? ['report_executions', 'reports']
          : ['report_executions'];
      const tables = tablesRead(own, ENTITIES.Execution, at(selection, 'edges', 'node'));
      const answer = await cachedView(
        context,
        info,
        args,
        tables,
        async () => {
          const [rows, totalCount] = await Promise.all([
            fetchRecentExecutions(
              context.db,
              { window, filter: args.filter, after, before, backward, limit: size + 1 },
              at(selection, 'edges', 'node'),
            ),
            selection.has('totalCount')
              ? countRecentExecutions(context.db, { window, filter: args.filter })
              : null,
          ]);
          const page = toPage(rows, size);
          // Backwards the rows came nearest-the-end first, and one more means more before them.
          const nodes = backward ? page.nodes.reverse() : page.nodes;
          return {
            edges: nodes.map((node) => ({ node, cursor: executionCursor(node, tag, cursorClock) })),
            hasNextPage: backward ? before !== undefined : page.hasNextPage,
            hasPreviousPage: backward ? page.hasNextPage : after !== undefined,
            totalCount,
          };
        },
        clock,
      );
      return answer.value;
    },
  }),
);
