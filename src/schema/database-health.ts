/** `databaseHealth`: server version, table sizes and rollup lag (a read, gated like the views). */
import {
  EXACT_ROWS_UP_TO,
  databaseHealth,
  type DatabaseHealth,
  type RollupJournalHealth,
  type RollupLag,
  type TableHealth,
} from '../maintenance/database-health.js';
import type { ReplicaReport } from '../db/replication/replica-set.js';
import { builder } from './builder.js';

const ReplicaStateRef = builder.enumType('ReplicaState', {
  description: 'Whether a read replica serves reads now.',
  values: {
    STARTING: { value: 'starting', description: 'Not polled yet: reads go elsewhere.' },
    HEALTHY: {
      value: 'healthy',
      description: 'Replicating, within REPLICA_MAX_LAG_MS: serves reads.',
    },
    LAGGING: {
      value: 'lagging',
      description: 'Further behind than REPLICA_MAX_LAG_MS: taken out.',
    },
    NOT_REPLICATING: {
      value: 'not_replicating',
      description: 'Its replication threads are stopped (or it is no replica): taken out.',
    },
    DOWN: { value: 'down', description: 'It does not answer: taken out.' },
  } as const,
});

const ReplicaHealthRef = builder.objectRef<ReplicaReport>('ReplicaHealth').implement({
  description: "A read replica as this gateway instance's poller last saw it.",
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'replica-N, N its place in READ_DATABASE_URLS (the URL itself is not shown).',
    }),
    state: t.field({ type: ReplicaStateRef, resolve: (replica) => replica.state }),
    lagMs: t.exposeFloat('lagMs', {
      nullable: true,
      description:
        'How far behind the primary it was at the last poll, in milliseconds: the age of the ' +
        'oldest primary position it had not applied; null when unknown.',
    }),
    readsServed: t.exposeInt('readsServed', {
      description: 'Read statements it answered for this instance since it started.',
    }),
  }),
});

const TableHealthRef = builder.objectRef<TableHealth>('TableHealth').implement({
  description: 'One table: rows, and bytes on disk from the server statistics.',
  fields: (t) => ({
    name: t.exposeString('name'),
    rows: t.expose('rows', {
      type: 'BigInt',
      description:
        `Exact (COUNT(*)) when the table has at most ${EXACT_ROWS_UP_TO} rows; otherwise ` +
        "the server's estimate (information_schema TABLE_ROWS, which for InnoDB can be off " +
        'by tens of percent). rowsExact tells which.',
    }),
    rowsExact: t.exposeBoolean('rowsExact', {
      description: 'True when rows is an exact count, false when it is an estimate.',
    }),
    dataBytes: t.expose('dataBytes', {
      type: 'BigInt',
      description: 'Bytes of the rows (the clustered index), from information_schema DATA_LENGTH.',
    }),
    indexBytes: t.expose('indexBytes', {
      type: 'BigInt',
      description: 'Bytes of the secondary indexes, from information_schema INDEX_LENGTH.',
    }),
  }),
});

const RollupGranularity = builder.enumType('RollupGranularity', {
  values: ['HOUR', 'DAY', 'MONTH'] as const,
});

const RollupLagRef = builder.objectRef<RollupLag>('RollupLag').implement({
  description:
    "How far a rollup's newest bucket trails the newest execution it should hold (executions " +
    'with a user, for the user rollup). Writes keep the rollups in their own transaction, so a ' +
    'lag means rows reached report_executions without rollup upkeep. Bucket precision: a ' +
    'missing row inside the newest bucket does not show here (INTEGRITY maintenance finds it).',
  fields: (t) => ({
    table: t.exposeString('table'),
    granularity: t.expose('granularity', { type: RollupGranularity }),
    newestBucket: t.expose('newestBucket', {
      type: 'DateTime',
      nullable: true,
      description: 'Start of the newest bucket with executions; null when the rollup has none.',
    }),
    inStep: t.exposeBoolean('inStep', {
      description: 'The rollup has a bucket for the newest execution (or there are none).',
    }),
    lagSeconds: t.exposeFloat('lagSeconds', {
      nullable: true,
      description:
        'Seconds from the end of the newest bucket to the newest execution; 0 when in step, ' +
        'null when the rollup is empty while executions exist.',
    }),
  }),
});

const RollupJournalRef = builder.objectRef<RollupJournalHealth>('RollupJournalHealth').implement({
  description:
    'The journal of row changes that the rollup applier folds into the rollups. Reads add its ' +
    'rows, so answers are exact whatever its backlog; a growing backlog only makes them slower.',
  fields: (t) => ({
    pendingRows: t.exposeInt('pendingRows', { description: 'Journal rows not yet folded.' }),
    oldestPendingMs: t.exposeFloat('oldestPendingMs', {
      description: 'Age of the oldest row not yet folded, in milliseconds; 0 when none.',
    }),
    applierRunning: t.exposeBoolean('applierRunning', {
      description: 'Some gateway instance holds the applier lock and folds the journal.',
    }),
  }),
});

const DatabaseHealthRef = builder.objectRef<DatabaseHealth>('DatabaseHealth').implement({
  description: 'The database behind this gateway, measured when asked (never cached).',
  fields: (t) => ({
    serverVersion: t.exposeString('serverVersion', { description: 'SELECT VERSION().' }),
    database: t.exposeString('database', { description: 'The schema the gateway serves.' }),
    checkedAt: t.expose('checkedAt', { type: 'DateTime' }),
    tables: t.field({
      type: [TableHealthRef],
      description: 'users, reports, report_executions and every rollup table.',
      resolve: (health) => health.tables,
    }),
    newestExecutionAt: t.expose('newestExecutionAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The newest startedAt in report_executions; null without executions.',
    }),
    rollupLag: t.field({
      type: [RollupLagRef],
      resolve: (health) => health.rollupLag,
    }),
    rollupJournal: t.field({
      type: RollupJournalRef,
      resolve: (health) => health.rollupJournal,
    }),
    replicas: t.field({
      type: [ReplicaHealthRef],
      description: 'The read replicas (READ_DATABASE_URLS); empty without them.',
      resolve: (_health, _args, context) => context.replicas?.report() ?? [],
    }),
  }),
});

builder.queryField('databaseHealth', (t) =>
  t.field({
    type: DatabaseHealthRef,
    description:
      'Server version, table sizes, rollup lag (of the primary) and the read replicas (role viewer, like every read).',
    resolve: (_root, _args, context) => databaseHealth(context.primary),
  }),
);
