/**
 * Backups through the gateway: a consistent snapshot in a gzip file with a manifest,
 * verification by a real restore, restores that never touch live data unless the
 * restored copy is whole, retention, path traversal and roles.
 */
import { sql } from '@databases/mysql';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, type BackupManifest } from '../src/backup/backup-files.js';
import { createBackup } from '../src/backup/create-backup.js';
import { databaseUrl, dropDatabase } from '../src/backup/load-backup.js';
import { restoreBackup } from '../src/backup/restore-backup.js';
import { openRawConnection, tableChecksum, tableShapes } from '../src/backup/table-rows.js';
import { loadConfig } from '../src/config.js';
import { openPool, queryOne } from '../src/db/pool.js';
import { rollupDrift } from '../src/rollups/rollup-drift.js';
import { seedDatabase } from '../src/seed/generate.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const KEYS = { analyst: 'analyst-key-backup-0123456789', admin: 'admin-key-backup-0123456789' };
const SIGNING_KEY = 'backup-signing-key-for-the-tests-0123456789';
let gateway: TestGateway;
let dir: string;

interface GqlError {
  message: string;
  extensions?: { code?: string; argument?: string };
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}, key = KEYS.admin) {
  const response = await gateway.post({ query, variables }, { authorization: `Bearer ${key}` });
  return (await response.json()) as { data?: T | null; errors?: GqlError[] };
}

const CREATE = `mutation ($verify: Boolean!, $compress: Boolean! = true) {
  createBackup(verify: $verify, compress: $compress) {
  id file sizeBytes sha256 compressed tables { name rows checksum }
  verification { ok sha256Matches problems tables { name rows expectedRows checksumMatches } } } }`;
const VERIFY = `mutation ($id: ID!) { verifyBackup(id: $id) { ok sha256Matches problems } }`;
const RESTORE = `mutation ($id: ID!, $target: String) {
  restoreBackup(id: $id, targetDatabase: $target) { database swapped tables { name rows checksumMatches } } }`;

interface CreatedBackup {
  id: string;
  file: string;
  sizeBytes: string;
  sha256: string;
  tables: { name: string; rows: number; checksum: string }[];
  verification: { ok: boolean; sha256Matches: boolean; problems: string[] } | null;
}

async function newBackup(verify = false): Promise<CreatedBackup> {
  const result = await gql<{ createBackup: CreatedBackup }>(CREATE, { verify });
  expect(result.errors).toBeUndefined();
  return result.data!.createBackup;
}

/** Row count and checksum of every table of a database, as a backup computes them. */
async function fingerprint(url: string) {
  const connection = await openRawConnection(url);
  try {
    const result: Record<string, string> = {};
    for (const shape of await tableShapes(connection)) {
      const { rows, checksum } = await tableChecksum(connection, shape);
      result[shape.name] = `${rows}:${checksum}`;
    }
    return result;
  } finally {
    await connection.end();
  }
}

async function databasesLike(fragment: string): Promise<string[]> {
  const connection = await openRawConnection(gateway.url);
  try {
    const [rows] = await connection.query('SHOW DATABASES');
    return (rows as Record<string, string>[])
      .map((row) => Object.values(row)[0]!)
      .filter((name) => name.startsWith(gateway.name) && name.includes(fragment));
  } finally {
    await connection.end();
  }
}

const executionCount = async (db = gateway.db) =>
  Number((await queryOne<{ n: number }>(db, sql`SELECT COUNT(*) AS n FROM report_executions`))?.n);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gateway-backups-'));
  const keyed = loadConfig({ API_KEYS: `analyst:${KEYS.analyst},admin:${KEYS.admin}` });
  gateway = await createTestGateway(
    { apiKeys: keyed.apiKeys, backupDir: dir, backupSigningKey: SIGNING_KEY },
    { useCache: true },
  );
  await seedDatabase(gateway.db, { executions: 3_000, users: 20, reports: 40 });
  // Text that only survives a backup if it is escaped right.
  const owner = await insertUser(gateway.db, { display_name: `O'Brien \\ "quoted"\n😀 tab\t` });
  const report = await insertReport(gateway.db, {
    owner_id: owner,
    description: null,
    name: "Report with 'quotes', back\\slashes and ; semicolons",
    parameters: JSON.stringify({ region: 'eu-west-1', nested: { list: [1, 'two', null] } }),
  });
  await insertExecution(gateway.db, report, new Date(Date.now() - 3_600_000), {
    status: 'failed',
    completed_at: new Date(Date.now() - 3_500_000),
    duration_ms: 100_000,
    output_size_bytes: '18446744073709551615',
    error_message: 'line one\r\nline two\u0000 nul and \\x1a',
  });
});

