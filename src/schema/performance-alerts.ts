/** `performanceAlerts`: long runs, failing reports and inactive reports [7 days]. */
import { pageSize } from '../views/pagination.js';
import {
  ALERT_ROW,
  ALERT_THRESHOLD_DEFAULTS as defaults,
  alertIdentity,
  ALERT_TYPES,
  PERFORMANCE_ALERTS_DEFAULT_WINDOW,
  SEVERITIES,
  fetchPerformanceAlerts,
  type AlertRow,
  type AlertType as AlertTypeName,
  type Severity as SeverityName,
} from '../views/performance-alerts.js';
import { selectionOf } from '../views/selection.js';
import { windowedView } from './windowed-view.js';
import { tablesRead } from '../views/projection.js';
import { builder } from './builder.js';
import { Execution, Report } from './entities.js';
import { TimeWindow } from './inputs.js';
import { Node } from './node.js';
import { aggregateIdentity, identify } from './aggregate-identity.js';
import type { GatewayContext } from '../server/context.js';
import type { Selection } from '../views/selection.js';
import type { Window } from '../views/time-window.js';

export const AlertType = builder.enumType('AlertType', { values: ALERT_TYPES });
export const Severity = builder.enumType('Severity', {
  description: 'INFO < WARNING < CRITICAL.',
  values: SEVERITIES,
});

export const PerformanceAlert = builder.objectRef<AlertRow>('PerformanceAlert').implement({
  interfaces: [Node],
  fields: (t) => ({
    type: t.field({ type: AlertType, resolve: (alert) => alert.type }),
    severity: t.field({ type: Severity, resolve: (alert) => alert.severity }),
    report: t.field({
      type: Report,
      resolve: (alert, _args, context) =>
        alert.report ?? context.loaders.report.load(alert.report_id),
    }),
    execution: t.field({
      type: Execution,
      nullable: true,
      description: 'The execution, for LONG_RUNNING.',
      resolve: (alert) => alert.execution ?? null,
    }),
    value: t.float({
      description:
        'LONG_RUNNING: the duration in ms; HIGH_FAILURE_RATE: the failure rate; INACTIVE_REPORT: whole days idle.',
      resolve: (alert) => Number(alert.value),
    }),
    threshold: t.float({ resolve: (alert) => Number(alert.threshold) }),
    detail: t.exposeString('detail'),
    observedAt: t.field({
      type: 'DateTime',
      description:
        'LONG_RUNNING: the start; HIGH_FAILURE_RATE: the newest start in the window; INACTIVE_REPORT: the last run, or the creation.',
      resolve: (alert) => alert.observed_at,
    }),
  }),
});

interface AlertArguments {
  types?: readonly AlertTypeName[] | null;
  minSeverity?: SeverityName | null;
  longRunningMs: number;
  failureRateThreshold: number;
  minExecutions: number;
  inactiveDays: number;
  p95ThresholdMs: number;
}

/** The first `limit` alerts under the view's arguments (the window resolved). */
function alerts(
  context: GatewayContext,
  args: AlertArguments,
  window: Window,
  limit: number,
  selection: Selection,
) {
  return fetchPerformanceAlerts(
    context.db,
    {
      window,
      types: args.types ?? ALERT_TYPES,
      minSeverity: args.minSeverity ?? 'INFO',
      longRunningMs: args.longRunningMs,
      failureRateThreshold: args.failureRateThreshold,
      minExecutions: args.minExecutions,
      inactiveDays: args.inactiveDays,
      p95ThresholdMs: args.p95ThresholdMs,
      limit,
    },
    selection,
  );
}

// An alert is its type, report and execution under the thresholds and the types and
// severities asked for; node() reads the alerts again up to the page-size cap, which
// holds every alert a request could have been given.
aggregateIdentity<AlertRow>('PerformanceAlert', {
  view: 'performanceAlerts',
  defaultWindow: PERFORMANCE_ALERTS_DEFAULT_WINDOW,
  shaping: [
    'types',
    'minSeverity',
    'longRunningMs',
    'failureRateThreshold',
    'minExecutions',
    'inactiveDays',
    'p95ThresholdMs',
  ],
  key: alertIdentity,
  validKey: (key) =>
    Array.isArray(key) &&
    key.length === 3 &&
    key.every((part, i) => (i === 2 && part === null) || typeof part === 'string'),
  refetch: (context, args, _keys, selection) =>
    alerts(
      context,
      args as unknown as AlertArguments,
      args.window,
      context.config.maxPageSize,
      selection,
    ),
});

builder.queryField('performanceAlerts', (t) =>
  t.field({
    type: [PerformanceAlert],
    description:
      'Alerts over the window (default the last 7 days), CRITICAL first, then the newest.',
    args: {
      window: t.arg({ type: TimeWindow }),
      types: t.arg({ type: [AlertType], description: 'Default: every type.' }),
      minSeverity: t.arg({ type: Severity }),
      longRunningMs: t.arg.int({ required: true, defaultValue: defaults.longRunningMs }),
      failureRateThreshold: t.arg.float({
        required: true,
        defaultValue: defaults.failureRateThreshold,
      }),
      minExecutions: t.arg.int({ required: true, defaultValue: defaults.minExecutions }),
      inactiveDays: t.arg.int({ required: true, defaultValue: defaults.inactiveDays }),
      p95ThresholdMs: t.arg.int({
        required: true,
        defaultValue: defaults.p95ThresholdMs,
        description:
          'SLOW_P95: a report whose p95 duration (within 0.8 %, see p95DurationMs) exceeds this, ' +
          'with at least minExecutions durations in the window.',
      }),
      first: t.arg.int({
        description: 'At most this many alerts (default and cap: the page-size cap).',
      }),
    },
    resolve: async (_root, args, context, info) => {
      const cap = context.config.maxPageSize;
      const limit = pageSize(args.first ?? cap, cap);
      const tables = tablesRead(['report_executions', 'reports'], ALERT_ROW, selectionOf(info));
      const { value: rows, window } = await windowedView(
        context,
        info,
        args,
        PERFORMANCE_ALERTS_DEFAULT_WINDOW,
        tables,
        (at) => alerts(context, args, at, limit, selectionOf(info)),
      );
      identify(context, 'PerformanceAlert', args, window, rows);
      return rows;
    },
  }),
);
