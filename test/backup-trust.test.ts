/**
 * Backups are trusted only when they verify: the manifest carries an HMAC-SHA256 with
 * BACKUP_SIGNING_KEY, names only the schema's own tables and columns, and the file holds
 * only literal values. A planted backup (dotted names that reach into another database,
 * subqueries, SLEEP, LOAD_FILE, a forged digest, a missing or wrong HMAC) is refused
 * with BACKUP_INVALID before any statement reaches a server: every table's CHECKSUM
 * TABLE stays as it was and no scratch or staging database is left behind.
 */
import { sql } from '@databases/mysql';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup } from '../src/backup/restore-backup.js';
import { backupSigningKey } from '../src/backup/signing-key.js';
import { verifyBackup } from '../src/backup/verify-backup.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/pool.js';
import { seedDatabase } from '../src/seed/generate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

const ADMIN = 'admin-key-backup-trust-0123456789';
const KEY = 'the-signing-key-of-the-trust-tests-0123456789';
const END = '-- end of backup';

let gateway: TestGateway;
/** Another database on the same server: what a dotted table name would reach into. */
let other: TestDatabase;
let dir: string;
/** The good backup's id, manifest and data file text (uncompressed). */
let good: { id: string; manifest: Manifest; text: string };

interface TableEntry {
  name: string;
  columns: string[];
  primaryKey: string[];
  rows: number;
  checksum: string;
}
type Manifest = Record<string, unknown> & { tables: TableEntry[]; signature?: string };

interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const response = await gateway.post({ query, variables }, { authorization: `Bearer ${ADMIN}` });
  return (await response.json()) as GqlResult;
}

const VERIFY = `mutation ($id: ID!) { verifyBackup(id: $id) { ok problems } }`;
const RESTORE = `mutation ($id: ID!) { restoreBackup(id: $id) { database swapped } }`;

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** JSON with sorted keys at every level: the text the manifest's HMAC is computed over. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const fields = keys.map(
      (k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`,
    );
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `object` without the field `name`. */
const without = (object: Manifest, name: string) =>
  Object.fromEntries(Object.entries(object).filter(([field]) => field !== name)) as Manifest;

/** HMAC-SHA256 of the manifest without its signature, as the README documents it. */
function hmac(manifest: Manifest, key: string): string {
  const signed = without(manifest, 'signature');
  return createHmac('sha256', key)
    .update('analytics-gateway backup manifest\n')
    .update(canonical(signed))
    .digest('hex');
}

/** A table's checksum as the manifest records it: SHA-256 of each row's text and a newline. */
function rowsChecksum(rows: string[]): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row}\n`);
  return hash.digest('hex');
}

/** The rows of one INSERT line (the seeded data has no `),(` inside a value). */
function rowsOf(line: string): string[] {
  const values = line.slice(line.indexOf(' VALUES ') + 8, -1);
  return values
    .slice(1, -1)
    .split('),(')
    .map((row) => `(${row})`);
}

const lineOf = (text: string, table: string) =>
  text.split('\n').find((line) => line.startsWith(`INSERT INTO \`${table}\` (`))!;

let planted = 0;
/**
 * Writes a backup into BACKUP_DIR as someone with access to the folder could: `text`
 * as its data file, the manifest with a SHA-256 that matches it, signed as `sign` says.
 */
async function plant(
  text: string,
  manifest: Manifest,
  sign: 'none' | 'keep' | 'zeros' | { key: string },
): Promise<string> {
  planted++;
  const id = `20200101-000000-${String(planted).padStart(3, '0')}-${randomBytes(3).toString('hex')}`;
  const file = `${id}.sql`;
  await writeFile(path.join(dir, file), text);
  const forged: Manifest = {
    ...manifest,
    id,
    file,
    compressed: false,
    bytes: Buffer.byteLength(text),
    sha256: sha256(text),
  };
  if (sign === 'none') delete forged.signature;
  else if (sign === 'zeros') forged.signature = '0'.repeat(64);
  else if (sign !== 'keep') forged.signature = hmac(forged, sign.key);
  await writeFile(path.join(dir, `${id}.manifest.json`), JSON.stringify(forged, null, 2));
  return id;
}

