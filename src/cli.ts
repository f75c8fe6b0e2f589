/**
 * The command line: `serve`, `migrate [--down N]`, `seed --executions N [--reset]`,
 * `maintenance --tasks …`, `backup`, `verify ID`, `restore ID`, `backups`. Without
 * DATABASE_URL each verb works on the embedded server under .data/.
 * Exit codes: 0 done, 1 failed, 2 bad usage, 3 problems found.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateDown, migrateUp } from './db/migrate.js';
import { openDatabase, type OpenDatabase } from './db/open-database.js';
import { privilegeErrorOf } from './db/privileges.js';
import { runUntilSignal } from './main.js';
import { listBackups, pruneBackups } from './backup/backup-files.js';
import { createBackup } from './backup/create-backup.js';
import { BackupError } from './backup/backup-error.js';
import { RESTORED_TABLES, restoreBackup } from './backup/restore-backup.js';
import { backupStore, type BackupStore } from './backup/signing-key.js';
import { verifyBackup, type BackupVerification } from './backup/verify-backup.js';
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
  backup [--no-compress] [--no-verify] [--keep-last N] [--max-age-days N]
                                 snapshot the database into BACKUP_DIR (gzip, manifest,
                                 verified by a scratch restore), then prune old backups
  verify ID                      check a backup's SHA-256 and restore it into a scratch
                                 database to compare row counts and checksums
  restore ID [--target-database NAME]
                                 restore into a new database NAME, or (without it) verify
                                 a full restore first, then swap it in for the live tables
  backups                        list the backups, newest first

Environment: DATABASE_URL (unset: embedded server under .data/), PORT, CACHE_URL,
API_KEYS, NODE_ENV, BACKUP_DIR (default .data/backups), BACKUP_SIGNING_KEY (signs
backup manifests; required with DATABASE_URL, generated under .data/ without it).
Exit codes: 0 done, 1 failed, 2 bad usage, 3 problems found (maintenance found
problems, a backup failed verification or cannot be restored).
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

/** Runs `work` on the configured database, migrated first, and closes it after. */
async function withDatabase<T>(
  config: Config,
  work: (database: OpenDatabase) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(config);
  try {
    await migrateUp(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

/**
 * Runs a command's write announced to the gateways sharing a Redis cache (ViewCache.write),
 * so none serves what it changed from before it; without `tables`, just runs it.
 */
async function writeShared<T>(
  config: Config,
  url: string,
  tables: readonly string[] | undefined,
  write: () => Promise<T>,
): Promise<T> {
  if (!tables) return write();
  const cache = ViewCache.create(config, cacheNamespace(url));
  try {
    return await cache.write(tables, write);
  } finally {
    await cache.backend.close();
  }
}

async function seed(config: Config, executions: number, reset: boolean) {
  return withDatabase(config, async (database) => {
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
  });
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
  return withDatabase(config, async (database) => {
    const writes = tasks.some((task) => WRITING_TASKS.has(task));
    const reports = await writeShared(
      config,
      database.url,
      writes ? ['report_executions'] : undefined,
      () =>
        runMaintenance(database.db, {
          tasks,
          retentionDays,
          now: new Date(),
          cleanupChunkRows: config.cleanupChunkRows,
        }),
    );
    for (const report of reports) {
      const status = report.problems.length === 0 ? 'ok' : `${report.problems.length} problem(s)`;
      console.log(
        `${report.task}: ${status}, ${report.rowsAffected} rows, ${report.durationMs} ms`,
      );
      for (const line of report.messages) console.log(`  ${line}`);
      for (const line of report.problems) console.log(`  PROBLEM ${line}`);
    }
    return reports.every((report) => report.problems.length === 0);
  });
}

const printProgress = (line: string) => console.log(`  ${line}`);

function printVerification(verification: BackupVerification): boolean {
  for (const table of verification.tables) {
    console.log(
      `  ${table.name}: ${table.rows} rows${table.checksumMatches ? '' : ', checksum differs'}`,
    );
  }
  for (const problem of verification.problems) console.log(`  PROBLEM ${problem}`);
  console.log(
    `verify ${verification.id}: ${verification.ok ? 'ok' : 'FAILED'} (${verification.durationMs} ms)`,
  );
  return verification.ok;
}

interface BackupFlags {
  compress: boolean;
  verify: boolean;
  keepLast?: number;
  maxAgeDays?: number;
}

async function backup(config: Config, store: BackupStore, flags: BackupFlags): Promise<boolean> {
  return withDatabase(config, async ({ url }) => {
    console.log(`backing up into ${store.dir}`);
    const manifest = await createBackup({
      url,
      dir: store.dir,
      compress: flags.compress,
      now: new Date(),
      signingKey: store.key,
      onProgress: (table) => console.log(`  ${table.name}: ${table.rows} rows`),
    });
    console.log(
      `backup ${manifest.id}: ${manifest.file}, ${manifest.bytes.toLocaleString('en')} bytes, ` +
        `${manifest.durationMs} ms`,
    );
    const ok =
      !flags.verify ||
      printVerification(await verifyBackup(url, store, manifest.id, printProgress));
    // A backup that failed verification must not push good ones out.
    if (ok && (flags.keepLast !== undefined || flags.maxAgeDays !== undefined)) {
      const pruned = await pruneBackups(config.backupDir, { ...flags, now: new Date() });
      console.log(`pruned ${pruned.length} old backup(s)${pruned.map((b) => ` ${b.id}`).join('')}`);
    }
    return ok;
  });
}

async function restore(config: Config, store: BackupStore, id: string, target?: string) {
  return withDatabase(config, async ({ url }) => {
    console.log(`restoring ${id}${target ? ` into the new database ${target}` : ''}…`);
    // Without a target the live tables are replaced.
    const result = await writeShared(config, url, target ? undefined : RESTORED_TABLES, () =>
      restoreBackup(url, store, id, target, printProgress),
    );
    for (const table of result.tables) console.log(`  ${table.name}: ${table.rows} rows`);
    console.log(
      `restored ${id} into ${result.database}${result.swapped ? ' (live tables replaced)' : ''} ` +
        `in ${result.durationMs} ms`,
    );
  });
}

function backupId(positionals: string[], command: string): string {
  const id = positionals[1];
  if (!id) throw new UsageError(`${command} needs a backup id (see \`backups\`)`);
  return id;
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
      'no-compress': { type: 'boolean' },
      'no-verify': { type: 'boolean' },
      'keep-last': { type: 'string' },
      'max-age-days': { type: 'string' },
      'target-database': { type: 'string' },
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
    case 'backup': {
      const optional = (name: 'keep-last' | 'max-age-days', min: number) =>
        values[name] === undefined ? undefined : wholeNumber(name, values[name], min);
      const ok = await backup(config, backupStore(config), {
        compress: !values['no-compress'],
        verify: !values['no-verify'],
        keepLast: optional('keep-last', 1),
        maxAgeDays: optional('max-age-days', 0),
      });
      if (!ok) process.exitCode = 3;
      return;
    }
    case 'verify': {
      const id = backupId(positionals, command);
      const store = backupStore(config);
      const ok = await withDatabase(config, async ({ url }) =>
        printVerification(await verifyBackup(url, store, id, printProgress)),
      );
      if (!ok) process.exitCode = 3;
      return;
    }
    case 'restore': {
      const id = backupId(positionals, command);
      return restore(config, backupStore(config), id, values['target-database']);
    }
    case 'backups':
      for (const b of await listBackups(config.backupDir)) {
        const rows = b.tables.find((t) => t.name === 'report_executions')?.rows ?? 0;
        console.log(
          `${b.id}  ${b.createdAt}  ${b.bytes.toLocaleString('en')} bytes  ${rows} executions`,
        );
      }
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof BackupError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(3);
  }
  const missing = privilegeErrorOf(error);
  if (missing && missing !== error) {
    // The server's own words name the account; ours name the privilege first.
    process.stderr.write(`${missing.message} (${(error as Error).message})\n`);
    process.exit(1);
  }
  const usage =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    (error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT' ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (usage) process.stderr.write('Run with --help for usage.\n');
  process.exit(usage ? 2 : 1);
});
