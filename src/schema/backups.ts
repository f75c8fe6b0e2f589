/**
 * Backups (role admin): create, list, verify, restore, delete, prune. Files live only
 * under BACKUP_DIR; a damaged, truncated or untrusted (unsigned, planted) backup fails
 * with BACKUP_INVALID and changes nothing. Without a signing key (DATABASE_URL set,
 * BACKUP_SIGNING_KEY not) create, verify and restore answer BACKUP_NOT_CONFIGURED.
 */
import { GraphQLError } from 'graphql';
import { BackupError } from '../backup/backup-error.js';
import {
  deleteBackup,
  listBackups,
  pruneBackups,
  type BackupManifest,
  type TableManifest,
} from '../backup/backup-files.js';
import { createBackup } from '../backup/create-backup.js';
import type { TableCheck } from '../backup/load-backup.js';
import { RESTORED_TABLES, restoreBackup, type RestoreResult } from '../backup/restore-backup.js';
import { backupStore } from '../backup/signing-key.js';
import { verifyBackup, type BackupVerification } from '../backup/verify-backup.js';
import { ConfigError } from '../config.js';
import { badInput } from '../errors.js';
import { requireRole } from '../server/auth.js';
import { builder } from './builder.js';

/** A backup that cannot be used is the caller's to know about, not a masked failure. */
async function reported<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackupError) {
      throw new GraphQLError(error.message, { extensions: { code: 'BACKUP_INVALID' } });
    }
    if (error instanceof ConfigError) {
      throw new GraphQLError(error.message, { extensions: { code: 'BACKUP_NOT_CONFIGURED' } });
    }
    throw error;
  }
}

const BackupTable = builder.objectRef<TableManifest>('BackupTable').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    rows: t.exposeInt('rows'),
    checksum: t.exposeString('checksum', {
      description: "SHA-256 of the table's rows in primary-key order.",
    }),
  }),
});

const BackupTableCheck = builder.objectRef<TableCheck>('BackupTableCheck').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    expectedRows: t.exposeInt('expectedRows'),
    rows: t.exposeInt('rows', { description: 'Rows found in the restored copy.' }),
    checksumMatches: t.exposeBoolean('checksumMatches'),
  }),
});

const Verification = builder.objectRef<BackupVerification>('BackupVerification').implement({
  description: 'A restore into a scratch database, compared with the manifest.',
  fields: (t) => ({
    id: t.exposeID('id'),
    ok: t.exposeBoolean('ok'),
    sha256Matches: t.exposeBoolean('sha256Matches'),
    tables: t.field({ type: [BackupTableCheck], resolve: (v) => v.tables }),
    problems: t.exposeStringList('problems'),
    durationMs: t.exposeInt('durationMs'),
  }),
});

type BackupShape = BackupManifest & { verification?: BackupVerification };

const Backup = builder.objectRef<BackupShape>('Backup').implement({
  description: 'One consistent snapshot of the database in a file under BACKUP_DIR.',
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.field({ type: 'DateTime', resolve: (b) => new Date(b.createdAt) }),
    database: t.exposeString('database'),
    serverVersion: t.exposeString('serverVersion'),
    file: t.exposeString('file', { description: 'The file name inside BACKUP_DIR.' }),
    compressed: t.exposeBoolean('compressed'),
    sizeBytes: t.field({ type: 'BigInt', resolve: (b) => String(b.bytes) }),
    sha256: t.exposeString('sha256'),
    durationMs: t.exposeInt('durationMs'),
    migrations: t.exposeStringList('migrations', {
      description: 'Schema versions applied when the snapshot was taken.',
    }),
    tables: t.field({ type: [BackupTable], resolve: (b) => b.tables }),
    verification: t.field({
      type: Verification,
      nullable: true,
      description: 'Set by createBackup(verify: true).',
      resolve: (b) => b.verification,
    }),
  }),
});

