/** The newest executions in the window, optionally of some statuses only. */
import { DataTable, Panel, type Column } from '../chart';
import { formatDuration, formatTime } from '../format';
import type { ExecutionStatus, RecentRunsFragment } from '../gql/graphql';
import type { ResolvedWindow } from '../time-window';

export const RECENT_PAGE_SIZE = 20;
const STATUSES: ExecutionStatus[] = ['SUCCESS', 'FAILED', 'CANCELLED', 'RUNNING', 'QUEUED'];

type Row = RecentRunsFragment['recentExecutions']['edges'][number]['node'];

const COLUMNS: Column<Row>[] = [
  { key: 'id', header: 'id', value: (row) => row.id },
  { key: 'startedAt', header: 'started', value: (row) => row.startedAt, format: formatTime },
  { key: 'report', header: 'report', value: (row) => row.report.name },
  { key: 'status', header: 'status', value: (row) => row.status },
  { key: 'durationMs', header: 'duration', value: (row) => row.durationMs, format: formatDuration },
  { key: 'executedBy', header: 'run by', value: (row) => row.executedBy?.displayName },
];

export function RecentExecutions({
  recent,
  status,
  onStatus,
  window,
  loading,
  busy,
}: {
  recent: RecentRunsFragment['recentExecutions'];
  status: ExecutionStatus | '';
  onStatus: (status: ExecutionStatus | '') => void;
  window: ResolvedWindow;
  loading: boolean;
  /** A request is on its way: the filter waits for it. */
  busy: boolean;
}) {
  const tools = (
    <label className="tools">
      status{' '}
      <select
        value={status}
        disabled={busy}
        data-filter="status"
        onChange={(event) => onStatus(event.target.value as ExecutionStatus | '')}
      >
        <option value="">all</option>
        {STATUSES.map((value) => (
          <option key={value}>{value}</option>
        ))}
      </select>
    </label>
  );
  return (
    <Panel
      id="recent-executions"
      className="full"
      title={`Recent executions (newest ${RECENT_PAGE_SIZE}; duration in ms, s or min)`}
      covers={window.label}
      tools={tools}
    >
      <div className={loading ? 'loading' : ''}>
        <DataTable rows={recent.edges.map((edge) => edge.node)} columns={COLUMNS} />
      </div>
    </Panel>
  );
}
