/** `subscription { alertRaised }`: alerts as they start and clear (alerts/alert-watch.ts). */
import { Repeater } from 'graphql-yoga';
import { END, alertKey, type AlertChange } from '../alerts/alert-watch.js';
import {
  SEVERITIES,
  type AlertType as AlertTypeName,
  type Severity as SeverityName,
} from '../views/performance-alerts.js';
import { loadOrNull } from '../loaders/entity-loaders.js';
import { identify } from './aggregate-identity.js';
import { builder } from './builder.js';
import { AlertType, PerformanceAlert, Severity } from './performance-alerts.js';

const AlertChangeKind = builder.enumType('AlertChange', {
  values: {
    RAISED: { description: 'The alert started: it was not there at the last look.' },
    CLEARED: { description: 'The alert ended: it is no longer there.' },
  } as const,
});

const AlertEvent = builder.objectRef<AlertChange>('AlertEvent').implement({
  description: 'An alert that started or cleared.',
  fields: (t) => ({
    change: t.field({ type: AlertChangeKind, resolve: (event) => event.change }),
    key: t.id({
      description:
        'The alert’s type, report and execution: the same in its RAISED and CLEARED events ' +
        '(its nodeId names the window of each read).',
      resolve: (event) => alertKey(event.alert),
    }),
    alert: t.field({
      type: PerformanceAlert,
      description:
        'The alert as it was last read (for CLEARED: before it cleared), under performanceAlerts’ ' +
        'default arguments (the last 7 days, default thresholds).',
      resolve: async (event, _args, context) => {
        // A subscription's context lives as long as it does: each event reads its entities
        // anew (the execution as it is now, null once deleted; the report through its loader).
        const { report, user, execution: executions } = context.loaders;
        for (const loader of [report, user, executions]) loader.clearAll();
        const execution =
          event.alert.execution_id === null
            ? null
            : await loadOrNull(executions, String(event.alert.execution_id));
        const alert = { ...event.alert, execution };
        identify(context, 'PerformanceAlert', event.args, event.window, [alert]);
        return alert;
      },
    }),
    at: t.field({
      type: 'DateTime',
      description: 'When the gateway saw the change.',
      resolve: (event) => event.at,
    }),
  }),
});

builder.subscriptionType({});

const rank = (severity: SeverityName) => SEVERITIES.indexOf(severity);

builder.subscriptionField('alertRaised', (t) =>
  t.field({
    type: AlertEvent,
    description:
      'Every performance alert as it starts and as it clears, over Server-Sent Events ' +
      '(GraphQL over SSE). Writes through any gateway instance are seen at once, writes made ' +
      'straight in SQL within ALERT_POLL_MS.',
    args: {
      types: t.arg({ type: [AlertType], description: 'Default: every type.' }),
      minSeverity: t.arg({ type: Severity, description: 'Default: INFO (every alert).' }),
    },
    subscribe: (_root, args, context) => {
      const types: readonly AlertTypeName[] | null | undefined = args.types;
      const minimum = rank(args.minSeverity ?? 'INFO');
      const wanted = (event: AlertChange) =>
        (!types || types.includes(event.alert.type)) && rank(event.alert.severity) >= minimum;
      return new Repeater<AlertChange>(async (push, stop) => {
        let unsubscribe: (() => void) | undefined;
        try {
          const client =
            context.client === undefined
              ? undefined
              : { id: context.client, max: context.config.maxSubscriptionsPerClient };
          unsubscribe = await context.alerts.subscribe((event) => {
            if (event === END) stop();
            else if (wanted(event)) {
              // A client 1 024 events behind loses its stream (the push throws or rejects).
              try {
                push(event).catch((error: unknown) => stop(error));
              } catch (error) {
                stop(error);
              }
            }
          }, client);
        } catch (error) {
          stop(error);
          return;
        }
        await stop;
        unsubscribe();
      });
    },
    resolve: (event) => event,
  }),
);
