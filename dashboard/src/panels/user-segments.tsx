/** Users by activity segment: how many users, and how many executions each segment ran. */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartWithTable, colourOf, Panel, type Column } from '../chart';
import { formatCount } from '../format';
import type { DashboardQuery } from '../gql/graphql';
import type { ResolvedWindow } from '../time-window';

type SegmentRow = DashboardQuery['userActivity']['segments'][number];

/** The executions in the window a member has, as the API declares them: "10–99", "≥ 100". */
function range({ minExecutions: min, maxExecutions: max }: SegmentRow): string {
  if (max === null || max === undefined) return `≥ ${formatCount(min)}`;
  return min === max ? formatCount(min) : `${formatCount(min)}–${formatCount(max)}`;
}

const COLUMNS: Column<SegmentRow>[] = [
  { key: 'segment', header: 'segment', value: (row) => row.segment },
  { key: 'range', header: 'executions each', value: range },
  { key: 'users', header: 'users', value: (row) => row.users, format: formatCount },
  { key: 'executions', header: 'executions', value: (row) => row.executions, format: formatCount },
];

export function UserSegments({
  activity,
  window,
}: {
  activity: DashboardQuery['userActivity'];
  window: ResolvedWindow;
}) {
  const rows = activity.segments;
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'doughnut',
      data: {
        labels: rows.map((row) => `${row.segment} (${range(row)})`),
        datasets: [
          {
            label: 'users',
            data: rows.map((row) => row.users),
            backgroundColor: rows.map((_, index) => colourOf('', index)),
          },
        ],
      },
      options: { plugins: { legend: { position: 'bottom' } } },
    }),
    [rows],
  );
  return (
    <Panel
      id="user-segments"
      title="Users by activity segment (users)"
      covers={`${window.label} · all ${formatCount(activity.totalCount)} users, by their executions`}
    >
      <ChartWithTable config={config} label="Users by segment" rows={rows} columns={COLUMNS} />
    </Panel>
  );
}
