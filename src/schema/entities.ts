/**
 * The entity types Report, User and Execution, and their root look-ups. A related
 * object comes from the row when the view query already read it (joined, or only
 * its id from the foreign key); otherwise through the request's DataLoaders, so a
 * list never issues N+1 queries.
 */
import { loadOrNull } from '../loaders/entity-loaders.js';
import { outputSizeClass, performanceCategory } from '../views/classify.js';
import { parseId } from '../views/ids.js';
import type { ExecutionRow, ReportRow, UserRow } from '../views/rows.js';
import { builder } from './builder.js';
import { Node } from './node.js';
import {
  ExecutionStatus,
  OutputSizeClass,
  PerformanceCategory,
  Provider,
  ReportCategory,
  UserRole,
} from './enums.js';

export const User = builder.objectRef<UserRow>('User').implement({
  description: 'A person who owns or runs reports.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    displayName: t.exposeString('display_name'),
    role: t.field({ type: UserRole, resolve: (user) => user.role }),
    createdAt: t.field({ type: 'DateTime', resolve: (user) => user.created_at }),
  }),
});

export const Report = builder.objectRef<ReportRow>('Report').implement({
  description: 'A report definition from the catalogue.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    category: t.field({ type: ReportCategory, resolve: (report) => report.category }),
    provider: t.field({ type: Provider, resolve: (report) => report.provider }),
    owner: t.field({
      type: User,
      nullable: true,
      resolve: (report, _args, context) =>
        report.owner !== undefined
          ? report.owner
          : loadOrNull(context.loaders.user, report.owner_id),
    }),
    active: t.exposeBoolean('is_active'),
    createdAt: t.field({ type: 'DateTime', resolve: (report) => report.created_at }),
  }),
});

export const Execution = builder.objectRef<ExecutionRow>('Execution').implement({
  description: 'One run of a report.',
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    report: t.field({
      type: Report,
      resolve: (execution, _args, context) =>
        execution.report ?? context.loaders.report.load(execution.report_id),
    }),
    executedBy: t.field({
      type: User,
      nullable: true,
      resolve: (execution, _args, context) =>
        execution.executedBy !== undefined
          ? execution.executedBy
          : loadOrNull(context.loaders.user, execution.executed_by),
    }),
    status: t.field({ type: ExecutionStatus, resolve: (execution) => execution.status }),
    startedAt: t.field({ type: 'DateTime', resolve: (execution) => execution.started_at }),
    completedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (execution) => execution.completed_at,
    }),
    durationMs: t.exposeInt('duration_ms', { nullable: true }),
    outputSizeBytes: t.field({
      type: 'BigInt',
      nullable: true,
      resolve: (execution) => execution.output_size_bytes,
    }),
    rowCount: t.exposeInt('row_count', { nullable: true }),
    errorMessage: t.exposeString('error_message', { nullable: true }),
    performanceCategory: t.field({
      type: PerformanceCategory,
      nullable: true,
      resolve: (execution) => performanceCategory(execution.duration_ms),
    }),
    outputSizeClass: t.field({
      type: OutputSizeClass,
      resolve: (execution) => outputSizeClass(execution.output_size_bytes),
    }),
  }),
});

builder.queryFields((t) => ({
  report: t.field({
    type: Report,
    nullable: true,
    description: 'One report by id, or null when it does not exist.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => loadOrNull(context.loaders.report, parseId('id', args.id)),
  }),
  user: t.field({
    type: User,
    nullable: true,
    description: 'One user by id, or null when it does not exist.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => loadOrNull(context.loaders.user, parseId('id', args.id)),
  }),
  execution: t.field({
    type: Execution,
    nullable: true,
    description: 'One execution by id, or null when it does not exist.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) =>
      loadOrNull(context.loaders.execution, parseId('id', args.id)),
  }),
}));