const Restore = builder.objectRef<RestoreResult>('RestoreResult').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    database: t.exposeString('database', { description: 'Where the restored data is now.' }),
    swapped: t.exposeBoolean('swapped', {
      description: 'True when the restored tables replaced the live ones.',
    }),
    tables: t.field({ type: [BackupTableCheck], resolve: (r) => r.tables }),
    durationMs: t.exposeInt('durationMs'),
  }),
});

builder.queryField('backups', (t) =>
  t.field({
    type: [Backup],
    description: 'Complete backups, newest first (role admin).',
    resolve: (_root, _args, context) => {
      requireRole(context.caller, 'admin');
      return listBackups(context.config.backupDir);
    },
  }),
);

builder.mutationField('createBackup', (t) =>
  t.field({
    type: Backup,
    description:
      'Streams one consistent snapshot to a file (gzip unless compress is false) with a ' +
      'manifest; verify restores it into a scratch database and compares (role admin).',
    args: {
      compress: t.arg.boolean({ defaultValue: true, required: true }),
      verify: t.arg.boolean({ defaultValue: true, required: true }),
    },
    resolve: (_root, args, context) => {
      requireRole(context.caller, 'admin');
      return reported(async () => {
        const store = backupStore(context.config);
        const manifest = await createBackup({
          url: context.databaseUrl,
          dir: store.dir,
          compress: args.compress,
          now: context.now,
          signingKey: store.key,
        });
        if (!args.verify) return manifest;
        return {
          ...manifest,
          verification: await verifyBackup(context.databaseUrl, store, manifest.id),
        };
      });
    },
  }),
);

builder.mutationField('verifyBackup', (t) =>
  t.field({
    type: Verification,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => {
      requireRole(context.caller, 'admin');
      return reported(async () => {
        const store = backupStore(context.config);
        return verifyBackup(context.databaseUrl, store, String(args.id));
      });
    },
  }),
);

builder.mutationField('restoreBackup', (t) =>
  t.field({
    type: Restore,
    description:
      'Restores into a new database (targetDatabase) or, without it, replaces the live ' +
      'tables in one atomic rename once the restored copy is verified (role admin).',
    args: { id: t.arg.id({ required: true }), targetDatabase: t.arg.string() },
    resolve: async (_root, args, context) => {
      requireRole(context.caller, 'admin');
      const restore = () =>
        reported(async () => {
          return restoreBackup(
            context.databaseUrl,
            backupStore(context.config),
            String(args.id),
            args.targetDatabase ?? undefined,
          );
        });
      // Without a target the live tables are replaced: a write every instance must see.
      return args.targetDatabase ? restore() : context.cache.write(RESTORED_TABLES, restore);
    },
  }),
);

builder.mutationField('deleteBackup', (t) =>
  t.boolean({
    args: { id: t.arg.id({ required: true }) },
    description: 'False when there was no such backup (role admin).',
    resolve: (_root, args, context) => {
      requireRole(context.caller, 'admin');
      return deleteBackup(context.config.backupDir, String(args.id));
    },
  }),
);

builder.mutationField('pruneBackups', (t) =>
  t.field({
    type: [Backup],
    description:
      'Deletes backups beyond the newest keepLast and those older than maxAgeDays; ' +
      'returns the deleted ones (role admin).',
    args: { keepLast: t.arg.int(), maxAgeDays: t.arg.int() },
    resolve: (_root, args, context) => {
      requireRole(context.caller, 'admin');
      const keepLast = args.keepLast ?? undefined;
      const maxAgeDays = args.maxAgeDays ?? undefined;
      if (keepLast === undefined && maxAgeDays === undefined) {
        throw badInput('keepLast', 'pruneBackups needs keepLast, maxAgeDays or both');
      }
      if (keepLast !== undefined && keepLast < 1) {
        throw badInput('keepLast', 'must be at least 1');
      }
      if (maxAgeDays !== undefined && maxAgeDays < 0) {
        throw badInput('maxAgeDays', 'must not be negative');
      }
      return pruneBackups(context.config.backupDir, { keepLast, maxAgeDays, now: context.now });
    },
  }),
);
