/** `executionTrends`: executions per hour of day or day of week [30 days]. */
import {
  EXECUTION_TRENDS_DEFAULT_WINDOW,
  fetchExecutionTrends,
  type TrendPattern,
  type TrendSlot as TrendSlotShape,
  type Trends,
} from '../views/execution-trends.js';
import { windowedView } from './windowed-view.js';
import { builder } from './builder.js';
import { ReportFilter, TimeWindow } from './inputs.js';
import { Node } from './node.js';
import { aggregateIdentity, identify } from './aggregate-identity.js';
import type { ReportFilterInput } from '../views/filters.js';
import type { GatewayContext } from '../server/context.js';
import type { Window } from '../views/time-window.js';

const TrendPattern = builder.enumType('TrendPattern', {
  description: 'HOUR_OF_DAY: slots 0–23 (UTC); DAY_OF_WEEK: ISO weekdays 1 (Monday) to 7.',
  values: ['HOUR_OF_DAY', 'DAY_OF_WEEK'] as const,
});

const TrendSlot = builder.objectRef<TrendSlotShape>('TrendSlot').implement({
  interfaces: [Node],
  fields: (t) => ({
    slot: t.exposeInt('slot'),
    executions: t.exposeInt('executions'),
    share: t.exposeFloat('share', {
      description: "This slot's executions ÷ the window's (0 when none).",
    }),
    avgDurationMs: t.exposeFloat('avgDurationMs', { nullable: true }),
  }),
});

const ExecutionTrends = builder.objectRef<Trends>('ExecutionTrends').implement({
  interfaces: [Node],
  fields: (t) => ({
    pattern: t.field({ type: TrendPattern, resolve: (trends) => trends.pattern }),
    slots: t.field({
      type: [TrendSlot],
      description: 'Every slot, zeros included.',
      resolve: (trends) => trends.slots,
    }),
    peak: t.field({
      type: TrendSlot,
      nullable: true,
      description:
        'The slot with the most executions (the lowest on ties); null without executions.',
      resolve: (trends) => trends.peak,
    }),
  }),
});

interface TrendsArguments {
  pattern: TrendPattern;
  filter?: ReportFilterInput | null;
}

function trends(context: GatewayContext, args: TrendsArguments, window: Window) {
  return fetchExecutionTrends(context.db, { window, pattern: args.pattern, filter: args.filter });
}

/** The trend and its slots are nodes of one view run: the trend has one key, a slot its number. */
function identifyTrends(
  context: GatewayContext,
  args: TrendsArguments,
  window: Window,
  found: Trends,
) {
  identify(context, 'ExecutionTrends', args, window, [found]);
  identify(context, 'TrendSlot', args, window, [...found.slots, found.peak]);
}

const TREND_IDENTITY = {
  view: 'executionTrends',
  defaultWindow: EXECUTION_TRENDS_DEFAULT_WINDOW,
  shaping: ['pattern', 'filter'],
} as const;

aggregateIdentity<Trends>('ExecutionTrends', {
  ...TREND_IDENTITY,
  key: () => 'trends',
  validKey: (key) => key === 'trends',
  refetch: async (context, args) => {
    const found = await trends(context, args as unknown as TrendsArguments, args.window);
    identifyTrends(context, args as unknown as TrendsArguments, args.window, found);
    return [found];
  },
});

aggregateIdentity<TrendSlotShape>('TrendSlot', {
  ...TREND_IDENTITY,
  key: (slot) => slot.slot,
  validKey: (key) => Number.isInteger(key),
  refetch: async (context, args) =>
    (await trends(context, args as unknown as TrendsArguments, args.window)).slots,
});

builder.queryField('executionTrends', (t) =>
  t.field({
    type: ExecutionTrends,
    description:
      'How executions in the window (default the last 30 days) spread over the day or the week.',
    args: {
      window: t.arg({ type: TimeWindow }),
      pattern: t.arg({ type: TrendPattern, required: true, defaultValue: 'HOUR_OF_DAY' }),
      filter: t.arg({ type: ReportFilter }),
    },
    resolve: async (_root, args, context, info) => {
      const { value: found, window } = await windowedView(
        context,
        info,
        args,
        EXECUTION_TRENDS_DEFAULT_WINDOW,
        ['report_executions', 'reports'],
        (at) => trends(context, args, at),
      );
      identifyTrends(context, args, window, found);
      return found;
    },
  }),
);
