/**
 * The view catalog: each performance view declared once for BI users and for
 * `explain`: its SQL view, base table, time column, default window, dimensions,
 * measures, and the row model the compiler projects (with its relations).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALERT_ROW, PERFORMANCE_ALERTS_DEFAULT_WINDOW } from './performance-alerts.js';
import {
  DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
  dimensionRowModel,
} from './dimension-performance.js';
import { EXECUTION_METRICS_DEFAULT_WINDOW, METRICS_BUCKET_ROW } from './execution-metrics.js';
import { EXECUTION_TRENDS_DEFAULT_WINDOW } from './execution-trends.js';
import { INTERFACE_METRICS } from './metrics.js';
import { ENTITIES, type RowModel } from './model.js';
import { RECENT_EXECUTIONS_DEFAULT_WINDOW } from './recent-executions.js';
import { REPORT_SUMMARY_ROW, REPORTS_SUMMARY_DEFAULT_WINDOW } from './reports-summary.js';
import { USER_ACTIVITY_DEFAULT_WINDOW, USER_ACTIVITY_ROW } from './user-activity.js';

export interface ViewEntry {
  /** The Query field. */
  name: string;
  /** The CREATE OR REPLACE VIEW of sql/views with the same semantics. */
  sqlView: string;
  description: string;
  baseTable: string;
  timeColumn: string;
  defaultWindow: string;
  dimensions: string[];
  measures: string[];
  row: RowModel;
  /** Where the rows sit below the field (`edges.node` for connections). */
  nodePath: string[];
  /** The selection the catalog compiles: every relation asked only for its id. */
  defaultSelection: string;
}

const COMMON_MEASURES = [...INTERFACE_METRICS];

export const VIEW_CATALOG: ViewEntry[] = [
  {
    name: 'reportsSummary',
    sqlView: 'mv_reports_summary',
    description: 'Per-report execution statistics, zeros for reports without executions.',
    baseTable: 'reports',
    timeColumn: 'report_executions.started_at',
    defaultWindow: REPORTS_SUMMARY_DEFAULT_WINDOW,
    dimensions: ['report'],
    measures: [...COMMON_MEASURES, 'cancelled', 'maxDurationMs', 'lastExecutedAt'],
    row: REPORT_SUMMARY_ROW,
    nodePath: ['edges', 'node'],
    defaultSelection:
      '{ edges { node { report { id } executions successRate avgDurationMs totalOutputBytes } } }',
  },
  {
    name: 'executionMetrics',
    sqlView: 'mv_daily_execution_metrics',
    description:
      'Executions per UTC hour, day, ISO week or month, optionally per provider and category.',
    baseTable: 'report_executions',
    timeColumn: 'report_executions.started_at',
    defaultWindow: EXECUTION_METRICS_DEFAULT_WINDOW,
    dimensions: ['bucketStart', 'provider', 'category'],
    measures: [...COMMON_MEASURES, 'distinctReports', 'distinctUsers'],
    row: METRICS_BUCKET_ROW,
    nodePath: [],
    defaultSelection:
      '{ bucketStart executions successRate avgDurationMs totalOutputBytes distinctReports distinctUsers }',
  },
  {
    name: 'providerPerformance',
    sqlView: 'mv_provider_performance',
    description: 'Reports and their executions per cloud provider.',
    baseTable: 'reports',
    timeColumn: 'report_executions.started_at',
    defaultWindow: DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
    dimensions: ['provider'],
    measures: [...COMMON_MEASURES, 'reports', 'activeReports', 'bytesPerSecond'],
    row: dimensionRowModel('provider'),
    nodePath: [],
    defaultSelection:
      '{ provider reports activeReports executions successRate avgDurationMs totalOutputBytes bytesPerSecond }',
  },
  {
    name: 'categoryPerformance',
    sqlView: 'mv_category_performance',
    description: 'Reports and their executions per report category.',
    baseTable: 'reports',
    timeColumn: 'report_executions.started_at',
    defaultWindow: DIMENSION_PERFORMANCE_DEFAULT_WINDOW,
    dimensions: ['category'],
    measures: [...COMMON_MEASURES, 'reports', 'activeReports', 'bytesPerSecond'],
    row: dimensionRowModel('category'),
    nodePath: [],
    defaultSelection:
      '{ category reports activeReports executions successRate avgDurationMs totalOutputBytes bytesPerSecond }',
  },
  {
    name: 'userActivity',
    sqlView: 'mv_user_activity',
    description:
      'Per-user reports owned (all time) and executions run in the window, with a segment.',
    baseTable: 'users',
    timeColumn: 'report_executions.started_at',
    defaultWindow: USER_ACTIVITY_DEFAULT_WINDOW,
    dimensions: ['user'],
    measures: [
      'reportsOwned',
      'executions',
      'successRate',
      'avgDurationMs',
      'lastActiveAt',
      'segment',
    ],
    row: USER_ACTIVITY_ROW,
    nodePath: ['edges', 'node'],
    defaultSelection:
      '{ edges { node { user { id } reportsOwned executions successRate avgDurationMs lastActiveAt segment } } }',
  },
  {
    name: 'recentExecutions',
    sqlView: 'mv_recent_executions',
    description: 'Executions newest first, with their report and derived classes.',
    baseTable: 'report_executions',
    timeColumn: 'report_executions.started_at',
    defaultWindow: RECENT_EXECUTIONS_DEFAULT_WINDOW,
    dimensions: ['report', 'executedBy', 'status'],
    measures: [
      'durationMs',
      'outputSizeBytes',
      'rowCount',
      'performanceCategory',
      'outputSizeClass',
    ],
    row: ENTITIES.Execution,
    nodePath: ['edges', 'node'],
    defaultSelection:
      '{ edges { node { id report { id } executedBy { id } status startedAt durationMs outputSizeClass } } }',
  },
  {
    name: 'performanceAlerts',
    sqlView: 'mv_performance_alerts',
    description: 'Long-running executions, reports with a high failure rate, and inactive reports.',
    baseTable: 'report_executions',
    timeColumn: 'report_executions.started_at',
    defaultWindow: PERFORMANCE_ALERTS_DEFAULT_WINDOW,
    dimensions: ['type', 'severity', 'report', 'execution'],
    measures: ['value', 'threshold'],
    row: ALERT_ROW,
    nodePath: [],
    defaultSelection:
      '{ type severity report { id } execution { id } value threshold detail observedAt }',
  },
  {
    name: 'executionTrends',
    sqlView: 'mv_execution_trends',
    description: 'Executions per UTC hour of day or ISO weekday, every slot listed, with the peak.',
    baseTable: 'report_executions',
    timeColumn: 'report_executions.started_at',
    defaultWindow: EXECUTION_TRENDS_DEFAULT_WINDOW,
    dimensions: ['slot'],
    measures: ['executions', 'share', 'avgDurationMs'],
    row: { fields: {}, relations: {} },
    nodePath: [],
    defaultSelection: '{ pattern slots { slot executions share avgDurationMs } peak { slot } }',
  },
];

const VIEWS_DIR = fileURLToPath(new URL('../../sql/views/', import.meta.url));

/** The CREATE OR REPLACE VIEW text of a view. */
export function viewDefinition(entry: ViewEntry): string {
  return readFileSync(`${VIEWS_DIR}${entry.sqlView}.sql`, 'utf8');
}
