/**
 * The backup verbs of the CLI, as cron runs them: progress on stdout, retention after
 * a verified backup, and exit codes scripts can test (0 done, 2 bad usage, 3 problems).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDatabase } from '../src/seed/generate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const run = promisify(execFile);
let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.db, { executions: 500, users: 5, reports: 10 });
  dir = await mkdtemp(path.join(tmpdir(), 'gateway-cli-backups-'));
});
afterAll(async () => {
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

function cliWith(overrides: Record<string, string>, ...args: string[]) {
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    BACKUP_DIR: dir,
    BACKUP_SIGNING_KEY: 'backup-signing-key-for-the-cli-tests-0123',
    ...overrides,
  };
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env }).catch(
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}
const cli = (...args: string[]) => cliWith({}, ...args);

it('documents the verbs in --help', async () => {
  const { stdout } = await cli('--help');
  for (const verb of ['serve', 'migrate', 'seed', 'maintenance', 'backup', 'verify', 'restore']) {
    expect(stdout).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
  }
});

// Each run starts a process and restores a scratch copy: slow on a busy machine.
const SLOW = { timeout: 120_000 };

it('backs up with progress, verifies, prunes to --keep-last and lists', SLOW, async () => {
  for (const flags of [['--no-verify'], ['--no-verify'], ['--keep-last', '2']]) {
    const result = await cli('backup', ...flags);
    expect(result).not.toHaveProperty('code');
    expect(result.stdout).toMatch(/^ {2}report_executions: 500 rows$/m);
    if (flags[0] === '--no-verify') expect(result.stdout).not.toMatch(/^verify/m);
    else expect(result.stdout).toMatch(/^verify \S+: ok.*\npruned 1 old backup/m);
  }
  const manifests = (await readdir(dir)).filter((file) => file.endsWith('.manifest.json'));
  expect(manifests).toHaveLength(2);
  const { stdout } = await cli('backups');
  expect(stdout.trim().split('\n')).toHaveLength(2);
  expect(stdout).toMatch(/500 executions/);
});

it('exits 3 when a backup is damaged and 2 on bad usage', SLOW, async () => {
  const [manifest] = (await readdir(dir)).filter((file) => file.endsWith('.manifest.json'));
  const id = manifest!.replace('.manifest.json', '');
  const file = path.join(dir, `${id}.sql.gz`);
  const bytes = await readFile(file);
  await writeFile(file, bytes.subarray(0, bytes.length - 20));

  const verified = await cli('verify', id);
  expect(verified).toMatchObject({ code: 3 });
  expect(verified.stdout).toMatch(/PROBLEM .*SHA-256/);
  const restored = await cli('restore', id);
  expect(restored).toMatchObject({ code: 3 });
  expect(restored.stderr).toMatch(/damaged or truncated/);

  expect(await cli('restore')).toMatchObject({ code: 2 });
  expect(await cli('verify', '../../etc/passwd')).toMatchObject({ code: 2 });
  expect(await cli('backup', '--keep-last', '0')).toMatchObject({ code: 2 });
});

it('refuses backups without BACKUP_SIGNING_KEY when DATABASE_URL is set', SLOW, async () => {
  const before = await readdir(dir);
  for (const args of [
    ['backup', '--no-verify'],
    ['verify', 'any-id'],
    ['restore', 'any-id'],
  ]) {
    const result = await cliWith({ BACKUP_SIGNING_KEY: '' }, ...args);
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toMatch(/^BACKUP_SIGNING_KEY: /);
  }
  expect(await readdir(dir)).toEqual(before);
});

it('exits 3 on a backup signed with another key', SLOW, async () => {
  const made = await cli('backup', '--no-verify');
  const id = /^backup (\S+):/m.exec(made.stdout)![1]!;
  const result = await cliWith(
    { BACKUP_SIGNING_KEY: 'another-signing-key-of-32-characters-or-more' },
    'verify',
    id,
  );
  expect(result).toMatchObject({ code: 3 });
  expect(result.stderr).toMatch(/is not trusted: the manifest is not signed with this gateway/);
  expect((await cli('verify', id)).stdout).toMatch(/^verify \S+: ok/m);
});
