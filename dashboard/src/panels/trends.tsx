/** When executions happen: by hour of the day and by weekday (UTC). */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartWithTable, Panel, type Column } from '../chart';
import { formatCount, formatDuration, formatRate, WEEKDAYS } from '../format';
import type { TrendFragment } from '../gql/graphql';
import type { ResolvedWindow } from '../time-window';

type Slot = TrendFragment['slots'][number];

export function Trend({
  pattern,
  trend,
  window,
}: {
  pattern: 'HOUR_OF_DAY' | 'DAY_OF_WEEK';
  trend: TrendFragment;
  window: ResolvedWindow;
}) {
  const hourly = pattern === 'HOUR_OF_DAY';
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: trend.slots.map(({ slot }) =>
          hourly ? `${String(slot).padStart(2, '0')}:00` : (WEEKDAYS[slot - 1] ?? String(slot)),
        ),
        datasets: [
          {
            label: 'executions',
            data: trend.slots.map((slot) => slot.executions),
            backgroundColor: '#0891b2',
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { title: { display: true, text: 'executions' } } },
      },
    }),
    [trend, hourly],
  );
  const columns: Column<Slot>[] = [
    { key: 'slot', header: hourly ? 'hour (UTC)' : 'ISO weekday', value: (slot) => slot.slot },
    {
      key: 'executions',
      header: 'executions',
      value: (slot) => slot.executions,
      format: formatCount,
    },
    { key: 'share', header: 'share', value: (slot) => slot.share, format: formatRate },
    {
      key: 'avgDurationMs',
      header: 'mean duration',
      value: (slot) => slot.avgDurationMs,
      format: formatDuration,
    },
  ];
  return (
    <Panel
      id={hourly ? 'trend-hour' : 'trend-weekday'}
      className={hourly ? 'wide' : ''}
      title={
        hourly ? 'Executions by hour of day (count, UTC)' : 'Executions by weekday (count, UTC)'
      }
      covers={window.label}
    >
      <ChartWithTable
        config={config}
        label={hourly ? 'Executions by hour' : 'Executions by weekday'}
        rows={trend.slots}
        columns={columns}
      />
    </Panel>
  );
}
