/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An exact integer of any size, sent as a JSON string of decimal digits. */
  BigInt: { input: string; output: string; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: any; output: any; }
};

export type AlertChange =
  /** The alert ended: it is no longer there. */
  | 'CLEARED'
  /** The alert started: it was not there at the last look. */
  | 'RAISED';

/** An alert that started or cleared. */
export type AlertEvent = {
  __typename?: 'AlertEvent';
  /** The alert as it was last read (for CLEARED: before it cleared), under performanceAlerts’ default arguments (the last 7 days, default thresholds). */
  alert: PerformanceAlert;
  /** When the gateway saw the change. */
  at: Scalars['DateTime']['output'];
  change: AlertChange;
  /** The alert’s type, report and execution: the same in its RAISED and CLEARED events (its nodeId names the window of each read). */
  key: Scalars['ID']['output'];
};

export type AlertType =
  | 'HIGH_FAILURE_RATE'
  | 'INACTIVE_REPORT'
  | 'LONG_RUNNING'
  | 'SLOW_P95';

/** One consistent snapshot of the database in a file under BACKUP_DIR. */
export type Backup = {
  __typename?: 'Backup';
  compressed: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  database: Scalars['String']['output'];
  durationMs: Scalars['Int']['output'];
  /** The file name inside BACKUP_DIR. */
  file: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Schema versions applied when the snapshot was taken. */
  migrations: Array<Scalars['String']['output']>;
  serverVersion: Scalars['String']['output'];
  sha256: Scalars['String']['output'];
  sizeBytes: Scalars['BigInt']['output'];
  tables: Array<BackupTable>;
  /** Set by createBackup(verify: true). */
  verification?: Maybe<BackupVerification>;
};

export type BackupTable = {
  __typename?: 'BackupTable';
  /** SHA-256 of the table's rows in primary-key order. */
  checksum: Scalars['String']['output'];
  name: Scalars['String']['output'];
  rows: Scalars['Int']['output'];
};

export type BackupTableCheck = {
  __typename?: 'BackupTableCheck';
  checksumMatches: Scalars['Boolean']['output'];
  expectedRows: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** Rows found in the restored copy. */
  rows: Scalars['Int']['output'];
};

/** A restore into a scratch database, compared with the manifest. */
export type BackupVerification = {
  __typename?: 'BackupVerification';
  durationMs: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  ok: Scalars['Boolean']['output'];
  problems: Array<Scalars['String']['output']>;
  sha256Matches: Scalars['Boolean']['output'];
  tables: Array<BackupTableCheck>;
};

export type BatchResult = {
  __typename?: 'BatchResult';
  affected: Scalars['Int']['output'];
  /** The executions written, as they are after the write (empty for other writes and deletes), so a client cache can take them without a refetch; at most MAX_RESULT_ROWS rows. */
  executions: Array<Execution>;
  ids: Array<Scalars['ID']['output']>;
  /** The reports written, as they are after the write (empty for other writes). */
  reports: Array<Report>;
  /** The users written, as they are after the write (empty for other writes). */
  users: Array<User>;
};

/** Counters since this gateway instance started. */
export type CacheStats = {
  __typename?: 'CacheStats';
  /** memory (in-process LRU) or redis (shared). */
  backend: Scalars['String']['output'];
  /** Entries held in process; null for Redis. */
  entries?: Maybe<Scalars['Int']['output']>;
  /** Entries the LRU dropped to stay within its bounds. */
  evictions: Scalars['Int']['output'];
  /** hits ÷ (hits + misses); null before any look-up. */
  hitRatio?: Maybe<Scalars['Float']['output']>;
  hits: Scalars['Int']['output'];
  /** Invalidations per table. */
  invalidations: Array<TableInvalidations>;
  misses: Scalars['Int']['output'];
};

/** Reports and their executions inside the window, per category. */
export type CategoryPerformance = ExecutionMetrics & Node & {
  __typename?: 'CategoryPerformance';
  /** Active reports among them. */
  activeReports: Scalars['Int']['output'];
  /** Mean of the non-null durations. */
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  /** totalOutputBytes ÷ (sum of durationMs ÷ 1000); null without durations. */
  bytesPerSecond?: Maybe<Scalars['Float']['output']>;
  category: ReportCategory;
  executions: Scalars['Int']['output'];
  /** failures ÷ completed. */
  failureRate?: Maybe<Scalars['Float']['output']>;
  failures: Scalars['Int']['output'];
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  /** The 50th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.5·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p50DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 95th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.95·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p95DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 99th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.99·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p99DurationMs?: Maybe<Scalars['Float']['output']>;
  /** Reports matching the filter. */
  reports: Scalars['Int']['output'];
  /** successes ÷ completed. */
  successRate?: Maybe<Scalars['Float']['output']>;
  successes: Scalars['Int']['output'];
  /** Exact sum of output sizes. */
  totalOutputBytes: Scalars['BigInt']['output'];
};

/** The database behind this gateway, measured when asked (never cached). */
export type DatabaseHealth = {
  __typename?: 'DatabaseHealth';
  checkedAt: Scalars['DateTime']['output'];
  /** The schema the gateway serves. */
  database: Scalars['String']['output'];
  /** The newest startedAt in report_executions; null without executions. */
  newestExecutionAt?: Maybe<Scalars['DateTime']['output']>;
  /** The read replicas (READ_DATABASE_URLS); empty without them. */
  replicas: Array<ReplicaHealth>;
  rollupJournal: RollupJournalHealth;
  rollupLag: Array<RollupLag>;
  /** SELECT VERSION(). */
  serverVersion: Scalars['String']['output'];
  /** users, reports, report_executions and every rollup table. */
  tables: Array<TableHealth>;
};

