/**
 * Issue 15, point 2: least privilege. On a private server, `npm run migrate` runs with
 * an account that has DDL rights on the one database, and the gateway serves with an
 * account that has only SELECT, INSERT, UPDATE and DELETE there (plus, for backups,
 * every right on the scratch databases `shop_…`). An account without a privilege
 * stops start-up, or the one operation that needs it, with a message naming the
 * privilege, before anything changes; never a masked error.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { EmbeddedServer } from '../src/db/embedded-server.js';
import { startGateway } from '../src/main.js';
import {
  ADMIN,
  asker,
  BATCH_ROWS,
  oracleConnection,
  viewProblems,
  NOW,
} from './helpers/checked-gateway.js';
import { startPrivateServer } from './helpers/private-server.js';
import { seedDatabase } from '../src/seed/generate.js';
import { openPool } from '../src/db/pool.js';

const run = promisify(execFile);
const SLOW = { timeout: 180_000 };
const DML = 'SELECT, INSERT, UPDATE, DELETE';
const DDL = `${DML}, CREATE, DROP, ALTER, INDEX, REFERENCES, TRIGGER, CREATE VIEW, LOCK TABLES`;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let server: EmbeddedServer;
let root: mysql.Connection;
const backupDir = mkdtempSync(path.join(os.tmpdir(), 'analytics-privilege-backups-'));
cleanups.push(() => Promise.resolve(rmSync(backupDir, { recursive: true, force: true })));

/** A URL of `database` on the private server as `user` (password: the user's name). */
function urlOf(user: string, database = 'shop'): string {
  const url = new URL(server.url);
  url.username = user;
  url.password = `${user}-password`;
  url.pathname = `/${database}`;
  return url.toString();
}

/** Makes `user` with the grants given (`ON … ` clauses and their privileges). */
async function account(user: string, grants: [privileges: string, on: string][]) {
  await root.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, `${user}-password`]);
  for (const [privileges, on] of grants)
    await root.query(`GRANT ${privileges} ON ${on} TO ?@'%'`, [user]);
}

/** `npm run migrate` on `url` (a user's URL of the private server by default). */
const npmMigrate = (user: string, url = urlOf(user)) =>
  run('npm', ['run', '--silent', 'migrate'], { env: { ...process.env, DATABASE_URL: url } }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

async function tablesOf(database: string): Promise<string[]> {
  const [rows] = await root.query(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
    [database],
  );
  return (rows as { name: string }[]).map((row) => row.name);
}

const gatewayConfig = (user: string) =>
  loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: urlOf(user),
    PORT: '0',
    API_KEYS: `admin:${ADMIN}`,
    ROLLUP_APPLIER_INTERVAL_MS: '50',
    BACKUP_DIR: backupDir,
    BACKUP_SIGNING_KEY: 'k'.repeat(40),
  });

beforeAll(async () => {
  server = await startPrivateServer([], cleanups);
  root = await mysql.createConnection({ uri: server.serverUrl });
  cleanups.push(() => root.end());
  await root.query('CREATE DATABASE shop');
  await account('migrator', [[DDL, 'shop.*']]);
  await account('no_trigger', [[DDL.replace(', TRIGGER', ''), 'shop.*']]);
  await account('gateway', [
    [DML, 'shop.*'],
    ['ALL', '`shop\\_%`.*'],
  ]);
  await account('reader', [['SELECT, INSERT, UPDATE', 'shop.*']]);
  await account('no_scratch', [[DML, 'shop.*']]);
}, SLOW.timeout);

