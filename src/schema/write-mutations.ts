/**
 * The write side: batch mutations guarded by roles. Each call is one transaction;
 * after it commits, the cache of the tables it touched is invalidated before the
 * response is sent, so the next read sees the write.
 */
import { badInput } from '../errors.js';
import { requireRole } from '../server/auth.js';
import { checkExecutions } from '../writes/execution-input.js';
import { insertExecutions } from '../writes/insert-executions.js';
import { builder } from './builder.js';
import { ExecutionStatus } from './enums.js';

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

const BatchResult = builder
  .objectRef<{ affected: number; ids: string[] }>('BatchResult')
  .implement({
    fields: (t) => ({
      affected: t.exposeInt('affected'),
      ids: t.exposeIDList('ids'),
    }),
  });

builder.mutationType({});

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
    resolve: async (_root, args, context) => {
      requireRole(context.caller, 'analyst');
      const batchSize = args.batchSize ?? context.config.defaultBatchSize;
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw badInput('batchSize', `must be from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}`);
      }
      const rows = checkExecutions(
        args.rows.map((row) => ({ ...row, executedBy: row.executedBy ?? null })),
        context.config.maxBatchRows,
      );
      const ids = await insertExecutions(context.db, rows, batchSize);
      await context.cache.invalidate(['report_executions']);
      return { affected: ids.length, ids };
    },
  }),
);
