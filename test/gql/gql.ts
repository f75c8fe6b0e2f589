/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Entities($reportId: ID!, $userId: ID!, $executionId: ID!) {\n  report(id: $reportId) {\n    id\n    name\n    description\n    category\n    provider\n    active\n    createdAt\n    owner {\n      id\n      email\n    }\n  }\n  user(id: $userId) {\n    id\n    email\n    displayName\n    role\n  }\n  execution(id: $executionId) {\n    id\n    status\n    report {\n      id\n    }\n    executedBy {\n      id\n    }\n  }\n}": typeof types.EntitiesDocument,
    "query RecentExecutions($window: TimeWindow, $filter: ExecutionFilter, $first: Int, $after: String) {\n  recentExecutions(window: $window, filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        status\n        startedAt\n        completedAt\n        durationMs\n        outputSizeBytes\n        rowCount\n        errorMessage\n        performanceCategory\n        outputSizeClass\n        report {\n          id\n          name\n          owner {\n            id\n            displayName\n          }\n        }\n        executedBy {\n          id\n          email\n        }\n      }\n    }\n  }\n}": typeof types.RecentExecutionsDocument,
    "query ReportsSummary($window: TimeWindow, $filter: ReportFilter, $orderBy: ReportsSummaryOrder, $first: Int, $after: String) {\n  reportsSummary(\n    window: $window\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        report {\n          id\n          name\n          category\n          provider\n          active\n          owner {\n            id\n            email\n          }\n        }\n        executions\n        successes\n        failures\n        cancelled\n        successRate\n        avgDurationMs\n        maxDurationMs\n        totalOutputBytes\n        lastExecutedAt\n      }\n    }\n  }\n}": typeof types.ReportsSummaryDocument,
};
const documents: Documents = {
    "query Entities($reportId: ID!, $userId: ID!, $executionId: ID!) {\n  report(id: $reportId) {\n    id\n    name\n    description\n    category\n    provider\n    active\n    createdAt\n    owner {\n      id\n      email\n    }\n  }\n  user(id: $userId) {\n    id\n    email\n    displayName\n    role\n  }\n  execution(id: $executionId) {\n    id\n    status\n    report {\n      id\n    }\n    executedBy {\n      id\n    }\n  }\n}": types.EntitiesDocument,
    "query RecentExecutions($window: TimeWindow, $filter: ExecutionFilter, $first: Int, $after: String) {\n  recentExecutions(window: $window, filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        status\n        startedAt\n        completedAt\n        durationMs\n        outputSizeBytes\n        rowCount\n        errorMessage\n        performanceCategory\n        outputSizeClass\n        report {\n          id\n          name\n          owner {\n            id\n            displayName\n          }\n        }\n        executedBy {\n          id\n          email\n        }\n      }\n    }\n  }\n}": types.RecentExecutionsDocument,
    "query ReportsSummary($window: TimeWindow, $filter: ReportFilter, $orderBy: ReportsSummaryOrder, $first: Int, $after: String) {\n  reportsSummary(\n    window: $window\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        report {\n          id\n          name\n          category\n          provider\n          active\n          owner {\n            id\n            email\n          }\n        }\n        executions\n        successes\n        failures\n        cancelled\n        successRate\n        avgDurationMs\n        maxDurationMs\n        totalOutputBytes\n        lastExecutedAt\n      }\n    }\n  }\n}": types.ReportsSummaryDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Entities($reportId: ID!, $userId: ID!, $executionId: ID!) {\n  report(id: $reportId) {\n    id\n    name\n    description\n    category\n    provider\n    active\n    createdAt\n    owner {\n      id\n      email\n    }\n  }\n  user(id: $userId) {\n    id\n    email\n    displayName\n    role\n  }\n  execution(id: $executionId) {\n    id\n    status\n    report {\n      id\n    }\n    executedBy {\n      id\n    }\n  }\n}"): (typeof documents)["query Entities($reportId: ID!, $userId: ID!, $executionId: ID!) {\n  report(id: $reportId) {\n    id\n    name\n    description\n    category\n    provider\n    active\n    createdAt\n    owner {\n      id\n      email\n    }\n  }\n  user(id: $userId) {\n    id\n    email\n    displayName\n    role\n  }\n  execution(id: $executionId) {\n    id\n    status\n    report {\n      id\n    }\n    executedBy {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RecentExecutions($window: TimeWindow, $filter: ExecutionFilter, $first: Int, $after: String) {\n  recentExecutions(window: $window, filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        status\n        startedAt\n        completedAt\n        durationMs\n        outputSizeBytes\n        rowCount\n        errorMessage\n        performanceCategory\n        outputSizeClass\n        report {\n          id\n          name\n          owner {\n            id\n            displayName\n          }\n        }\n        executedBy {\n          id\n          email\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query RecentExecutions($window: TimeWindow, $filter: ExecutionFilter, $first: Int, $after: String) {\n  recentExecutions(window: $window, filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        status\n        startedAt\n        completedAt\n        durationMs\n        outputSizeBytes\n        rowCount\n        errorMessage\n        performanceCategory\n        outputSizeClass\n        report {\n          id\n          name\n          owner {\n            id\n            displayName\n          }\n        }\n        executedBy {\n          id\n          email\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ReportsSummary($window: TimeWindow, $filter: ReportFilter, $orderBy: ReportsSummaryOrder, $first: Int, $after: String) {\n  reportsSummary(\n    window: $window\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        report {\n          id\n          name\n          category\n          provider\n          active\n          owner {\n            id\n            email\n          }\n        }\n        executions\n        successes\n        failures\n        cancelled\n        successRate\n        avgDurationMs\n        maxDurationMs\n        totalOutputBytes\n        lastExecutedAt\n      }\n    }\n  }\n}"): (typeof documents)["query ReportsSummary($window: TimeWindow, $filter: ReportFilter, $orderBy: ReportsSummaryOrder, $first: Int, $after: String) {\n  reportsSummary(\n    window: $window\n    filter: $filter\n    orderBy: $orderBy\n    first: $first\n    after: $after\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        report {\n          id\n          name\n          category\n          provider\n          active\n          owner {\n            id\n            email\n          }\n        }\n        executions\n        successes\n        failures\n        cancelled\n        successRate\n        avgDurationMs\n        maxDurationMs\n        totalOutputBytes\n        lastExecutedAt\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;