/** `runMaintenance` (role admin): table upkeep, integrity, old-data cleanup and rollup refresh. */
import {
  MAINTENANCE_TASKS,
  WRITING_TASKS,
  runMaintenance,
  type TaskReport,
} from '../maintenance/run-maintenance.js';
import { requireRole } from '../server/auth.js';
import { builder } from './builder.js';

const MaintenanceTask = builder.enumType('MaintenanceTask', {
  description:
    'ANALYZE / OPTIMIZE / CHECK TABLE; INTEGRITY (orphan rows, rollup drift); CLEANUP ' +
    '(executions older than retentionDays, in chunks); REFRESH_ROLLUPS (rebuild from raw rows).',
  values: ['ANALYZE', 'OPTIMIZE', 'CHECK', 'INTEGRITY', 'CLEANUP', 'REFRESH_ROLLUPS'] as const,
});

const MaintenanceTaskReport = builder.objectRef<TaskReport>('MaintenanceTaskReport').implement({
  description: 'What one task did.',
  fields: (t) => ({
    task: t.expose('task', { type: MaintenanceTask }),
    durationMs: t.exposeInt('durationMs'),
    rowsAffected: t.exposeInt('rowsAffected'),
    problems: t.exposeStringList('problems', {
      description: 'What needs attention; empty when the task found nothing wrong.',
    }),
    messages: t.exposeStringList('messages', { description: 'What the task did or checked.' }),
    ok: t.boolean({ resolve: (report) => report.problems.length === 0 }),
  }),
});

interface Report {
  startedAt: Date;
  durationMs: number;
  tasks: TaskReport[];
}

const MaintenanceReport = builder.objectRef<Report>('MaintenanceReport').implement({
  fields: (t) => ({
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    tasks: t.field({ type: [MaintenanceTaskReport], resolve: (report) => report.tasks }),
    ok: t.boolean({
      description: 'True when no task found a problem.',
      resolve: (report) => report.tasks.every((task) => task.problems.length === 0),
    }),
  }),
});

builder.mutationField('runMaintenance', (t) =>
  t.field({
    type: MaintenanceReport,
    description: `Runs the tasks (role admin), each once, in the order ${MAINTENANCE_TASKS.join(', ')}.`,
    args: {
      tasks: t.arg({ type: [MaintenanceTask], required: true }),
      retentionDays: t.arg.int({ description: 'CLEANUP keeps executions this many days.' }),
    },
    resolve: async (_root, args, context) => {
      requireRole(context.caller, 'admin');
      const startedAt = new Date();
      const run = () =>
        runMaintenance(context.primary, {
          tasks: args.tasks,
          retentionDays: args.retentionDays,
          now: context.now,
          cleanupChunkRows: context.config.cleanupChunkRows,
        });
      // The rollups are versioned with report_executions in the cache.
      const tasks = args.tasks.some((task) => WRITING_TASKS.has(task))
        ? await context.cache.write(['report_executions'], run)
        : await run();
      return { startedAt, durationMs: Date.now() - startedAt.getTime(), tasks };
    },
  }),
);