afterAll(async () => {
  await gateway.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('createBackup', () => {
  it('writes one gzip file and a manifest whose digest, counts and checksums match', async () => {
    const backup = await newBackup(true);
    expect(backup.verification).toMatchObject({ ok: true, sha256Matches: true, problems: [] });
    const bytes = await readFile(path.join(dir, backup.file));
    expect(backup.file).toBe(`${backup.id}.sql.gz`);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(backup.sha256);
    expect(String(bytes.length)).toBe(backup.sizeBytes);
    const text = gunzipSync(bytes).toString('utf8');
    expect(text.trimEnd().endsWith('-- end of backup')).toBe(true);

    const live = await fingerprint(gateway.url);
    const recorded = Object.fromEntries(
      backup.tables.map((table) => [table.name, `${table.rows}:${table.checksum}`]),
    );
    expect(recorded).toEqual(live);
    expect(Object.keys(recorded)).toEqual(
      expect.arrayContaining(['users', 'reports', 'report_executions', 'report_daily_rollup']),
    );
    expect(recorded.report_executions).toMatch(new RegExp(`^${await executionCount()}:`));
  });

  it('writes plain SQL text when compress is false, and verifies it the same way', async () => {
    const result = await gql<{ createBackup: CreatedBackup }>(CREATE, {
      verify: true,
      compress: false,
    });
    const backup = result.data!.createBackup;
    expect(backup.file).toBe(`${backup.id}.sql`);
    expect(backup.verification).toMatchObject({ ok: true, problems: [] });
    const text = await readFile(path.join(dir, backup.file), 'utf8');
    expect(text).toMatch(/^INSERT INTO `report_executions` \(`id`,/m);
  });

  it('is refused below admin and writes nothing', async () => {
    const before = await readdir(dir);
    const result = await gql(CREATE, { verify: false }, KEYS.analyst);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gateway.post({ query: CREATE, variables: { verify: false } });
    expect(((await anonymous.json()) as { errors: GqlError[] }).errors[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(await readdir(dir)).toEqual(before);
  });

  it('holds one consistent snapshot while writes go on', async () => {
    const report = await insertReport(gateway.db);
    const writer = openPool(gateway.url, { poolSize: 2 });
    let writing = true;
    let written = 0;
    // Straight SQL inserts (the triggers keep the rollups) all through the backup.
    const writes = (async () => {
      while (writing) {
        await insertExecution(writer, report, new Date(Date.now() - 60_000), { duration_ms: 5 });
        written++;
      }
    })();
    let afterSnapshot = '';
    const manifest = await createBackup({
      url: gateway.url,
      dir,
      compress: true,
      now: new Date(),
      signingKey: SIGNING_KEY,
      // Rows committed once the snapshot is taken must not be in the backup.
      onSnapshot: async () => {
        afterSnapshot = await insertExecution(writer, report, new Date(), { duration_ms: 7 });
      },
    });
    writing = false;
    await writes;
    expect(written).toBeGreaterThan(0);

    const target = `${gateway.name}_snapshot`;
    await restoreBackup(gateway.url, { dir, key: SIGNING_KEY }, manifest.id, target);
    const restored = openPool(databaseUrl(gateway.url, target), { poolSize: 1 });
    try {
      const newest = await queryOne<{ id: string; n: number }>(
        restored,
        sql`SELECT MAX(id) AS id, COUNT(*) AS n FROM report_executions`,
      );
      // Exactly the live rows up to the snapshot point: a prefix, with nothing after it.
      expect(BigInt(newest!.id)).toBeLessThan(BigInt(afterSnapshot));
      const liveUpTo = await queryOne<{ n: number }>(
        gateway.db,
        sql`SELECT COUNT(*) AS n FROM report_executions WHERE id <= ${newest!.id}`,
      );
      expect(Number(newest!.n)).toBe(Number(liveUpTo!.n));
      expect(Number(newest!.n)).toBe(
        manifest.tables.find((t) => t.name === 'report_executions')!.rows,
      );
      expect(await executionCount()).toBeGreaterThan(Number(newest!.n));
      // The rollups in the backup belong to the same instant as the raw rows.
      expect((await rollupDrift(restored)).filter((d) => d.driftingCells > 0)).toEqual([]);
    } finally {
      await restored.dispose();
      await writer.dispose();
      await dropDatabase(gateway.url, target);
    }
  });
});

describe('verifyBackup and restoreBackup', () => {
  let good: CreatedBackup;
  let goodManifest: BackupManifest;
  beforeAll(async () => {
    good = await newBackup();
    goodManifest = await readManifest(dir, good.id);
  });

  /** A copy of the good backup whose file `damage` changes (the manifest stays). */
  async function damagedCopy(damage: (bytes: Buffer) => Buffer, rehash = false) {
    const copy = await newBackup();
    const file = path.join(dir, copy.file);
    const bytes = damage(await readFile(file));
    await writeFile(file, bytes);
    if (rehash) {
      const manifestFile = path.join(dir, `${copy.id}.manifest.json`);
      const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BackupManifest;
      manifest.sha256 = createHash('sha256').update(bytes).digest('hex');
      await writeFile(manifestFile, JSON.stringify(manifest));
    }
    return copy.id;
  }
  const truncate = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));
  const flipBit = (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)]! ^= 0x10;
    return copy;
  };

  it('verifies a good backup by restoring it into a scratch database it then drops', async () => {
    const result = await gql<{ verifyBackup: { ok: boolean } }>(VERIFY, { id: good.id });
    expect(result.data?.verifyBackup).toEqual({ ok: true, sha256Matches: true, problems: [] });
    expect(await databasesLike('_verify_')).toEqual([]);
  });

  it.each([
    ['truncated', truncate],
    ['bit-flipped', flipBit],
  ])('fails a %s file loudly and leaves the live data untouched', async (_name, damage) => {
    const id = await damagedCopy(damage);
    const verified = await gql<{ verifyBackup: { ok: boolean; problems: string[] } }>(VERIFY, {
      id,
    });
    expect(verified.data?.verifyBackup).toMatchObject({ ok: false, sha256Matches: false });
    expect(verified.data?.verifyBackup.problems[0]).toMatch(/SHA-256/);

    const before = await fingerprint(gateway.url);
    const restored = await gql(RESTORE, { id });
    expect(restored.errors?.[0]?.extensions?.code).toBe('BACKUP_INVALID');
    expect(restored.errors?.[0]?.message).toMatch(/damaged or truncated/);
    expect(await fingerprint(gateway.url)).toEqual(before);
    expect(await databasesLike('_restore_')).toEqual([]);
  });

  it('also refuses a damaged file whose manifest digest was made to match', async () => {
    for (const damage of [truncate, flipBit]) {
      const id = await damagedCopy(damage, true);
      const before = await fingerprint(gateway.url);
      const restored = await gql(RESTORE, { id });
      expect(restored.errors?.[0]?.extensions?.code).toBe('BACKUP_INVALID');
      expect(await fingerprint(gateway.url)).toEqual(before);
      expect(await databasesLike('_restore_')).toEqual([]);
    }
  });

  it('restores into a new database and leaves the live one alone', async () => {
    const before = await fingerprint(gateway.url);
    const target = `${gateway.name}_copy`;
    const result = await gql<{ restoreBackup: { database: string; swapped: boolean } }>(RESTORE, {
      id: good.id,
      target,
    });
    expect(result.data?.restoreBackup).toMatchObject({ database: target, swapped: false });
    const restored = await fingerprint(databaseUrl(gateway.url, target));
    expect(restored).toEqual(
      Object.fromEntries(goodManifest.tables.map((t) => [t.name, `${t.rows}:${t.checksum}`])),
    );
    expect(await fingerprint(gateway.url)).toEqual(before);

    const again = await gql(RESTORE, { id: good.id, target });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(again.errors?.[0]?.message).toMatch(/exists/);
    const badName = await gql(RESTORE, { id: good.id, target: 'x`; DROP DATABASE y' });
    expect(badName.errors?.[0]?.message).toMatch(/targetDatabase/);
    await dropDatabase(gateway.url, target);
  });

  it('replaces the live tables with the backup, triggers and cache included', async () => {
    const summary = `{ reportsSummary(window: { last: "P400D" }, first: 1) { totalCount
      edges { node { executions } } } }`;
    const atBackup = await gql<unknown>(summary);
    // Change the live data after the backup: a new report and fewer executions, and
    // let the cache hold the changed answer.
    await insertReport(gateway.db, { name: 'made after the backup' });
    await gateway.db.query(sql`DELETE FROM report_executions ORDER BY id LIMIT 100`);
    await gql(`mutation { invalidateCache }`);
    expect(await gql<unknown>(summary)).not.toEqual(atBackup);

    const result = await gql<{ restoreBackup: { swapped: boolean } }>(RESTORE, { id: good.id });
    expect(result.errors).toBeUndefined();
    expect(result.data?.restoreBackup.swapped).toBe(true);
    expect(await fingerprint(gateway.url)).toEqual(
      Object.fromEntries(goodManifest.tables.map((t) => [t.name, `${t.rows}:${t.checksum}`])),
    );
    expect(await gql<unknown>(summary)).toEqual(atBackup);
    expect(await databasesLike('_restore_')).toEqual([]);
    expect(await databasesLike('_replaced_')).toEqual([]);

    // The rollup triggers are back: a straight SQL insert reaches the rollups.
    const [report] = (await gateway.db.query(sql`SELECT id FROM reports LIMIT 1`)) as {
      id: string;
    }[];
    await insertExecution(gateway.db, report!.id, new Date(Date.now() - 7_200_000));
    expect((await rollupDrift(gateway.db)).filter((d) => d.driftingCells > 0)).toEqual([]);
    const restoredCount = goodManifest.tables.find((t) => t.name === 'report_executions')!.rows;
    expect(await executionCount()).toBe(restoredCount + 1);
  });
});

describe('backup files', () => {
  const LIST = `{ backups { id createdAt } }`;

  it('refuses ids that could name a file outside the backup directory', async () => {
    await writeFile(path.join(path.dirname(dir), 'outside.manifest.json'), '{}');
    for (const id of ['../outside', '..%2Foutside', '/etc/passwd', 'a/../../b', '']) {
      for (const query of [VERIFY, `mutation ($id: ID!) { deleteBackup(id: $id) }`, RESTORE]) {
        const result = await gql(query, { id });
        expect(result.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'id',
        });
      }
    }
    await rm(path.join(path.dirname(dir), 'outside.manifest.json'));
  });

  it('lists, deletes and prunes by count and by age', async () => {
    const day = 86_400_000;
    const url = gateway.url;
    const old = await createBackup({
      url,
      dir,
      compress: false,
      now: new Date(Date.now() - 10 * day),
      signingKey: SIGNING_KEY,
    });
    const listed = await gql<{ backups: { id: string }[] }>(LIST);
    const ids = listed.data!.backups.map((b) => b.id);
    expect(ids).toContain(old.id);
    expect(ids).toEqual([...ids].sort().reverse());

    const pruneAge = await gql<{ pruneBackups: { id: string }[] }>(
      `mutation { pruneBackups(maxAgeDays: 7) { id } }`,
    );
    expect(pruneAge.data?.pruneBackups.map((b) => b.id)).toEqual([old.id]);
    expect(await readdir(dir)).not.toContain(`${old.id}.sql`);

    const keep = await gql<{ pruneBackups: { id: string }[] }>(
      `mutation { pruneBackups(keepLast: 1) { id } }`,
    );
    expect(keep.data?.pruneBackups.length).toBe(ids.length - 2);
    const left = (await gql<{ backups: { id: string }[] }>(LIST)).data!.backups;
    expect(left.map((b) => b.id)).toEqual([ids[0]]);

    const deleted = await gql<{ deleteBackup: boolean }>(
      `mutation ($id: ID!) { deleteBackup(id: $id) }`,
      { id: ids[0] },
    );
    expect(deleted.data?.deleteBackup).toBe(true);
    expect((await readdir(dir)).filter((f) => !f.endsWith('.partial'))).toEqual([]);

    const none = await gql(`mutation { pruneBackups { id } }`);
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
