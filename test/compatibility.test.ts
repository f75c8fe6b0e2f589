/**
 * Issue 15, point 1: the gateway on databases configured the way users configure
 * them. Each configuration is a private MariaDB server started with those settings
 * and a database made by a plain CREATE DATABASE (so it takes the server's
 * defaults); the gateway, started as production starts it, migrates it; data goes in
 * through the seeder and a batch mutation; every view's answer is compared with its
 * plain-SQL oracle (test/helpers/view-oracle.ts); a maintenance run must find
 * nothing; a verified backup, restored over live tables changed after it, must bring
 * back exactly the backed-up rows (plain SQL's fingerprint) and the same answers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openPool } from '../src/db/pool.js';
import { startGateway } from '../src/main.js';
import { seedDatabase } from '../src/seed/generate.js';
import {
  ADMIN,
  asker,
  BATCH_ROWS,
  NOW,
  oracleConnection,
  viewProblems,
} from './helpers/checked-gateway.js';
import { startPrivateServer } from './helpers/private-server.js';

/** Every maintenance task but CLEANUP, which deletes by the wall clock. */
const MAINTENANCE = 'ANALYZE, OPTIMIZE, CHECK, REFRESH_ROLLUPS, INTEGRITY';

/** Plain SQL's summary of the source tables: equal only when every row is. */
async function fingerprint(connection: mysql.Connection): Promise<string> {
  const [rows] = await connection.query(
    `SELECT (SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(id * 7 + duration_ms), 0), '/',
                   COALESCE(SUM(CRC32(CONCAT_WS(',', status, started_at, executed_by))), 0))
             FROM report_executions) AS executions,
            (SELECT CONCAT(COUNT(*), '/', SUM(CRC32(CONCAT_WS(',', id, name, provider, category))))
             FROM reports) AS reports,
            (SELECT CONCAT(COUNT(*), '/', SUM(CRC32(CONCAT_WS(',', id, email, display_name)))) FROM users) AS users`,
  );
  return JSON.stringify(rows);
}
/** Server settings as users' servers have them; each runs on a fresh server. */
interface Configuration {
  name: string;
  args: string[];
  /** Run as root once the server is up, before the gateway starts. */
  setup?: (root: mysql.Connection) => Promise<void>;
}

const CONFIGURATIONS: Configuration[] = [
  {
    name: "MariaDB's defaults (utf8mb4_general_ci)",
    args: ['--character-set-server=utf8mb4', '--collation-server=utf8mb4_general_ci'],
  },
  {
    name: 'utf8mb4_bin',
    args: ['--character-set-server=utf8mb4', '--collation-server=utf8mb4_bin'],
  },
  {
    name: 'latin1',
    args: ['--character-set-server=latin1', '--collation-server=latin1_swedish_ci'],
  },
  {
    name: 'strict sql_mode with ONLY_FULL_GROUP_BY',
    args: [
      '--sql-mode=ONLY_FULL_GROUP_BY,STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO',
    ],
  },
  { name: 'time_zone +05:30', args: ['--default-time-zone=+05:30'] },
  {
    name: 'innodb_autoinc_lock_mode 2, event_scheduler off',
    args: ['--innodb-autoinc-lock-mode=2', '--event-scheduler=OFF'],
  },
  { name: 'innodb_autoinc_lock_mode 1', args: ['--innodb-autoinc-lock-mode=1'] },
  {
    name: 'time_zone Europe/Berlin (daylight saving; zone tables loaded)',
    args: [],
    async setup(root) {
      const zone = execFileSync('mariadb-tzinfo-to-sql', [
        '/usr/share/zoneinfo/Europe/Berlin',
        'Europe/Berlin',
      ]).toString();
      await root.query(`USE mysql; ${zone}`);
      await root.query("SET GLOBAL time_zone = 'Europe/Berlin'");
    },
  },
  {
    name: 'sql_mode with ANSI_QUOTES',
    args: ['--sql-mode=ONLY_FULL_GROUP_BY,STRICT_ALL_TABLES,NO_ZERO_DATE,ANSI_QUOTES'],
  },
  {
    name: 'sql_mode with NO_BACKSLASH_ESCAPES',
    args: ['--sql-mode=STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES'],
  },
  { name: 'lower_case_table_names 1', args: ['--lower-case-table-names=1'] },
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the gateway on servers configured as users configure them', () => {
  for (const configuration of CONFIGURATIONS) {
    it(`serves every view exactly on ${configuration.name}`, { timeout: 120_000 }, async () => {
      const server = await startPrivateServer(configuration.args, cleanups);
      if (configuration.setup) {
        const root = await mysql.createConnection({
          uri: server.serverUrl,
          multipleStatements: true,
        });
        try {
          await configuration.setup(root);
        } finally {
          await root.end();
        }
      }
      const backupDir = mkdtempSync(path.join(os.tmpdir(), 'analytics-compat-backups-'));
      cleanups.push(() => Promise.resolve(rmSync(backupDir, { recursive: true, force: true })));
      const config = loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: server.url,
        PORT: '0',
        API_KEYS: `admin:${ADMIN}`,
        ROLLUP_APPLIER_INTERVAL_MS: '50',
        BACKUP_DIR: backupDir,
        BACKUP_SIGNING_KEY: 'k'.repeat(40),
      });
      const gateway = await startGateway(config);
      cleanups.push(() => gateway.close());
      const ask = asker(gateway.url);

      const db = openPool(server.url);
      cleanups.push(() => db.dispose());
      await seedDatabase(db, { executions: 3_000, users: 30, reports: 40, now: NOW });
      const inserted = await ask(
        'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }',
        { rows: BATCH_ROWS },
      );
      expect(inserted).toEqual({ data: { insertExecutions: { affected: 60 } } });

      const connection = await oracleConnection(server.url);
      cleanups.push(() => connection.end());
      const problems = await viewProblems(ask, connection);
      const maintenance = await ask(
        `mutation { runMaintenance(tasks: [${MAINTENANCE}]) { ok tasks { task problems } } }`,
      );
      if (maintenance.errors || !(maintenance.data?.runMaintenance as { ok: boolean }).ok)
        problems.push(`maintenance: ${JSON.stringify(maintenance)}`);

      // Backup → verify → restore over the live tables, judged by plain SQL.
      const before = await fingerprint(connection);
      const backup = await ask('mutation { createBackup { id verification { ok problems } } }');
      const made = backup.data?.createBackup as
        { id: string; verification: { ok: boolean } } | undefined;
      if (!made?.verification.ok) problems.push(`backup: ${JSON.stringify(backup)}`);
      else {
        await connection.query('DELETE FROM report_executions WHERE id % 3 = 0');
        await connection.query("UPDATE reports SET name = 'changed after the backup'");
        const restored = await ask('mutation ($id: ID!) { restoreBackup(id: $id) { swapped } }', {
          id: made.id,
        });
        if (JSON.stringify(restored) !== '{"data":{"restoreBackup":{"swapped":true}}}')
          problems.push(`restore: ${JSON.stringify(restored)}`);
        const after = await fingerprint(connection);
        if (after !== before) problems.push(`restored data: ${after}, backed up: ${before}`);
        problems.push(...(await viewProblems(ask, connection)).map((p) => `restored: ${p}`));
      }
      expect(problems).toEqual([]);
    });
  }
});