/** CHECKSUM TABLE of every base table of the live database and of the other one. */
async function checksums(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [name, db] of [
    [gateway.name, gateway.db],
    [other.name, other.db],
  ] as [string, Database][]) {
    const tables = (await db.query(sql`
      SELECT TABLE_NAME AS t FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ${name} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`)) as {
      t: string;
    }[];
    const rows = (await db.query(
      sql`CHECKSUM TABLE ${sql.join(
        tables.map((table) => sql.ident(name, table.t)),
        ', ',
      )}`,
    )) as { Table: string; Checksum: string | number | null }[];
    for (const row of rows) result[row.Table] = String(row.Checksum);
  }
  expect(Object.keys(result).length).toBeGreaterThan(6);
  return result;
}

/** Databases a verify or restore creates on its way (none may outlive it). */
async function leftovers(): Promise<string[]> {
  const rows = (await gateway.db.query(sql`SHOW DATABASES`)) as Record<string, string>[];
  return rows
    .map((row) => Object.values(row)[0]!)
    .filter((name) => /_(verify|restore|replaced)_/.test(name));
}

/** A port that accepts TCP and counts connections: any statement would need one. */
async function tripwire() {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mysql://root@127.0.0.1:${port}/${gateway.name}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gateway-backup-trust-'));
  const keyed = loadConfig({ API_KEYS: `admin:${ADMIN}` });
  gateway = await createTestGateway({
    apiKeys: keyed.apiKeys,
    backupDir: dir,
    backupSigningKey: KEY,
  });
  other = await createTestDatabase();
  await seedDatabase(gateway.db, { executions: 300, users: 8, reports: 12 });
  await seedDatabase(other.db, { executions: 50, users: 3, reports: 4 });
  const created = await gql(`mutation { createBackup(compress: false, verify: false) { id } }`);
  expect(created.errors).toBeUndefined();
  const { id } = (created.data as { createBackup: { id: string } }).createBackup;
  good = {
    id,
    manifest: JSON.parse(await readFile(path.join(dir, `${id}.manifest.json`), 'utf8')) as Manifest,
    text: await readFile(path.join(dir, `${id}.sql`), 'utf8'),
  };
});

