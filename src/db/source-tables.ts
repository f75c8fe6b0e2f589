/**
 * The tables the application owns and writes: every view answers from them (the
 * rollups and their journal only restate them), so the view cache versions its
 * entries by these and a restore replaces these.
 */
export const SOURCE_TABLES = ['users', 'reports', 'report_executions'] as const;

export type SourceTable = (typeof SOURCE_TABLES)[number];
