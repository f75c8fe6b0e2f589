/**
 * runMaintenance: runs the asked tasks in a fixed order (cleanup before the
 * rollup refresh and the checks that should see its result) and reports each.
 */
import { badInput } from '../errors.js';
import type { Database } from '../db/pool.js';
import { refreshRollups } from '../rollups/refresh-rollups.js';
import { deleteOldExecutions } from './cleanup.js';
import { checkIntegrity } from './integrity.js';
import { runTableCommand, type TaskOutcome } from './table-commands.js';

export const MAINTENANCE_TASKS = [
  'CLEANUP',
  'REFRESH_ROLLUPS',
  'OPTIMIZE',
  'ANALYZE',
  'CHECK',
  'INTEGRITY',
] as const;
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number];

/** Tasks that change rows, so the cache of executions must be invalidated after them. */
export const WRITING_TASKS: ReadonlySet<MaintenanceTask> = new Set(['CLEANUP', 'REFRESH_ROLLUPS']);

export interface TaskReport extends TaskOutcome {
  task: MaintenanceTask;
  durationMs: number;
}

export interface MaintenanceOptions {
  tasks: readonly MaintenanceTask[];
  retentionDays?: number | null;
  now: Date;
  cleanupChunkRows: number;
}

/** Checks the arguments before any task runs. */
function validate(options: MaintenanceOptions) {
  if (options.tasks.length === 0) throw badInput('tasks', 'name at least one task');
  const days = options.retentionDays;
  if (options.tasks.includes('CLEANUP') && (days === null || days === undefined)) {
    throw badInput('retentionDays', 'CLEANUP needs retentionDays (keep executions this many days)');
  }
  if (
    days !== null &&
    days !== undefined &&
    (!Number.isInteger(days) || days < 1 || days > 36_500)
  ) {
    throw badInput('retentionDays', `must be a whole number of days from 1 to 36500, got ${days}`);
  }
}

async function runTask(db: Database, task: MaintenanceTask, options: MaintenanceOptions) {
  switch (task) {
    case 'CLEANUP':
      return deleteOldExecutions(db, options.retentionDays!, options.now, options.cleanupChunkRows);
    case 'REFRESH_ROLLUPS': {
      const result = await refreshRollups(db);
      return {
        rowsAffected: result.rows,
        problems: [],
        messages: [
          result.fromDay
            ? `rebuilt ${result.fromDay.toISOString().slice(0, 10)} – ${result.toDay!.toISOString().slice(0, 10)} in ${result.chunks} chunks`
            : 'no executions: nothing to rebuild',
        ],
      };
    }
    case 'INTEGRITY':
      return checkIntegrity(db);
    default:
      return runTableCommand(db, task);
  }
}

/** Runs the tasks (each once, in MAINTENANCE_TASKS order) and reports each. */
export async function runMaintenance(
  db: Database,
  options: MaintenanceOptions,
): Promise<TaskReport[]> {
  validate(options);
  const reports: TaskReport[] = [];
  for (const task of MAINTENANCE_TASKS.filter((t) => options.tasks.includes(t))) {
    const started = performance.now();
    const outcome = await runTask(db, task, options);
    reports.push({
      task,
      durationMs: Math.round(performance.now() - started),
      rowsAffected: outcome.rowsAffected,
      problems: outcome.problems,
      messages: outcome.messages,
    });
  }
  return reports;
}