describe('a migrating account and a serving account', () => {
  it('refuses to migrate without TRIGGER, naming it, before any change', SLOW, async () => {
    const result = await npmMigrate('no_trigger');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /lacks the TRIGGER privilege on database shop: migrating the database needs .*GRANT .* ON `shop`\.\* TO 'no_trigger'@'%'/,
    );
    expect(await tablesOf('shop')).toEqual([]);
  });

  it('refuses to migrate with the serving account, naming a DDL privilege', SLOW, async () => {
    const result = await npmMigrate('gateway');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/lacks the DROP privilege on database shop/);
    expect(await tablesOf('shop')).toEqual([]);
  });

  it('migrates with DDL rights on the one database', SLOW, async () => {
    const result = await npmMigrate('migrator');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^applied: 0001-create-users, .*0014-duration-histograms$/m);
    expect(await tablesOf('shop')).toContain('report_executions');
    // The probe leaves nothing behind.
    expect((await tablesOf('shop')).filter((t) => t.includes('probe'))).toEqual([]);
  });

  it('refuses to serve without DELETE, naming the privilege and a table', SLOW, async () => {
    await expect(startGateway(gatewayConfig('reader'))).rejects.toThrow(
      /lacks the DELETE privilege on table shop\.users: serving needs SELECT, INSERT, UPDATE, DELETE on it: GRANT SELECT, INSERT, UPDATE, DELETE ON `shop`\.\* TO 'reader'@'%'/,
    );
  });

  it(
    'serves, writes, maintains and backs up with SELECT, INSERT, UPDATE, DELETE',
    SLOW,
    async () => {
      const seeding = openPool(urlOf('migrator'));
      cleanups.push(() => seeding.dispose());
      await seedDatabase(seeding, { executions: 2_000, users: 30, reports: 40, now: NOW });
      const gateway = await startGateway(gatewayConfig('gateway'));
      cleanups.push(() => gateway.close());
      const ask = asker(gateway.url);
      const inserted = await ask(
        'mutation ($rows: [ExecutionInput!]!) { insertExecutions(rows: $rows) { affected } }',
        { rows: BATCH_ROWS },
      );
      expect(inserted).toEqual({ data: { insertExecutions: { affected: 60 } } });
      const connection = await oracleConnection(urlOf('migrator'));
      cleanups.push(() => connection.end());
      expect(await viewProblems(ask, connection)).toEqual([]);

      const maintenance = await ask(
        'mutation { runMaintenance(tasks: [ANALYZE, OPTIMIZE, CHECK, REFRESH_ROLLUPS, INTEGRITY]) { ok tasks { task problems } } }',
      );
      expect(maintenance.errors).toBeUndefined();
      expect(maintenance.data?.runMaintenance).toMatchObject({ ok: true });

      const backup = await ask('mutation { createBackup { id verification { ok } } }');
      const made = backup.data?.createBackup as { id: string; verification: { ok: boolean } };
      expect(made.verification).toEqual({ ok: true });
      const copy = await ask(
        'mutation ($id: ID!) { restoreBackup(id: $id, targetDatabase: "shop_copy") { database } }',
        { id: made.id },
      );
      expect(copy).toEqual({ data: { restoreBackup: { database: 'shop_copy' } } });
      const [[counts]] = (await root.query(
        `SELECT (SELECT COUNT(*) FROM shop.report_executions) AS live,
              (SELECT COUNT(*) FROM shop_copy.report_executions) AS copy`,
      )) as unknown as [{ live: number; copy: number }[]];
      expect(counts).toEqual({ live: 2_060, copy: 2_060 });

      // Replacing the live tables needs the migrating account's rights: refused by name,
      // before anything changes.
      await connection.query('DELETE FROM report_executions WHERE id <= 100');
      const swap = await ask('mutation ($id: ID!) { restoreBackup(id: $id) { swapped } }', {
        id: made.id,
      });
      expect(swap.data).toBeNull();
      expect(swap.errors?.[0]?.message).toMatch(
        /lacks the DROP privilege on database shop: replacing the live tables with a backup needs/,
      );
      expect(swap.errors?.[0]?.extensions).toMatchObject({
        code: 'DATABASE_PRIVILEGE',
        privilege: 'DROP',
      });
      expect(await tablesOf('shop')).toEqual(await tablesOf('shop_copy'));
      const [[left]] = (await root.query(
        'SELECT COUNT(*) AS n FROM shop.report_executions',
      )) as unknown as [{ n: number }[]];
      expect(left?.n).toBe(1_960);

      const scratch = await root.query(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'shop%'",
      );
      expect(scratch[0]).toEqual([{ SCHEMA_NAME: 'shop' }, { SCHEMA_NAME: 'shop_copy' }]);

      // The CLI names what its operation lacks: emptying the tables (TRUNCATE) needs DROP.
      const reset = await run(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', 'seed', '--executions', '10', '--reset'],
        { env: { ...process.env, DATABASE_URL: urlOf('gateway') } },
      ).catch((error: { code: number; stderr: string }) => error);
      expect(reset).toMatchObject({ code: 1 });
      expect((reset as { stderr: string }).stderr).toMatch(
        /^The database account lacks the DROP privilege on table shop\.\w+\. \(DROP command denied/,
      );
    },
  );

  it(
    'stops a verified backup without rights on scratch databases, naming CREATE',
    SLOW,
    async () => {
      const gateway = await startGateway(gatewayConfig('no_scratch'));
      cleanups.push(() => gateway.close());
      const backup = await asker(gateway.url)('mutation { createBackup { id } }');
      expect(backup.errors?.[0]?.message).toMatch(
        /lacks the CREATE privilege on database shop_verify_[0-9a-f]+/,
      );
      expect(backup.errors?.[0]?.extensions).toMatchObject({
        code: 'DATABASE_PRIVILEGE',
        privilege: 'CREATE',
      });
      const unverified = await asker(gateway.url)(
        'mutation { createBackup(verify: false) { id } }',
      );
      expect(unverified.errors).toBeUndefined();
    },
  );
});

describe('a server with binary logging', () => {
  it(
    'names SUPER or log_bin_trust_function_creators for the triggers, then migrates',
    SLOW,
    async () => {
      const logging = await startPrivateServer(['--log-bin=binlog', '--server-id=7'], cleanups);
      const admin = await mysql.createConnection({ uri: logging.serverUrl });
      cleanups.push(() => admin.end());
      await admin.query('CREATE DATABASE shop');
      await admin.query("CREATE USER 'migrator'@'%' IDENTIFIED BY 'migrator-password'");
      await admin.query(`GRANT ${DDL} ON shop.* TO 'migrator'@'%'`);
      const url = new URL(logging.url);
      url.username = 'migrator';
      url.password = 'migrator-password';
      url.pathname = '/shop';
      const migrate = () => npmMigrate('migrator', url.toString());
      const refused = await migrate();
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /lacks the SUPER privilege on the server: binary logging is on, .*log_bin_trust_function_creators = 1/,
      );
      const [tables] = await admin.query(
        "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop'",
      );
      expect(tables).toEqual([{ n: 0 }]);
      await admin.query('SET GLOBAL log_bin_trust_function_creators = 1');
      const migrated = await migrate();
      expect(migrated.stdout).toMatch(/^applied: 0001-create-users/m);
    },
  );
});