/** One run of a report. */
export type Execution = Node & {
  __typename?: 'Execution';
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  durationMs?: Maybe<Scalars['Int']['output']>;
  errorMessage?: Maybe<Scalars['String']['output']>;
  executedBy?: Maybe<User>;
  id: Scalars['ID']['output'];
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  outputSizeBytes?: Maybe<Scalars['BigInt']['output']>;
  outputSizeClass: OutputSizeClass;
  performanceCategory?: Maybe<PerformanceCategory>;
  report: Report;
  rowCount?: Maybe<Scalars['Int']['output']>;
  startedAt: Scalars['DateTime']['output'];
  status: ExecutionStatus;
};

export type ExecutionConnection = {
  __typename?: 'ExecutionConnection';
  edges: Array<ExecutionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ExecutionEdge = {
  __typename?: 'ExecutionEdge';
  cursor: Scalars['String']['output'];
  node: Execution;
};

/** Executions matching every given condition; an empty list matches nothing. */
export type ExecutionFilter = {
  categories?: InputMaybe<Array<ReportCategory>>;
  executedByIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  providers?: InputMaybe<Array<Provider>>;
  reportIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  statuses?: InputMaybe<Array<ExecutionStatus>>;
};

export type ExecutionInput = {
  completedAt?: InputMaybe<Scalars['DateTime']['input']>;
  durationMs?: InputMaybe<Scalars['Int']['input']>;
  errorMessage?: InputMaybe<Scalars['String']['input']>;
  executedBy?: InputMaybe<Scalars['ID']['input']>;
  outputSizeBytes?: InputMaybe<Scalars['BigInt']['input']>;
  reportId: Scalars['ID']['input'];
  rowCount?: InputMaybe<Scalars['Int']['input']>;
  startedAt: Scalars['DateTime']['input'];
  status: ExecutionStatus;
};

/** Measures of a set of executions. Completed = success + failed + cancelled; rates are fractions in [0, 1] of the completed ones, null when none completed. */
export type ExecutionMetrics = {
  /** Mean of the non-null durations. */
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  executions: Scalars['Int']['output'];
  /** failures ÷ completed. */
  failureRate?: Maybe<Scalars['Float']['output']>;
  failures: Scalars['Int']['output'];
  /** The 50th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.5·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p50DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 95th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.95·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p95DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 99th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.99·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p99DurationMs?: Maybe<Scalars['Float']['output']>;
  /** successes ÷ completed. */
  successRate?: Maybe<Scalars['Float']['output']>;
  successes: Scalars['Int']['output'];
  /** Exact sum of output sizes. */
  totalOutputBytes: Scalars['BigInt']['output'];
};

/** Executions started in one time bucket (and dimension value, with groupBy). */
export type ExecutionMetricsBucket = ExecutionMetrics & Node & {
  __typename?: 'ExecutionMetricsBucket';
  /** Mean of the non-null durations. */
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  bucketStart: Scalars['DateTime']['output'];
  /** Set when grouped by CATEGORY. */
  category?: Maybe<ReportCategory>;
  distinctReports: Scalars['Int']['output'];
  /** Distinct executedBy users (executions without a user not counted). */
  distinctUsers: Scalars['Int']['output'];
  executions: Scalars['Int']['output'];
  /** failures ÷ completed. */
  failureRate?: Maybe<Scalars['Float']['output']>;
  failures: Scalars['Int']['output'];
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  /** The 50th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.5·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p50DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 95th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.95·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p95DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 99th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.99·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p99DurationMs?: Maybe<Scalars['Float']['output']>;
  /** Set when grouped by PROVIDER. */
  provider?: Maybe<Provider>;
  /** successes ÷ completed. */
  successRate?: Maybe<Scalars['Float']['output']>;
  successes: Scalars['Int']['output'];
  /** Exact sum of output sizes. */
  totalOutputBytes: Scalars['BigInt']['output'];
};

/** Where an execution stands; success, failed and cancelled count as completed. */
export type ExecutionStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCESS';

export type ExecutionTrends = Node & {
  __typename?: 'ExecutionTrends';
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  pattern: TrendPattern;
  /** The slot with the most executions (the lowest on ties); null without executions. */
  peak?: Maybe<TrendSlot>;
  /** Every slot, zeros included. */
  slots: Array<TrendSlot>;
};

/** Changes to one execution: only the fields given change. */
export type ExecutionUpdate = {
  completedAt?: InputMaybe<Scalars['DateTime']['input']>;
  durationMs?: InputMaybe<Scalars['Int']['input']>;
  errorMessage?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  outputSizeBytes?: InputMaybe<Scalars['BigInt']['input']>;
  rowCount?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<ExecutionStatus>;
};

export type ExplainedStatement = {
  __typename?: 'ExplainedStatement';
  parameters: Scalars['JSON']['output'];
  /** EXPLAIN FORMAT=JSON. */
  plan: Scalars['JSON']['output'];
  /** The statement, with ? placeholders. */
  sql: Scalars['String']['output'];
};

export type Explanation = {
  __typename?: 'Explanation';
  /** Relations answered from their foreign key, without a join. */
  eliminatedRelations: Array<Scalars['String']['output']>;
  flags: Array<ViewFlag>;
  joinedRelations: Array<Scalars['String']['output']>;
  statements: Array<ExplainedStatement>;
  view: Scalars['String']['output'];
};

/** UTC buckets: the hour, the day, the ISO week (from Monday) or the month. */
export type Granularity =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'WEEK';

export type MaintenanceReport = {
  __typename?: 'MaintenanceReport';
  durationMs: Scalars['Int']['output'];
  /** True when no task found a problem. */
  ok: Scalars['Boolean']['output'];
  startedAt: Scalars['DateTime']['output'];
  tasks: Array<MaintenanceTaskReport>;
};

/** ANALYZE / OPTIMIZE / CHECK TABLE; INTEGRITY (orphan rows, rollup drift); CLEANUP (executions older than retentionDays, in chunks); REFRESH_ROLLUPS (rebuild from raw rows). */
export type MaintenanceTask =
  | 'ANALYZE'
  | 'CHECK'
  | 'CLEANUP'
  | 'INTEGRITY'
  | 'OPTIMIZE'
  | 'REFRESH_ROLLUPS';

/** What one task did. */
export type MaintenanceTaskReport = {
  __typename?: 'MaintenanceTaskReport';
  durationMs: Scalars['Int']['output'];
  /** What the task did or checked. */
  messages: Array<Scalars['String']['output']>;
  ok: Scalars['Boolean']['output'];
  /** What needs attention; empty when the task found nothing wrong. */
  problems: Array<Scalars['String']['output']>;
  rowsAffected: Scalars['Int']['output'];
  task: MaintenanceTask;
};

export type MetricDimension =
  | 'CATEGORY'
  | 'PROVIDER';

export type Mutation = {
  __typename?: 'Mutation';
  /** Streams one consistent snapshot to a file (gzip unless compress is false) with a manifest; verify restores it into a scratch database and compares (role admin). */
  createBackup: Backup;
  /** False when there was no such backup (role admin). */
  deleteBackup: Scalars['Boolean']['output'];
  /** Deletes executions by id and/or started before a time, all or nothing (role admin). */
  deleteExecutions: BatchResult;
  /** Inserts executions, all or nothing (role analyst). A bad row fails the call naming rows[i].field; batchSize rows go in each INSERT statement. */
  insertExecutions: BatchResult;
  /** Outdates the cached results that read the given tables (default: all); returns how many tables (role admin). */
  invalidateCache: Scalars['Int']['output'];
  /** Deletes backups beyond the newest keepLast and those older than maxAgeDays; returns the deleted ones (role admin). */
  pruneBackups: Array<Backup>;
  /** Restores into a new database (targetDatabase) or, without it, replaces the live tables in one atomic rename once the restored copy is verified (role admin). */
  restoreBackup: RestoreResult;
  /** Runs the tasks (role admin), each once, in the order CLEANUP, REFRESH_ROLLUPS, OPTIMIZE, ANALYZE, CHECK, INTEGRITY. */
  runMaintenance: MaintenanceReport;
  /** Changes executions, all or nothing (role admin); the result must stay consistent. */
  updateExecutions: BatchResult;
  /** Creates or updates reports, all or nothing (role admin). */
  upsertReports: BatchResult;
  /** Creates or updates users, all or nothing (role admin). */
  upsertUsers: BatchResult;
  verifyBackup: BackupVerification;
};


export type MutationCreateBackupArgs = {
  compress?: Scalars['Boolean']['input'];
  verify?: Scalars['Boolean']['input'];
};


export type MutationDeleteBackupArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteExecutionsArgs = {
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['DateTime']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};


export type MutationInsertExecutionsArgs = {
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  rows: Array<ExecutionInput>;
};


export type MutationInvalidateCacheArgs = {
  tables?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type MutationPruneBackupsArgs = {
  keepLast?: InputMaybe<Scalars['Int']['input']>;
  maxAgeDays?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationRestoreBackupArgs = {
  id: Scalars['ID']['input'];
  targetDatabase?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRunMaintenanceArgs = {
  retentionDays?: InputMaybe<Scalars['Int']['input']>;
  tasks: Array<MaintenanceTask>;
};


export type MutationUpdateExecutionsArgs = {
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  rows: Array<ExecutionUpdate>;
};


export type MutationUpsertReportsArgs = {
  rows: Array<ReportInput>;
};


export type MutationUpsertUsersArgs = {
  rows: Array<UserInput>;
};


export type MutationVerifyBackupArgs = {
  id: Scalars['ID']['input'];
};

/** An object with a global id (Relay's object identification); refetch it with node(nodeId). A row of a view is identified by its view, the arguments that shape its numbers (the window made absolute) and its key, so one report under two windows is two nodes. */
export type Node = {
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
};

/** NONE (null or 0), SMALL < 1 MiB, MEDIUM < 100 MiB, LARGE ≥ 100 MiB. */
export type OutputSizeClass =
  | 'LARGE'
  | 'MEDIUM'
  | 'NONE'
  | 'SMALL';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  /** True when the page starts after a cursor. */
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type PerformanceAlert = Node & {
  __typename?: 'PerformanceAlert';
  detail: Scalars['String']['output'];
  /** The execution, for LONG_RUNNING. */
  execution?: Maybe<Execution>;
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  /** LONG_RUNNING: the start; HIGH_FAILURE_RATE: the newest start in the window; INACTIVE_REPORT: the last run, or the creation. */
  observedAt: Scalars['DateTime']['output'];
  report: Report;
  severity: Severity;
  threshold: Scalars['Float']['output'];
  type: AlertType;
  /** LONG_RUNNING: the duration in ms; HIGH_FAILURE_RATE: the failure rate; INACTIVE_REPORT: whole days idle. */
  value: Scalars['Float']['output'];
};

/** FAST < 1 s ≤ NORMAL < 10 s ≤ SLOW < 60 s ≤ VERY_SLOW, by duration. */
export type PerformanceCategory =
  | 'FAST'
  | 'NORMAL'
  | 'SLOW'
  | 'VERY_SLOW';

/** The cloud a report covers. */
export type Provider =
  | 'AWS'
  | 'AZURE'
  | 'GCP'
  | 'MULTI'
  | 'OCI';

/** Reports and their executions inside the window, per provider. */
export type ProviderPerformance = ExecutionMetrics & Node & {
  __typename?: 'ProviderPerformance';
  /** Active reports among them. */
  activeReports: Scalars['Int']['output'];
  /** Mean of the non-null durations. */
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  /** totalOutputBytes ÷ (sum of durationMs ÷ 1000); null without durations. */
  bytesPerSecond?: Maybe<Scalars['Float']['output']>;
  executions: Scalars['Int']['output'];
  /** failures ÷ completed. */
  failureRate?: Maybe<Scalars['Float']['output']>;
  failures: Scalars['Int']['output'];
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  /** The 50th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.5·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p50DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 95th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.95·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p95DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 99th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.99·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p99DurationMs?: Maybe<Scalars['Float']['output']>;
  provider: Provider;
  /** Reports matching the filter. */
  reports: Scalars['Int']['output'];
  /** successes ÷ completed. */
  successRate?: Maybe<Scalars['Float']['output']>;
  successes: Scalars['Int']['output'];
  /** Exact sum of output sizes. */
  totalOutputBytes: Scalars['BigInt']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Complete backups, newest first (role admin). */
  backups: Array<Backup>;
  cacheStats: CacheStats;
  /** One row per category with at least one report matching the filter (default window: the last 90 days). */
  categoryPerformance: Array<CategoryPerformance>;
  /** Server version, table sizes, rollup lag (of the primary) and the read replicas (role viewer, like every read). */
  databaseHealth: DatabaseHealth;
  /** One execution by id, or null when it does not exist. */
  execution?: Maybe<Execution>;
  /** Executions per time bucket in the window (default the last 365 days), oldest first. Buckets without executions are left out unless fillGaps (with groupBy, gaps are filled for each dimension value that occurs in the window). At most 10 000 buckets. */
  executionMetrics: Array<ExecutionMetricsBucket>;
  /** How executions in the window (default the last 30 days) spread over the day or the week. */
  executionTrends: ExecutionTrends;
  /** The SQL the gateway would run for a view request, and the server's plan of each statement. args are the view's arguments as JSON (as in variables); selection is a selection set of the view only, within the query limits (default: the catalog's). */
  explain: Explanation;
  /** The object of a nodeId, or null when it no longer exists. */
  node?: Maybe<Node>;
  /** The objects of nodeIds, in their order (null where one no longer exists); at most MAX_PAGE_SIZE ids. */
  nodes: Array<Maybe<Node>>;
  /** Alerts over the window (default the last 7 days), CRITICAL first, then the newest. */
  performanceAlerts: Array<PerformanceAlert>;
  /** One row per provider with at least one report matching the filter (default window: the last 90 days). */
  providerPerformance: Array<ProviderPerformance>;
  /** Executions started in the window (default the last 30 days), ordered startedAt DESC, id DESC; first/after pages forward, last/before backward (keyset). */
  recentExecutions: ExecutionConnection;
  /** One report by id, or null when it does not exist. */
  report?: Maybe<Report>;
  /** Every report matching the filter with its executions in the window (default the last 90 days), zeros included; ordered by executions DESC, then id ASC unless orderBy says otherwise. */
  reportsSummary: ReportSummaryConnection;
  /** One user by id, or null when it does not exist. */
  user?: Maybe<User>;
  /** Every user matching the filter with their activity in the window (default the last 90 days); ordered by executions DESC, then id ASC unless orderBy says otherwise. */
  userActivity: UserActivityConnection;
  /** The performance views: their SQL views, columns, relations, compiled SQL and flags. */
  viewCatalog: Array<ViewInfo>;
};


export type QueryCategoryPerformanceArgs = {
  filter?: InputMaybe<ReportFilter>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryExecutionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryExecutionMetricsArgs = {
  fillGaps?: Scalars['Boolean']['input'];
  filter?: InputMaybe<ReportFilter>;
  granularity?: Granularity;
  groupBy?: InputMaybe<Array<MetricDimension>>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryExecutionTrendsArgs = {
  filter?: InputMaybe<ReportFilter>;
  pattern?: TrendPattern;
  window?: InputMaybe<TimeWindow>;
};


export type QueryExplainArgs = {
  args?: InputMaybe<Scalars['JSON']['input']>;
  selection?: InputMaybe<Scalars['String']['input']>;
  view: Scalars['String']['input'];
};


export type QueryNodeArgs = {
  nodeId: Scalars['ID']['input'];
};


export type QueryNodesArgs = {
  nodeIds: Array<Scalars['ID']['input']>;
};


export type QueryPerformanceAlertsArgs = {
  failureRateThreshold?: Scalars['Float']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  inactiveDays?: Scalars['Int']['input'];
  longRunningMs?: Scalars['Int']['input'];
  minExecutions?: Scalars['Int']['input'];
  minSeverity?: InputMaybe<Severity>;
  p95ThresholdMs?: Scalars['Int']['input'];
  types?: InputMaybe<Array<AlertType>>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryProviderPerformanceArgs = {
  filter?: InputMaybe<ReportFilter>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryRecentExecutionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExecutionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryReportArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReportsSummaryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ReportFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ReportsSummaryOrder>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUserActivityArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<UserFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<UserActivityOrder>;
  window?: InputMaybe<TimeWindow>;
};

/** A read replica as this gateway instance's poller last saw it. */
export type ReplicaHealth = {
  __typename?: 'ReplicaHealth';
  /** How far behind the primary it was at the last poll, in milliseconds: the age of the oldest primary position it had not applied; null when unknown. */
  lagMs?: Maybe<Scalars['Float']['output']>;
  /** replica-N, N its place in READ_DATABASE_URLS (the URL itself is not shown). */
  name: Scalars['String']['output'];
  /** Read statements it answered for this instance since it started. */
  readsServed: Scalars['Int']['output'];
  state: ReplicaState;
};

/** Whether a read replica serves reads now. */
export type ReplicaState =
  /** It does not answer: taken out. */
  | 'DOWN'
  /** Replicating, within REPLICA_MAX_LAG_MS: serves reads. */
  | 'HEALTHY'
  /** Further behind than REPLICA_MAX_LAG_MS: taken out. */
  | 'LAGGING'
  /** Its replication threads are stopped (or it is no replica): taken out. */
  | 'NOT_REPLICATING'
  /** Not polled yet: reads go elsewhere. */
  | 'STARTING';

/** A report definition from the catalogue. */
export type Report = Node & {
  __typename?: 'Report';
  active: Scalars['Boolean']['output'];
  category: ReportCategory;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  owner?: Maybe<User>;
  provider: Provider;
};

/** What a report is about. */
export type ReportCategory =
  | 'COMPLIANCE'
  | 'COST'
  | 'CUSTOM'
  | 'INFRASTRUCTURE'
  | 'PERFORMANCE'
  | 'SECURITY';

/** Reports matching every given condition; an empty list matches nothing. */
export type ReportFilter = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  categories?: InputMaybe<Array<ReportCategory>>;
  ownerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  providers?: InputMaybe<Array<Provider>>;
  reportIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** A report; with an id it updates (or creates) that report, without one it creates one. */
export type ReportInput = {
  active?: InputMaybe<Scalars['Boolean']['input']>;
  category: ReportCategory;
  description?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  parameters?: InputMaybe<Scalars['JSON']['input']>;
  provider: Provider;
};

/** Execution measures of one report inside the window. */
export type ReportSummary = ExecutionMetrics & Node & {
  __typename?: 'ReportSummary';
  /** Mean of the non-null durations. */
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  cancelled: Scalars['Int']['output'];
  executions: Scalars['Int']['output'];
  /** failures ÷ completed. */
  failureRate?: Maybe<Scalars['Float']['output']>;
  failures: Scalars['Int']['output'];
  /** The newest startedAt inside the window. */
  lastExecutedAt?: Maybe<Scalars['DateTime']['output']>;
  maxDurationMs?: Maybe<Scalars['Int']['output']>;
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  /** The 50th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.5·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p50DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 95th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.95·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p95DurationMs?: Maybe<Scalars['Float']['output']>;
  /** The 99th percentile of the non-null durations (nearest rank: the smallest duration d with at least ⌈0.99·n⌉ of the n durations ≤ d), read from duration histograms: within 0.8 % of the exact value, exact below 128 ms; null without durations. */
  p99DurationMs?: Maybe<Scalars['Float']['output']>;
  report: Report;
  /** successes ÷ completed. */
  successRate?: Maybe<Scalars['Float']['output']>;
  successes: Scalars['Int']['output'];
  /** Exact sum of output sizes. */
  totalOutputBytes: Scalars['BigInt']['output'];
};

export type ReportSummaryConnection = {
  __typename?: 'ReportSummaryConnection';
  edges: Array<ReportSummaryEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ReportSummaryEdge = {
  __typename?: 'ReportSummaryEdge';
  cursor: Scalars['String']['output'];
  node: ReportSummary;
};

/** Sort order; nulls sort last either way and ties break on report id ascending. */
export type ReportsSummaryOrder = {
  direction?: SortDirection;
  field: ReportsSummaryOrderField;
};

export type ReportsSummaryOrderField =
  | 'AVG_DURATION_MS'
  | 'EXECUTIONS'
  | 'FAILURES'
  | 'ID'
  | 'LAST_EXECUTED_AT'
  | 'MAX_DURATION_MS'
  | 'NAME'
  | 'P50_DURATION_MS'
  | 'P95_DURATION_MS'
  | 'P99_DURATION_MS'
  | 'SUCCESSES'
  | 'SUCCESS_RATE'
  | 'TOTAL_OUTPUT_BYTES';

export type RestoreResult = {
  __typename?: 'RestoreResult';
  /** Where the restored data is now. */
  database: Scalars['String']['output'];
  durationMs: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** True when the restored tables replaced the live ones. */
  swapped: Scalars['Boolean']['output'];
  tables: Array<BackupTableCheck>;
};

export type RollupGranularity =
  | 'DAY'
  | 'HOUR'
  | 'MONTH';

/** The journal of row changes that the rollup applier folds into the rollups. Reads add its rows, so answers are exact whatever its backlog; a growing backlog only makes them slower. */
export type RollupJournalHealth = {
  __typename?: 'RollupJournalHealth';
  /** Some gateway instance holds the applier lock and folds the journal. */
  applierRunning: Scalars['Boolean']['output'];
  /** Age of the oldest row not yet folded, in milliseconds; 0 when none. */
  oldestPendingMs: Scalars['Float']['output'];
  /** Journal rows not yet folded. */
  pendingRows: Scalars['Int']['output'];
};

/** How far a rollup's newest bucket trails the newest execution it should hold (executions with a user, for the user rollup). Writes keep the rollups in their own transaction, so a lag means rows reached report_executions without rollup upkeep. Bucket precision: a missing row inside the newest bucket does not show here (INTEGRITY maintenance finds it). */
export type RollupLag = {
  __typename?: 'RollupLag';
  granularity: RollupGranularity;
  /** The rollup has a bucket for the newest execution (or there are none). */
  inStep: Scalars['Boolean']['output'];
  /** Seconds from the end of the newest bucket to the newest execution; 0 when in step, null when the rollup is empty while executions exist. */
  lagSeconds?: Maybe<Scalars['Float']['output']>;
  /** Start of the newest bucket with executions; null when the rollup has none. */
  newestBucket?: Maybe<Scalars['DateTime']['output']>;
  table: Scalars['String']['output'];
};

/** INFO < WARNING < CRITICAL. */
export type Severity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type Subscription = {
  __typename?: 'Subscription';
  /** Every performance alert as it starts and as it clears, over Server-Sent Events (GraphQL over SSE). Writes through any gateway instance are seen at once, writes made straight in SQL within ALERT_POLL_MS. */
  alertRaised: AlertEvent;
};


export type SubscriptionAlertRaisedArgs = {
  minSeverity?: InputMaybe<Severity>;
  types?: InputMaybe<Array<AlertType>>;
};

/** One table: rows, and bytes on disk from the server statistics. */
export type TableHealth = {
  __typename?: 'TableHealth';
  /** Bytes of the rows (the clustered index), from information_schema DATA_LENGTH. */
  dataBytes: Scalars['BigInt']['output'];
  /** Bytes of the secondary indexes, from information_schema INDEX_LENGTH. */
  indexBytes: Scalars['BigInt']['output'];
  name: Scalars['String']['output'];
  /** Exact (COUNT(*)) when the table has at most 50000 rows; otherwise the server's estimate (information_schema TABLE_ROWS, which for InnoDB can be off by tens of percent). rowsExact tells which. */
  rows: Scalars['BigInt']['output'];
  /** True when rows is an exact count, false when it is an estimate. */
  rowsExact: Scalars['Boolean']['output'];
};

export type TableInvalidations = {
  __typename?: 'TableInvalidations';
  count: Scalars['Int']['output'];
  table: Scalars['String']['output'];
};

/** A half-open interval [from, to) on startedAt. Give `from` or `last` (an ISO-8601 duration such as "P90D"), not both; `to` defaults to now. At most 5 years. */
export type TimeWindow = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** HOUR_OF_DAY: slots 0–23 (UTC); DAY_OF_WEEK: ISO weekdays 1 (Monday) to 7. */
export type TrendPattern =
  | 'DAY_OF_WEEK'
  | 'HOUR_OF_DAY';

export type TrendSlot = Node & {
  __typename?: 'TrendSlot';
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  executions: Scalars['Int']['output'];
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  /** This slot's executions ÷ the window's (0 when none). */
  share: Scalars['Float']['output'];
  slot: Scalars['Int']['output'];
};

/** A person who owns or runs reports. */
export type User = Node & {
  __typename?: 'User';
  createdAt: Scalars['DateTime']['output'];
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  role: UserRole;
};

/** What one user owns (all time) and ran inside the window. */
export type UserActivity = Node & {
  __typename?: 'UserActivity';
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  executions: Scalars['Int']['output'];
  /** The newest startedAt of this user's executions inside the window. */
  lastActiveAt?: Maybe<Scalars['DateTime']['output']>;
  /** A global id, unique across types; on Report, User and Execution `id` is the decimal database id. */
  nodeId: Scalars['ID']['output'];
  /** Reports this user owns, all time. */
  reportsOwned: Scalars['Int']['output'];
  segment: UserSegment;
  /** successes ÷ completed among this user's executions. */
  successRate?: Maybe<Scalars['Float']['output']>;
  user: User;
};

export type UserActivityConnection = {
  __typename?: 'UserActivityConnection';
  edges: Array<UserActivityEdge>;
  pageInfo: PageInfo;
  /** Every segment (zeros included) over all the users the filter matches, not only this page; computed anew for every page, like totalCount (not as of the first page). */
  segments: Array<UserSegmentCount>;
  totalCount: Scalars['Int']['output'];
};

export type UserActivityEdge = {
  __typename?: 'UserActivityEdge';
  cursor: Scalars['String']['output'];
  node: UserActivity;
};

/** Sort order; nulls sort last either way and ties break on user id ascending. */
export type UserActivityOrder = {
  direction?: SortDirection;
  field: UserActivityOrderField;
};

export type UserActivityOrderField =
  | 'AVG_DURATION_MS'
  | 'EXECUTIONS'
  | 'ID'
  | 'LAST_ACTIVE_AT'
  | 'REPORTS_OWNED'
  | 'SUCCESS_RATE';

/** Users matching every given condition; an empty list matches nothing. */
export type UserFilter = {
  roles?: InputMaybe<Array<UserRole>>;
  userIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** A user; with an id it updates (or creates) that user, without one it creates one. */
export type UserInput = {
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
  id?: InputMaybe<Scalars['ID']['input']>;
  role: UserRole;
};

/** A user's role. */
export type UserRole =
  | 'ADMIN'
  | 'ANALYST'
  | 'VIEWER';

/** A user by executions in the window, the first that holds: POWER ≥ 100, ACTIVE ≥ 10, OCCASIONAL ≥ 1, INACTIVE ≥ 0. */
export type UserSegment =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'OCCASIONAL'
  | 'POWER';

/** One segment: the users in it and the executions they ran in the window. */
export type UserSegmentCount = {
  __typename?: 'UserSegmentCount';
  executions: Scalars['Int']['output'];
  /** The most executions in the window a user of this segment has; null: no limit. */
  maxExecutions?: Maybe<Scalars['Int']['output']>;
  /** The fewest executions in the window a user of this segment has. */
  minExecutions: Scalars['Int']['output'];
  segment: UserSegment;
  users: Scalars['Int']['output'];
};

/** OPTIMIZED: a relation asked only for its id is read from the foreign key, its join eliminated. */
export type ViewFlag =
  | 'OPTIMIZED';

/** One performance view as the compiler declares it. */
export type ViewInfo = {
  __typename?: 'ViewInfo';
  baseTable: Scalars['String']['output'];
  /** Fields a row offers, relations included. */
  columns: Array<Scalars['String']['output']>;
  defaultWindow: Scalars['String']['output'];
  /** The CREATE OR REPLACE VIEW statement of sqlView. */
  definition: Scalars['String']['output'];
  description: Scalars['String']['output'];
  dimensions: Array<Scalars['String']['output']>;
  flags: Array<ViewFlag>;
  measures: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  relations: Array<ViewRelation>;
  /** The SQL the gateway runs for the default arguments and the catalog selection. */
  sql: Scalars['String']['output'];
  /** The MySQL view with the same default semantics. */
  sqlView: Scalars['String']['output'];
  timeColumn: Scalars['String']['output'];
};

export type ViewRelation = {
  __typename?: 'ViewRelation';
  entity: Scalars['String']['output'];
  field: Scalars['String']['output'];
  foreignKey: Scalars['String']['output'];
  /** INNER or OUTER. */
  join: Scalars['String']['output'];
  /** many-to-one or one-to-one. */
  kind: Scalars['String']['output'];
};

export type AlertFragment = { __typename?: 'PerformanceAlert', type: AlertType, severity: Severity, value: number, threshold: number, detail: string, observedAt: string, report: { __typename?: 'Report', id: string, name: string }, execution?: { __typename?: 'Execution', id: string } | null };

export type AlertStreamSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AlertStreamSubscription = { __typename?: 'Subscription', alertRaised: { __typename?: 'AlertEvent', change: AlertChange, alert: { __typename?: 'PerformanceAlert', type: AlertType, severity: Severity, value: number, threshold: number, detail: string, observedAt: string, report: { __typename?: 'Report', id: string, name: string }, execution?: { __typename?: 'Execution', id: string } | null } } };

export type BusiestReportsPageQueryVariables = Exact<{
  window: TimeWindow;
  reportFilter?: InputMaybe<ReportFilter>;
  reportOrder?: InputMaybe<ReportsSummaryOrder>;
  reportsFirst?: InputMaybe<Scalars['Int']['input']>;
  reportsAfter?: InputMaybe<Scalars['String']['input']>;
  reportsLast?: InputMaybe<Scalars['Int']['input']>;
  reportsBefore?: InputMaybe<Scalars['String']['input']>;
}>;


export type BusiestReportsPageQuery = { __typename?: 'Query', reportsSummary: { __typename?: 'ReportSummaryConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', startCursor?: string | null, endCursor?: string | null, hasNextPage: boolean, hasPreviousPage: boolean }, edges: Array<{ __typename?: 'ReportSummaryEdge', node: { __typename?: 'ReportSummary', executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null, lastExecutedAt?: string | null, report: { __typename?: 'Report', id: string, name: string, provider: Provider, category: ReportCategory } } }> } };

export type BusiestReportsFragment = { __typename?: 'Query', reportsSummary: { __typename?: 'ReportSummaryConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', startCursor?: string | null, endCursor?: string | null, hasNextPage: boolean, hasPreviousPage: boolean }, edges: Array<{ __typename?: 'ReportSummaryEdge', node: { __typename?: 'ReportSummary', executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null, lastExecutedAt?: string | null, report: { __typename?: 'Report', id: string, name: string, provider: Provider, category: ReportCategory } } }> } };

export type DashboardQueryVariables = Exact<{
  window: TimeWindow;
  granularity: Granularity;
  stackBy: MetricDimension;
  reportFilter?: InputMaybe<ReportFilter>;
  reportOrder?: InputMaybe<ReportsSummaryOrder>;
  reportsFirst?: InputMaybe<Scalars['Int']['input']>;
  reportsAfter?: InputMaybe<Scalars['String']['input']>;
  reportsLast?: InputMaybe<Scalars['Int']['input']>;
  reportsBefore?: InputMaybe<Scalars['String']['input']>;
  statuses?: InputMaybe<Array<ExecutionStatus> | ExecutionStatus>;
  recentFirst?: InputMaybe<Scalars['Int']['input']>;
  recentAfter?: InputMaybe<Scalars['String']['input']>;
}>;


export type DashboardQuery = { __typename?: 'Query', stacked: Array<{ __typename?: 'ExecutionMetricsBucket', bucketStart: string, provider?: Provider | null, category?: ReportCategory | null, executions: number }>, overTime: Array<{ __typename?: 'ExecutionMetricsBucket', bucketStart: string, executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null }>, providerPerformance: Array<{ __typename?: 'ProviderPerformance', provider: Provider, executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null }>, categoryPerformance: Array<{ __typename?: 'CategoryPerformance', category: ReportCategory, executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null }>, userActivity: { __typename?: 'UserActivityConnection', totalCount: number, segments: Array<{ __typename?: 'UserSegmentCount', segment: UserSegment, minExecutions: number, maxExecutions?: number | null, users: number, executions: number }> }, hourOfDay: { __typename?: 'ExecutionTrends', slots: Array<{ __typename?: 'TrendSlot', slot: number, executions: number, share: number, avgDurationMs?: number | null }> }, dayOfWeek: { __typename?: 'ExecutionTrends', slots: Array<{ __typename?: 'TrendSlot', slot: number, executions: number, share: number, avgDurationMs?: number | null }> }, performanceAlerts: Array<{ __typename?: 'PerformanceAlert', type: AlertType, severity: Severity, value: number, threshold: number, detail: string, observedAt: string, report: { __typename?: 'Report', id: string, name: string }, execution?: { __typename?: 'Execution', id: string } | null }>, reportsSummary: { __typename?: 'ReportSummaryConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', startCursor?: string | null, endCursor?: string | null, hasNextPage: boolean, hasPreviousPage: boolean }, edges: Array<{ __typename?: 'ReportSummaryEdge', node: { __typename?: 'ReportSummary', executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null, lastExecutedAt?: string | null, report: { __typename?: 'Report', id: string, name: string, provider: Provider, category: ReportCategory } } }> }, recentExecutions: { __typename?: 'ExecutionConnection', pageInfo: { __typename?: 'PageInfo', endCursor?: string | null, hasNextPage: boolean }, edges: Array<{ __typename?: 'ExecutionEdge', node: { __typename?: 'Execution', id: string, startedAt: string, status: ExecutionStatus, durationMs?: number | null, report: { __typename?: 'Report', name: string }, executedBy?: { __typename?: 'User', displayName: string } | null } }> } };

type Comparison_CategoryPerformance_Fragment = { __typename?: 'CategoryPerformance', executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null };

type Comparison_ExecutionMetricsBucket_Fragment = { __typename?: 'ExecutionMetricsBucket', executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null };

type Comparison_ProviderPerformance_Fragment = { __typename?: 'ProviderPerformance', executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null };

type Comparison_ReportSummary_Fragment = { __typename?: 'ReportSummary', executions: number, successRate?: number | null, avgDurationMs?: number | null, p95DurationMs?: number | null };

export type ComparisonFragment = Comparison_CategoryPerformance_Fragment | Comparison_ExecutionMetricsBucket_Fragment | Comparison_ProviderPerformance_Fragment | Comparison_ReportSummary_Fragment;

export type TrendFragment = { __typename?: 'ExecutionTrends', slots: Array<{ __typename?: 'TrendSlot', slot: number, executions: number, share: number, avgDurationMs?: number | null }> };

export type RecentRunsPageQueryVariables = Exact<{
  window: TimeWindow;
  statuses?: InputMaybe<Array<ExecutionStatus> | ExecutionStatus>;
  recentFirst?: InputMaybe<Scalars['Int']['input']>;
  recentAfter?: InputMaybe<Scalars['String']['input']>;
}>;


export type RecentRunsPageQuery = { __typename?: 'Query', recentExecutions: { __typename?: 'ExecutionConnection', pageInfo: { __typename?: 'PageInfo', endCursor?: string | null, hasNextPage: boolean }, edges: Array<{ __typename?: 'ExecutionEdge', node: { __typename?: 'Execution', id: string, startedAt: string, status: ExecutionStatus, durationMs?: number | null, report: { __typename?: 'Report', name: string }, executedBy?: { __typename?: 'User', displayName: string } | null } }> } };

export type RecentRunsFragment = { __typename?: 'Query', recentExecutions: { __typename?: 'ExecutionConnection', pageInfo: { __typename?: 'PageInfo', endCursor?: string | null, hasNextPage: boolean }, edges: Array<{ __typename?: 'ExecutionEdge', node: { __typename?: 'Execution', id: string, startedAt: string, status: ExecutionStatus, durationMs?: number | null, report: { __typename?: 'Report', name: string }, executedBy?: { __typename?: 'User', displayName: string } | null } }> } };

export const AlertFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Alert"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PerformanceAlert"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"observedAt"}},{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AlertFragment, unknown>;
export const BusiestReportsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BusiestReports"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Query"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reportsSummary"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"window"},"value":{"kind":"Variable","name":{"kind":"Name","value":"window"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reportFilter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reportOrder"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reportsFirst"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reportsAfter"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reportsLast"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reportsBefore"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"category"}}]}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"successRate"}},{"kind":"Field","name":{"kind":"Name","value":"avgDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95DurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"lastExecutedAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<BusiestReportsFragment, unknown>;
export const ComparisonFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Comparison"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExecutionMetrics"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"successRate"}},{"kind":"Field","name":{"kind":"Name","value":"avgDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95DurationMs"}}]}}]} as unknown as DocumentNode<ComparisonFragment, unknown>;
export const TrendFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Trend"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExecutionTrends"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slots"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slot"}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"share"}},{"kind":"Field","name":{"kind":"Name","value":"avgDurationMs"}}]}}]}}]} as unknown as DocumentNode<TrendFragment, unknown>;
export const RecentRunsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RecentRuns"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Query"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recentExecutions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"window"},"value":{"kind":"Variable","name":{"kind":"Name","value":"window"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"statuses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recentFirst"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recentAfter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"executedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RecentRunsFragment, unknown>;
export const AlertStreamDocument = {"__meta__":{"hash":"749831dbc6002cdecd768350ce094319636d349983b799b4223c2bbb2d1be35f"}} as unknown as DocumentNode<AlertStreamSubscription, AlertStreamSubscriptionVariables>;
export const BusiestReportsPageDocument = {"__meta__":{"hash":"e2ca9df1b71d0bee8d1a548a6de942258c2eb67e671458ff48df9eafe3a745ca"}} as unknown as DocumentNode<BusiestReportsPageQuery, BusiestReportsPageQueryVariables>;
export const DashboardDocument = {"__meta__":{"hash":"c46578787eca9756909dbedb94c61c8d8eae3bd50af83a79c7974ef45dc95252"}} as unknown as DocumentNode<DashboardQuery, DashboardQueryVariables>;
export const RecentRunsPageDocument = {"__meta__":{"hash":"058d242bb9ac3023b1a101d4ea00da6ec623e61c42cedc99325d2b70dfe3e883"}} as unknown as DocumentNode<RecentRunsPageQuery, RecentRunsPageQueryVariables>;