afterAll(async () => {
  await gateway?.drop();
  await other?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('the manifest signature', () => {
  it('is HMAC-SHA256 with BACKUP_SIGNING_KEY over the canonical manifest, SHA-256 included', () => {
    expect(good.manifest.format).toBe(2);
    expect(good.manifest.signature).toBe(hmac(good.manifest, KEY));
    expect(good.manifest.sha256).toBe(sha256(good.text));
    // Another key, or any changed field, gives another signature.
    expect(hmac(good.manifest, `${KEY}x`)).not.toBe(good.manifest.signature);
    expect(hmac({ ...good.manifest, sha256: '0'.repeat(64) }, KEY)).not.toBe(
      good.manifest.signature,
    );
  });

  it('verifies a backup it signed', async () => {
    const verified = await gql(VERIFY, { id: good.id });
    expect(verified).toEqual({ data: { verifyBackup: { ok: true, problems: [] } } });
    expect(await leftovers()).toEqual([]);
  });
});

/** A row of a table from the good backup, with its first value replaced by `value`. */
function rowWithFirstValue(table: string, value: string): string {
  const row = rowsOf(lineOf(good.text, table))[0]!;
  return `(${value}${row.slice(row.indexOf(','))}`;
}

/** One-table backup text whose only INSERT line is `head` and `row`. */
function oneLineText(table: string, head: string, row: string): string {
  return [`-- planted`, `-- table ${table}`, `${head}${row};`, END, ''].join('\n');
}

/** The good backup with its users line replaced by `line` (and its checksum by `checksum`). */
function withUsersLine(line: string, checksum?: string): { text: string; manifest: Manifest } {
  const text = good.text.replace(lineOf(good.text, 'users'), line);
  const tables = good.manifest.tables.map((table) =>
    table.name === 'users' && checksum ? { ...table, checksum } : table,
  );
  return { text, manifest: { ...good.manifest, tables } };
}

/** A users line whose first row's id is `value` instead of a literal. */
function usersWith(value: string) {
  const line = lineOf(good.text, 'users');
  const first = rowsOf(line)[0]!;
  return withUsersLine(line.replace(first, rowWithFirstValue('users', value)));
}

const plants: [string, () => Promise<string>][] = [
  ['a dotted table name that reaches into another database (no HMAC)', () => plantDotted('none')],
  [
    'a dotted table name that reaches into another database (signed with the real key)',
    () => plantDotted({ key: KEY }),
  ],
  [
    'a subquery as a value (signed with the real key)',
    () => {
      const { text, manifest } = usersWith(`(SELECT MAX(id) + 1000 FROM \`${other.name}\`.users)`);
      return plant(text, manifest, { key: KEY });
    },
  ],
  [
    'SLEEP() as a value (signed with the real key)',
    () => {
      const { text, manifest } = usersWith('SLEEP(2)');
      return plant(text, manifest, { key: KEY });
    },
  ],
  [
    "LOAD_FILE('/etc/passwd') as a value (signed with the real key)",
    () => {
      const { text, manifest } = usersWith(`LOAD_FILE('/etc/passwd')`);
      return plant(text, manifest, { key: KEY });
    },
  ],
  [
    'a second statement after a value (signed with the real key)',
    () => {
      const line = lineOf(good.text, 'users');
      const { text, manifest } = withUsersLine(
        `${line.slice(0, -1)}; DELETE FROM \`${other.name}\`.report_executions;`,
      );
      return plant(text, manifest, { key: KEY });
    },
  ],
  [
    'forged data with a consistent digest and table checksum (the old HMAC)',
    () => {
      const line = lineOf(good.text, 'users');
      const email = /'user\d+@example\.com'/.exec(line)![0];
      const forgedLine = line.replace(email, `'attacker@evil.example'`);
      const { text, manifest } = withUsersLine(forgedLine, rowsChecksum(rowsOf(forgedLine)));
      const users = manifest.tables.find((table) => table.name === 'users')!;
      expect(users.checksum).not.toBe(
        good.manifest.tables.find((table) => table.name === 'users')!.checksum,
      );
      return plant(text, manifest, 'keep');
    },
  ],
  ['the good file with a valid SHA-256 but no HMAC', () => plant(good.text, good.manifest, 'none')],
  ['the good file with a wrong HMAC', () => plant(good.text, good.manifest, 'zeros')],
  [
    'the good file signed with another key',
    () => plant(good.text, good.manifest, { key: 'another-key-of-at-least-32-characters!!' }),
  ],
  [
    'a manifest of the unsigned format before this one',
    () => plant(good.text, without(good.manifest, 'format'), 'none'),
  ],
];

/** A backup of one row for `<other>.report_executions`, consistent in every digest. */
function plantDotted(sign: 'none' | { key: string }): Promise<string> {
  const executions = good.manifest.tables.find((t) => t.name === 'report_executions')!;
  const name = `${other.name}.report_executions`;
  const row = rowsOf(lineOf(good.text, 'report_executions'))[0]!;
  const head =
    `INSERT INTO \`${other.name}\`.\`report_executions\` ` +
    `(${executions.columns.map((c) => `\`${c}\``).join(',')}) VALUES `;
  const table = { ...executions, name, rows: 1, checksum: rowsChecksum([row]) };
  return plant(oneLineText(name, head, row), { ...good.manifest, tables: [table] }, sign);
}

describe('a planted backup', () => {
  it.each(plants)(
    'is refused before any statement runs: %s',
    { timeout: 60_000 },
    async (_name, plantIt) => {
      const id = await plantIt();
      const before = await checksums();
      const results = [await gql(VERIFY, { id }), await gql(RESTORE, { id })];
      // Nothing changed anywhere, in this database or the one a dotted name points at.
      expect(await checksums()).toEqual(before);
      expect(await leftovers()).toEqual([]);
      for (const result of results) {
        expect(result.errors?.[0]?.extensions?.code).toBe('BACKUP_INVALID');
        expect(result.errors?.[0]?.message).toMatch(/not trusted|literal values|unsupported/);
      }

      // The checks need no server at all: on a port that only counts connections,
      // verify and restore fail the same way and never connect.
      const wire = await tripwire();
      try {
        const store = { dir, key: KEY };
        await expect(verifyBackup(wire.url, store, id)).rejects.toMatchObject({
          name: 'BackupError',
          reason: 'untrusted',
        });
        await expect(restoreBackup(wire.url, store, id)).rejects.toMatchObject({
          name: 'BackupError',
          reason: 'untrusted',
        });
        expect(wire.connections()).toBe(0);
      } finally {
        await wire.close();
      }
    },
  );

  it.each([
    [
      'a table the schema does not have',
      'users',
      (t: TableEntry) => ({ ...t, name: 'users_shadow' }),
    ],
    [
      'a column the table does not have',
      'users',
      (t: TableEntry) => ({ ...t, columns: t.columns.map((c) => (c === 'role' ? 'is_root' : c)) }),
    ],
  ])(
    'naming %s is refused even when signed, and the scratch database is dropped',
    { timeout: 60_000 },
    async (_name, table, change) => {
      const entry = good.manifest.tables.find((t) => t.name === table)!;
      const changed = change(entry);
      const head =
        `INSERT INTO \`${changed.name}\` ` +
        `(${changed.columns.map((c) => `\`${c}\``).join(',')}) VALUES `;
      const line = lineOf(good.text, table);
      const text = good.text.replace(line, head + line.slice(line.indexOf(' VALUES ') + 8));
      const tables = good.manifest.tables.map((t) => (t.name === table ? changed : t));
      const id = await plant(text, { ...good.manifest, tables }, { key: KEY });

      const before = await checksums();
      const results = [await gql(VERIFY, { id }), await gql(RESTORE, { id })];
      expect(await checksums()).toEqual(before);
      expect(await leftovers()).toEqual([]);
      for (const result of results) {
        expect(result.errors?.[0]?.extensions?.code).toBe('BACKUP_INVALID');
        expect(result.errors?.[0]?.message).toMatch(/does not fit the schema/);
      }
    },
  );
});

describe('the signing key', () => {
  it('is generated once for the embedded default and kept in the data folder (0600)', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-data-'));
    try {
      const config = { databaseUrl: undefined, backupSigningKey: undefined, dataDir };
      const first = backupSigningKey(config);
      expect(first.length).toBeGreaterThanOrEqual(32);
      const file = path.join(dataDir, 'backup-signing-key');
      expect((await readFile(file, 'utf8')).trim()).toBe(first);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(backupSigningKey(config)).toBe(first);
      // BACKUP_SIGNING_KEY wins over the kept one.
      expect(backupSigningKey({ ...config, backupSigningKey: KEY })).toBe(KEY);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("signs and checks the embedded default's backups with the kept key", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-data-'));
    const embedded = await createTestGateway({
      apiKeys: loadConfig({ API_KEYS: `admin:${ADMIN}` }).apiKeys,
      backupDir: path.join(dataDir, 'backups'),
      dataDir,
      databaseUrl: undefined,
      backupSigningKey: undefined,
    });
    try {
      const post = async (query: string, variables: Record<string, unknown> = {}) => {
        const response = await embedded.post(
          { query, variables },
          { authorization: `Bearer ${ADMIN}` },
        );
        return (await response.json()) as GqlResult;
      };
      const created = await post(`mutation { createBackup(verify: true) { id
        verification { ok } } }`);
      const backup = (created.data as { createBackup: { id: string; verification: unknown } })
        .createBackup;
      expect(backup.verification).toEqual({ ok: true });
      const kept = (await readFile(path.join(dataDir, 'backup-signing-key'), 'utf8')).trim();
      const manifest = JSON.parse(
        await readFile(path.join(dataDir, 'backups', `${backup.id}.manifest.json`), 'utf8'),
      ) as Manifest;
      expect(manifest.signature).toBe(hmac(manifest, kept));
      expect(await post(VERIFY, { id: backup.id })).toEqual({
        data: { verifyBackup: { ok: true, problems: [] } },
      });
    } finally {
      await embedded.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('is required for backups with DATABASE_URL: create, verify and restore say so', async () => {
    const shared = await createTestGateway({
      apiKeys: loadConfig({ API_KEYS: `admin:${ADMIN}` }).apiKeys,
      backupDir: dir,
      databaseUrl: 'mysql://gateway@db.example:3306/analytics',
      backupSigningKey: undefined,
    });
    try {
      for (const query of [`mutation { createBackup(verify: false) { id } }`, VERIFY, RESTORE]) {
        const response = await shared.post(
          { query, variables: query === VERIFY || query === RESTORE ? { id: good.id } : {} },
          { authorization: `Bearer ${ADMIN}` },
        );
        const result = (await response.json()) as GqlResult;
        expect(result.errors?.[0]?.extensions?.code).toBe('BACKUP_NOT_CONFIGURED');
        expect(result.errors?.[0]?.message).toMatch(/BACKUP_SIGNING_KEY/);
      }
    } finally {
      await shared.drop();
    }
  });
});
