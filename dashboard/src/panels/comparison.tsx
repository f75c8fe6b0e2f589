/** Providers or categories side by side: executions, success rate, mean and p95 duration. */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartWithTable, colourOf, Panel, type Column } from '../chart';
import type { ComparisonFragment } from '../gql/graphql';
import { measureColumns } from '../measure-columns';
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
    ...measureColumns<ComparedRow>(),
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
