/**
 * The command line: `serve`, `migrate [--down N]`, `seed --executions N [--reset]`.
 * Without DATABASE_URL each verb works on the embedded server under .data/.
 * Exit codes: 0 done, 1 failed, 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateDown, migrateUp } from './db/migrate.js';
import { openDatabase } from './db/open-database.js';
import { runUntilSignal } from './main.js';
import { clearData, isEmpty, seedDatabase } from './seed/generate.js';

const HELP = `Usage: analytics-gateway <command> [options]

Commands:
  serve                          run the gateway (the default; same as npm start)
  migrate [--down N]             apply pending migrations, or roll back the last N
  seed --executions N [--reset]  generate demo data: 2 000 reports, 200 users and N
                                 executions over 365 days (--reset empties the tables first)

Environment: DATABASE_URL (unset: embedded server under .data/), PORT, CACHE_URL,
API_KEYS, NODE_ENV. Exit codes: 0 done, 1 failed, 2 bad usage.
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

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      down: { type: 'string' },
      executions: { type: 'string' },
      reset: { type: 'boolean' },
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
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (usage) process.stderr.write('Run with --help for usage.\n');
  process.exit(usage ? 2 : 1);
});
