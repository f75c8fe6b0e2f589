/**
 * The write side: batch mutations guarded by roles. Each call is one transaction;
 * after it commits, the cache of the tables it touched is invalidated before the
 * response is sent, so the next read sees the write.
 */
import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { SOURCE_TABLES } from '../db/source-tables.js';
import { badInput } from '../errors.js';
import { loadOrNull, type Loaders } from '../loaders/entity-loaders.js';
import { countRowsWritten } from '../metrics/registry.js';
import { requireRole } from '../server/auth.js';
import type { GatewayContext } from '../server/context.js';
import { deleteExecutions, updateExecutions } from '../writes/change-executions.js';
import { checkExecutions } from '../writes/execution-input.js';
import { insertExecutions } from '../writes/insert-executions.js';
import { upsertReports } from '../writes/upsert-reports.js';
import type { ExecutionRow, ReportRow, UserRow } from '../views/rows.js';
import { selectionOf } from '../views/selection.js';
import { upsertUsers } from '../writes/upsert-users.js';
import { builder } from './builder.js';
import { Execution, Report, User } from './entities.js';
import { ExecutionStatus, Provider, ReportCategory, UserRole } from './enums.js';

// Rows per INSERT statement; larger statements gain nothing and strain max_allowed_packet.
const MAX_BATCH_SIZE = 20_000;

const ExecutionInput = builder.inputType('ExecutionInput', {
  fields: (t) => ({
    reportId: t.id({ required: true }),
    executedBy: t.id(),
    status: t.field({ type: ExecutionStatus, required: true }),
    startedAt: t.field({ type: 'DateTime', required: true }),
    completedAt: t.field({ type: 'DateTime' }),
    durationMs: t.int(),
    outputSizeBytes: t.field({ type: 'BigInt' }),
    rowCount: t.int(),
    errorMessage: t.string(),
  }),
});

/** Which entity rows a batch wrote (a delete returns none). */
type Written = 'executions' | 'reports' | 'users';
interface BatchShape {
  affected: number;
  ids: string[];
  written?: Written;
}

/** The written rows, read back after the commit through the request's loaders. */
function writtenRows<Row>(kind: Written, loader: keyof Loaders) {
  return async (result: BatchShape, _args: unknown, context: GatewayContext): Promise<Row[]> => {
    if (result.written !== kind) return [];
    const load = context.loaders[loader] as DataLoader<string, Row>;
    // A row deleted since (by someone else) is left out.
    const rows = await Promise.all(result.ids.map((id) => loadOrNull(load, id)));
    return rows.filter((row) => row !== null);
  };
}

const BatchResult = builder.objectRef<BatchShape>('BatchResult').implement({
  fields: (t) => ({
    affected: t.exposeInt('affected'),
    ids: t.exposeIDList('ids'),
    executions: t.field({
      type: [Execution],
      description:
        'The executions written, as they are after the write (empty for other writes and deletes), ' +
        'so a client cache can take them without a refetch; at most MAX_RESULT_ROWS rows.',
      resolve: writtenRows<ExecutionRow>('executions', 'execution'),
    }),
    reports: t.field({
      type: [Report],
      description: 'The reports written, as they are after the write (empty for other writes).',
      resolve: writtenRows<ReportRow>('reports', 'report'),
    }),
    users: t.field({
      type: [User],
      description: 'The users written, as they are after the write (empty for other writes).',
      resolve: writtenRows<UserRow>('users', 'user'),
    }),
  }),
});

const WRITTEN_OF: Record<string, { kind: Written; loader: keyof Loaders }> = {
  report_executions: { kind: 'executions', loader: 'execution' },
  reports: { kind: 'reports', loader: 'report' },
  users: { kind: 'users', loader: 'user' },
};

/**
 * Refuses, before anything is written, a call whose written rows are selected and
 * would pass MAX_RESULT_ROWS (the rows written are the rows sent).
 */
function checkReturnedRows(info: GraphQLResolveInfo, rows: number, context: GatewayContext): void {
  const selection = selectionOf(info);
  const selected = ['executions', 'reports', 'users'].some((field) => selection.has(field));
  const max = context.config.maxResultRows;
  if (selected && rows > max) {
    throw badInput(
      'rows',
      `${rows} rows written would be returned, more than ${max} (MAX_RESULT_ROWS); select ` +
        'affected and ids, or send fewer rows per call',
    );
  }
}

/**
 * The result of a write to `table`: its ids, and which rows it returns; the table's
 * loader forgets what it read before the write, so the rows returned are the new ones.
 */
function written(context: GatewayContext, table: string, ids: string[], returnsRows = true) {
  const { kind, loader } = WRITTEN_OF[table]!;
  // The rows returned are read back where the write is sure to be seen.
  context.route?.pinPrimary();
  context.loaders[loader].clearAll();
  countRowsWritten(context, table, ids.length);
  return { affected: ids.length, ids, written: returnsRows ? kind : undefined };
}

builder.mutationType({});

/** The rows per statement: the argument, else the configured default. */
function checkedBatchSize(batchSize: number | null | undefined, context: GatewayContext): number {
  const size = batchSize ?? context.config.defaultBatchSize;
  if (size < 1 || size > MAX_BATCH_SIZE) {
    throw badInput('batchSize', `must be from 1 to ${MAX_BATCH_SIZE}, got ${size}`);
  }
  return size;
}

