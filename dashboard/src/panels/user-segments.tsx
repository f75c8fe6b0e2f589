/** Users by activity segment: how many users, and how many executions each segment ran. */
import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { ChartWithTable, colourOf, Panel, type Column } from '../chart';
import { formatCount } from '../format';
import type { DashboardQuery, UserSegment } from '../gql/graphql';
import type { ResolvedWindow } from '../time-window';

const SEGMENTS: { segment: UserSegment; rule: string }[] = [
  { segment: 'POWER', rule: '≥ 100 executions' },
  { segment: 'ACTIVE', rule: '10–99' },
  { segment: 'OCCASIONAL', rule: '1–9' },
  { segment: 'INACTIVE', rule: 'none' },
];

interface SegmentRow {
  segment: UserSegment;
  rule: string;
  users: number;
  executions: number;
}

export function UserSegments({
  activity,
  window,
}: {
  activity: DashboardQuery['userActivity'];
  window: ResolvedWindow;
}) {
  const rows = useMemo<SegmentRow[]>(
    () =>
      SEGMENTS.map(({ segment, rule }) => {
        const users = activity.edges.filter((edge) => edge.node.segment === segment);
        return {
          segment,
          rule,
          users: users.length,
          executions: users.reduce((sum, edge) => sum + edge.node.executions, 0),
        };
      }),
    [activity],
  );
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'doughnut',
      data: {
        labels: rows.map((row) => `${row.segment} (${row.rule})`),
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
  const columns: Column<SegmentRow>[] = [
    { key: 'segment', header: 'segment', value: (row) => row.segment },
    { key: 'rule', header: 'executions in window', value: (row) => row.rule },
    { key: 'users', header: 'users', value: (row) => row.users, format: formatCount },
    {
      key: 'executions',
      header: 'executions',
      value: (row) => row.executions,
      format: formatCount,
    },
  ];
  const partial = activity.edges.length < activity.totalCount;
  return (
    <Panel
      id="user-segments"
      title="Users by activity segment (users)"
      covers={`${window.label}${partial ? ` · the ${activity.edges.length} most active of ${activity.totalCount} users` : ` · all ${activity.totalCount} users`}`}
    >
      <ChartWithTable config={config} label="Users by segment" rows={rows} columns={columns} />
    </Panel>
  );
}
