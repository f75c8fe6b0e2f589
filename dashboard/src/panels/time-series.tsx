/** Executions over time stacked by provider or category; success rate and durations over time. */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartWithTable, colourOf, Panel, type Column } from '../chart';
import { bucketLabel, formatCount } from '../format';
import type { DashboardQuery, MetricDimension } from '../gql/graphql';
import { measureColumns } from '../measure-columns';
import type { ResolvedWindow } from '../time-window';

type StackedBucket = DashboardQuery['stacked'][number];
type Bucket = DashboardQuery['overTime'][number];

interface StackedRow {
  bucketStart: string;
  [series: string]: string | number;
}

export function ExecutionsOverTime({
  buckets,
  stackBy,
  window,
  tools,
}: {
  buckets: readonly StackedBucket[];
  stackBy: MetricDimension;
  window: ResolvedWindow;
  tools: React.ReactNode;
}) {
  const { rows, series } = useMemo(() => {
    const byBucket = new Map<string, StackedRow>();
    const names = new Set<string>();
    for (const bucket of buckets) {
      const name = (stackBy === 'PROVIDER' ? bucket.provider : bucket.category) ?? 'NONE';
      names.add(name);
      const row = byBucket.get(bucket.bucketStart) ?? { bucketStart: bucket.bucketStart };
      row[name] = bucket.executions;
      byBucket.set(bucket.bucketStart, row);
    }
    return { rows: [...byBucket.values()], series: [...names].sort() };
  }, [buckets, stackBy]);
  const hourly = window.granularity === 'HOUR';
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((row) => bucketLabel(row.bucketStart, hourly)),
        datasets: series.map((name, index) => ({
          label: name,
          data: rows.map((row) => Number(row[name] ?? 0)),
          backgroundColor: colourOf(name, index),
          stack: 'executions',
        })),
      },
      options: {
        scales: {
          x: { stacked: true },
          y: { stacked: true, title: { display: true, text: 'executions' } },
        },
      },
    }),
    [rows, series, hourly],
  );
  const columns: Column<StackedRow>[] = [
    { key: 'bucketStart', header: 'bucket start (UTC)', value: (row) => row.bucketStart },
    ...series.map((name) => ({
      key: name,
      header: name,
      value: (row: StackedRow) => Number(row[name] ?? 0),
      format: formatCount,
    })),
  ];
  const by = stackBy === 'PROVIDER' ? 'provider' : 'category';
  return (
    <Panel
      id="executions-over-time"
      className="wide"
      title={`Executions ${window.bucketLabel}, stacked by ${by} (count)`}
      covers={window.label}
      tools={tools}
    >
      <ChartWithTable
        config={config}
        label={`Executions ${window.bucketLabel} by ${by}`}
        rows={rows}
        columns={columns}
      />
    </Panel>
  );
}

export function RatesOverTime({
  buckets,
  window,
}: {
  buckets: readonly Bucket[];
  window: ResolvedWindow;
}) {
  const hourly = window.granularity === 'HOUR';
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: buckets.map((bucket) => bucketLabel(bucket.bucketStart, hourly)),
        datasets: [
          {
            label: 'success rate (%)',
            data: buckets.map((b) =>
              b.successRate === null || b.successRate === undefined ? null : b.successRate * 100,
            ),
            borderColor: '#16a34a',
            backgroundColor: '#16a34a',
            yAxisID: 'rate',
            spanGaps: true,
          },
          {
            label: 'mean duration (s)',
            data: buckets.map((b) =>
              b.avgDurationMs === null || b.avgDurationMs === undefined
                ? null
                : b.avgDurationMs / 1_000,
            ),
            borderColor: '#2563eb',
            backgroundColor: '#2563eb',
            yAxisID: 'duration',
            spanGaps: true,
          },
          {
            label: 'p95 duration (s)',
            data: buckets.map((b) =>
              b.p95DurationMs === null || b.p95DurationMs === undefined
                ? null
                : b.p95DurationMs / 1_000,
            ),
            borderColor: '#9333ea',
            backgroundColor: '#9333ea',
            borderDash: [4, 3],
            yAxisID: 'duration',
            spanGaps: true,
          },
        ],
      },
      options: {
        elements: { point: { radius: 0 } },
        scales: {
          rate: {
            position: 'left',
            min: 0,
            max: 100,
            title: { display: true, text: 'success rate (%)' },
          },
          duration: {
            position: 'right',
            min: 0,
            title: { display: true, text: 'duration (s)' },
            grid: { drawOnChartArea: false },
          },
        },
      },
    }),
    [buckets, hourly],
  );
  const columns: Column<Bucket>[] = [
    { key: 'bucketStart', header: 'bucket start (UTC)', value: (b) => b.bucketStart },
    ...measureColumns<Bucket>(),
  ];
  return (
    <Panel
      id="rates-over-time"
      className="wide"
      title={`Success rate (%) and duration (s) ${window.bucketLabel}`}
      covers={window.label}
    >
      <ChartWithTable
        config={config}
        label="Success rate and durations over time"
        rows={buckets}
        columns={columns}
      />
    </Panel>
  );
}