/** Runs an admin write to `table`, announced to its cache (ViewCache.write). */
async function adminWrite(
  context: GatewayContext,
  table: string,
  write: () => Promise<string[]>,
  returnsRows = true,
): Promise<BatchShape> {
  requireRole(context.caller, 'admin');
  const ids = await context.cache.write([table], write);
  return written(context, table, ids, returnsRows);
}

const UserInput = builder.inputType('UserInput', {
  description: 'A user; with an id it updates (or creates) that user, without one it creates one.',
  fields: (t) => ({
    id: t.id(),
    email: t.string({ required: true }),
    displayName: t.string({ required: true }),
    role: t.field({ type: UserRole, required: true }),
  }),
});

const ReportInput = builder.inputType('ReportInput', {
  description:
    'A report; with an id it updates (or creates) that report, without one it creates one.',
  fields: (t) => ({
    id: t.id(),
    name: t.string({ required: true }),
    description: t.string(),
    category: t.field({ type: ReportCategory, required: true }),
    provider: t.field({ type: Provider, required: true }),
    ownerId: t.id(),
    active: t.boolean(),
    parameters: t.field({ type: 'JSON' }),
  }),
});

const ExecutionUpdate = builder.inputType('ExecutionUpdate', {
  description: 'Changes to one execution: only the fields given change.',
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: ExecutionStatus }),
    completedAt: t.field({ type: 'DateTime' }),
    durationMs: t.int(),
    outputSizeBytes: t.field({ type: 'BigInt' }),
    rowCount: t.int(),
    errorMessage: t.string(),
  }),
});

const CACHED_TABLES: readonly string[] = SOURCE_TABLES;

builder.mutationField('insertExecutions', (t) =>
  t.field({
    type: BatchResult,
    description:
      'Inserts executions, all or nothing (role analyst). A bad row fails the call naming rows[i].field; ' +
      'batchSize rows go in each INSERT statement.',
    args: {
      rows: t.arg({ type: [ExecutionInput], required: true }),
      batchSize: t.arg.int(),
    },
    resolve: async (_root, args, context, info) => {
      requireRole(context.caller, 'analyst');
      checkReturnedRows(info, args.rows.length, context);
      const batchSize = args.batchSize ?? context.config.defaultBatchSize;
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw badInput('batchSize', `must be from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}`);
      }
      const rows = checkExecutions(
        args.rows.map((row) => ({ ...row, executedBy: row.executedBy ?? null })),
        context.config.maxBatchRows,
      );
      const ids = await context.cache.write(['report_executions'], () =>
        insertExecutions(context.primary, rows, batchSize),
      );
      return written(context, 'report_executions', ids);
    },
  }),
);

builder.mutationFields((t) => ({
  upsertUsers: t.field({
    type: BatchResult,
    description: 'Creates or updates users, all or nothing (role admin).',
    args: { rows: t.arg({ type: [UserInput], required: true }) },
    resolve: (_root, args, context, info) => {
      checkReturnedRows(info, args.rows.length, context);
      return adminWrite(context, 'users', () =>
        upsertUsers(context.primary, args.rows, context.config.maxBatchRows),
      );
    },
  }),
  upsertReports: t.field({
    type: BatchResult,
    description: 'Creates or updates reports, all or nothing (role admin).',
    args: { rows: t.arg({ type: [ReportInput], required: true }) },
    resolve: (_root, args, context, info) => {
      checkReturnedRows(info, args.rows.length, context);
      return adminWrite(context, 'reports', () =>
        upsertReports(context.primary, args.rows, context.config.maxBatchRows),
      );
    },
  }),
  updateExecutions: t.field({
    type: BatchResult,
    description:
      'Changes executions, all or nothing (role admin); the result must stay consistent.',
    args: { rows: t.arg({ type: [ExecutionUpdate], required: true }), batchSize: t.arg.int() },
    resolve: (_root, args, context, info) => {
      checkReturnedRows(info, args.rows.length, context);
      return adminWrite(context, 'report_executions', () =>
        updateExecutions(
          context.primary,
          args.rows,
          context.config.maxBatchRows,
          checkedBatchSize(args.batchSize, context),
        ),
      );
    },
  }),
  deleteExecutions: t.field({
    type: BatchResult,
    description:
      'Deletes executions by id and/or started before a time, all or nothing (role admin).',
    args: { ids: t.arg.idList(), before: t.arg({ type: 'DateTime' }), batchSize: t.arg.int() },
    resolve: (_root, args, context) =>
      adminWrite(
        context,
        'report_executions',
        () =>
          deleteExecutions(
            context.primary,
            args,
            checkedBatchSize(args.batchSize, context),
            context.config.maxBatchRows,
          ),
        false,
      ),
  }),
  invalidateCache: t.int({
    description:
      'Outdates the cached results that read the given tables (default: all); returns how many tables (role admin).',
    args: { tables: t.arg.stringList() },
    resolve: async (_root, args, context) => {
      requireRole(context.caller, 'admin');
      const tables = args.tables ?? CACHED_TABLES;
      tables.forEach((table, index) => {
        if (!CACHED_TABLES.includes(table)) {
          throw badInput(
            `tables[${index}]`,
            `"${table}" is not one of ${CACHED_TABLES.join(', ')}`,
          );
        }
      });
      await context.cache.invalidate(tables);
      return tables.length;
    },
  }),
}));
