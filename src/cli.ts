/**
 * The command line: `serve`, `migrate [--down N]`, `seed --executions N [--reset]`,
 * `maintenance --tasks …`. Without DATABASE_URL each verb works on the embedded
 * server under .data/. Exit codes: 0 done, 1 failed, 2 bad usage, 3 problems found.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateDown, migrateUp } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { runUntilSignal } from './main.js';
import { clearData, isEmpty, seedDatabase } from './seed/generate.js';
import { cacheNamespace, ViewCache } from './cache/view-cache.js';
import {
  MAINTENANCE_TASKS,
  WRITING_TASKS,
  runMaintenance,
  type MaintenanceTask,
} from './maintenance/run-maintenance.js';

const HELP = `Usage: analytics-gateway <command> [options]

Commands:
  serve                          run the gateway (the default; same as npm start)
  migrate [--down N]             apply pending migrations, or roll back the last N
  seed --executions N [--reset]  generate demo data: 2 000 reports, 200 users and N
                                 executions over 365 days (--reset empties the tables first)
  maintenance --tasks T,… [--retention-days N]
                                 run maintenance tasks (${MAINTENANCE_TASKS.join(', ')});
                                 CLEANUP deletes executions older than N days

Environment: DATABASE_URL (unset: embedded server under .data/), PORT, CACHE_URL,
API_KEYS, NODE_ENV. Exit codes: 0 done, 1 failed, 2 bad usage, 3 maintenance found problems.
`;

class UsageError extends Error {}

function wholeNumber(name: string, raw: string | undefined, min: number): number {
  if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min) {
    throw new UsageError(`--${name} needs a whole number of at least ${min}`);
  }
  return Number(raw);
}

async function migrate(config: Config, down: string | undefined) {
  const database = await openDatabase(config);
  try {
    const done =
      down === undefined
        ? await migrateUp(database.db)
        : await migrateDown(database.db, wholeNumber('down', down, 1));
    const verb = down === undefined ? 'applied' : 'rolled back';
    console.log(
      done.length === 0
        ? 'Nothing to do: the database is up to date.'
        : `${verb}: ${done.join(', ')}`,
    );
  } finally {
    await database.close();
  }
}

async function seed(config: Config, executions: number, reset: boolean) {
  const database = await openDatabase(config);
  try {
    await migrateUp(database.db);
    if (reset) await clearData(database.db);
    else if (!(await isEmpty(database.db))) {
      throw new UsageError('the database already has data; pass --reset to replace it');
    }
    let lastPercent = -1;
    const result = await seedDatabase(database.db, {
      executions,
      onProgress: (written, total) => {
        const percent = Math.floor((written / total) * 100);
        if (percent !== lastPercent && percent % 10 === 0) {
          lastPercent = percent;
          process.stdout.write(
            `  ${written.toLocaleString('en')} / ${total.toLocaleString('en')} executions\n`,
          );
        }
      },
    });
    console.log(
      `Seeded ${result.users} users, ${result.reports} reports and ${result.executions} executions ` +
        `in ${result.seconds.toFixed(1)} s (${result.executionsPerSecond.toLocaleString('en')} executions/s).`,
    );
  } finally {
    await database.close();
  }
}

function taskList(raw: string | undefined): MaintenanceTask[] {
  const tasks = (raw ?? '')
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  const unknown = tasks.filter((t) => !(MAINTENANCE_TASKS as readonly string[]).includes(t));
  if (tasks.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--tasks needs a comma-separated list of ${MAINTENANCE_TASKS.join(', ')}` +
        (unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''),
    );
  }
  return tasks as MaintenanceTask[];
}

/** Runs maintenance, prints a line per task and per problem; true when nothing was wrong. */
async function maintenance(config: Config, tasks: MaintenanceTask[], retentionDays?: number) {
  const database = await openDatabase(config);
  const cache = ViewCache.create(config, cacheNamespace(database.url));
  try {
    await migrateUp(database.db);
    const reports = await runMaintenance(database.db, {
      tasks,
      retentionDays,
      now: new Date(),
      cleanupChunkRows: config.cleanupChunkRows,
    });
    for (const report of reports) {
      const status = report.problems.length === 0 ? 'ok' : `${report.problems.length} problem(s)`;
      console.log(
        `${report.task}: ${status}, ${report.rowsAffected} rows, ${report.durationMs} ms`,
      );
      for (const line of report.messages) console.log(`  ${line}`);
      for (const line of report.problems) console.log(`  PROBLEM ${line}`);
    }
    return reports.every((report) => report.problems.length === 0);
  } finally {
    // Gateways sharing a Redis cache must not serve what CLEANUP or a refresh changed.
    if (tasks.some((task) => WRITING_TASKS.has(task)))
      await cache.invalidate(['report_executions']);
    await cache.backend.close();
    await database.close();
  }
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      down: { type: 'string' },
      executions: { type: 'string' },
      reset: { type: 'boolean' },
      tasks: { type: 'string' },
      'retention-days': { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig(process.env);
  switch (command) {
    case 'serve':
      return runUntilSignal(config);
    case 'migrate':
      return migrate(config, values.down);
    case 'seed':
      return seed(config, wholeNumber('executions', values.executions, 0), values.reset ?? false);
    case 'maintenance': {
      const days = values['retention-days'];
      const clean = await maintenance(
        config,
        taskList(values.tasks),
        days === undefined ? undefined : wholeNumber('retention-days', days, 1),
      );
      if (!clean) process.exitCode = 3;
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    (error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT' ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (usage) process.stderr.write('Run with --help for usage.\n');
  process.exit(usage ? 2 : 1);
});
