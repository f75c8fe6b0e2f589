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
};

/** One run of a report. */
export type Execution = {
  __typename?: 'Execution';
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  durationMs?: Maybe<Scalars['Int']['output']>;
  errorMessage?: Maybe<Scalars['String']['output']>;
  executedBy?: Maybe<User>;
  id: Scalars['ID']['output'];
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

/** Measures of a set of executions. Completed = success + failed + cancelled; rates are fractions in [0, 1] of the completed ones, null when none completed. */
export type ExecutionMetrics = {
  /** Mean of the non-null durations. */
  avgDurationMs?: Maybe<Scalars['Float']['output']>;
  executions: Scalars['Int']['output'];
  /** failures ÷ completed. */
  failureRate?: Maybe<Scalars['Float']['output']>;
  failures: Scalars['Int']['output'];
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

export type Query = {
  __typename?: 'Query';
  /** One execution by id, or null when it does not exist. */
  execution?: Maybe<Execution>;
  /** Executions started in the window (default the last 30 days), ordered startedAt DESC, id DESC. */
  recentExecutions: ExecutionConnection;
  /** One report by id, or null when it does not exist. */
  report?: Maybe<Report>;
  /** Every report matching the filter with its executions in the window (default the last 90 days), zeros included; ordered by executions DESC, then id ASC unless orderBy says otherwise. */
  reportsSummary: ReportSummaryConnection;
  /** One user by id, or null when it does not exist. */
  user?: Maybe<User>;
};


export type QueryExecutionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRecentExecutionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExecutionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryReportArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReportsSummaryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ReportFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ReportsSummaryOrder>;
  window?: InputMaybe<TimeWindow>;
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};

/** A report definition from the catalogue. */
export type Report = {
  __typename?: 'Report';
  active: Scalars['Boolean']['output'];
  category: ReportCategory;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
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

/** Execution measures of one report inside the window. */
export type ReportSummary = ExecutionMetrics & {
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
  | 'SUCCESSES'
  | 'SUCCESS_RATE'
  | 'TOTAL_OUTPUT_BYTES';

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** A half-open interval [from, to) on startedAt. Give `from` or `last` (an ISO-8601 duration such as "P90D"), not both; `to` defaults to now. At most 5 years. */
export type TimeWindow = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A person who owns or runs reports. */
export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTime']['output'];
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  role: UserRole;
};

/** A user's role. */
export type UserRole =
  | 'ADMIN'
  | 'ANALYST'
  | 'VIEWER';

export type EntitiesQueryVariables = Exact<{
  reportId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
  executionId: Scalars['ID']['input'];
}>;


export type EntitiesQuery = { __typename?: 'Query', report?: { __typename?: 'Report', id: string, name: string, description?: string | null, category: ReportCategory, provider: Provider, active: boolean, createdAt: string, owner?: { __typename?: 'User', id: string, email: string } | null } | null, user?: { __typename?: 'User', id: string, email: string, displayName: string, role: UserRole } | null, execution?: { __typename?: 'Execution', id: string, status: ExecutionStatus, report: { __typename?: 'Report', id: string }, executedBy?: { __typename?: 'User', id: string } | null } | null };

export type RecentExecutionsQueryVariables = Exact<{
  window?: InputMaybe<TimeWindow>;
  filter?: InputMaybe<ExecutionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type RecentExecutionsQuery = { __typename?: 'Query', recentExecutions: { __typename?: 'ExecutionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ExecutionEdge', cursor: string, node: { __typename?: 'Execution', id: string, status: ExecutionStatus, startedAt: string, completedAt?: string | null, durationMs?: number | null, outputSizeBytes?: string | null, rowCount?: number | null, errorMessage?: string | null, performanceCategory?: PerformanceCategory | null, outputSizeClass: OutputSizeClass, report: { __typename?: 'Report', id: string, name: string, owner?: { __typename?: 'User', id: string, displayName: string } | null }, executedBy?: { __typename?: 'User', id: string, email: string } | null } }> } };

export type ReportsSummaryQueryVariables = Exact<{
  window?: InputMaybe<TimeWindow>;
  filter?: InputMaybe<ReportFilter>;
  orderBy?: InputMaybe<ReportsSummaryOrder>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ReportsSummaryQuery = { __typename?: 'Query', reportsSummary: { __typename?: 'ReportSummaryConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ReportSummaryEdge', cursor: string, node: { __typename?: 'ReportSummary', executions: number, successes: number, failures: number, cancelled: number, successRate?: number | null, avgDurationMs?: number | null, maxDurationMs?: number | null, totalOutputBytes: string, lastExecutedAt?: string | null, report: { __typename?: 'Report', id: string, name: string, category: ReportCategory, provider: Provider, active: boolean, owner?: { __typename?: 'User', id: string, email: string } | null } } }> } };


export const EntitiesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Entities"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reportId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"report"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reportId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"Field","name":{"kind":"Name","value":"execution"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"executionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"executedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<EntitiesQuery, EntitiesQueryVariables>;
export const RecentExecutionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecentExecutions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"window"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TimeWindow"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ExecutionFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recentExecutions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"window"},"value":{"kind":"Variable","name":{"kind":"Name","value":"window"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"outputSizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"performanceCategory"}},{"kind":"Field","name":{"kind":"Name","value":"outputSizeClass"}},{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"executedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RecentExecutionsQuery, RecentExecutionsQueryVariables>;
export const ReportsSummaryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReportsSummary"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"window"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TimeWindow"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ReportFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ReportsSummaryOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reportsSummary"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"window"},"value":{"kind":"Variable","name":{"kind":"Name","value":"window"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"report"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"executions"}},{"kind":"Field","name":{"kind":"Name","value":"successes"}},{"kind":"Field","name":{"kind":"Name","value":"failures"}},{"kind":"Field","name":{"kind":"Name","value":"cancelled"}},{"kind":"Field","name":{"kind":"Name","value":"successRate"}},{"kind":"Field","name":{"kind":"Name","value":"avgDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"totalOutputBytes"}},{"kind":"Field","name":{"kind":"Name","value":"lastExecutedAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ReportsSummaryQuery, ReportsSummaryQueryVariables>;