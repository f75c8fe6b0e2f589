/** Providers or categories side by side: executions, success rate, mean and p95 duration. */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartWithTable, colourOf, Panel, type Column } from '../chart';
import { formatCount, formatDuration, formatRate } from '../format';
import type { ComparisonFragment } from '../gql/graphql';
import type { ResolvedWindow } from '../time-window';

export type ComparedRow = ComparisonFragment & { name: string };

export function Comparison({
  id,
  dimension,
  rows,
  window,
}: {
  id: string;
  dimension: 'provider' | 'category';
  rows: readonly ComparedRow[];
  window: ResolvedWindow;
}) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((row) => row.name),
        datasets: [
          {
            label: 'executions',
            data: rows.map((row) => row.executions),
            backgroundColor: rows.map((row, index) => colourOf(row.name, index)),
            xAxisID: 'x',
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: { title: { display: true, text: 'executions' } } },
      },
    }),
    [rows],
  );
  const columns: Column<ComparedRow>[] = [
    { key: 'name', header: dimension, value: (row) => row.name },
    {
      key: 'executions',
      header: 'executions',
      value: (row) => row.executions,
      format: formatCount,
    },
    {
      key: 'successRate',
      header: 'success rate',
      value: (row) => row.successRate,
      format: formatRate,
    },
    {
      key: 'avgDurationMs',
      header: 'mean duration',
      value: (row) => row.avgDurationMs,
      format: formatDuration,
    },
    {
      key: 'p95DurationMs',
      header: 'p95 duration',
      value: (row) => row.p95DurationMs,
      format: formatDuration,
    },
  ];
  return (
    <Panel
      id={id}
      title={`Executions by ${dimension} (count), with success rate and durations`}
      covers={window.label}
    >
      <ChartWithTable
        config={config}
        label={`Executions by ${dimension}`}
        rows={rows}
        columns={columns}
      />
    </Panel>
  );
}
