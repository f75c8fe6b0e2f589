/** The busiest reports: sortable by any column, paged, filtered by provider and category. */
import { DataTable, Panel, type Column } from '../chart';
import { CATEGORIES, PROVIDERS } from '../dimensions';
import { measureColumns } from '../measure-columns';
import { formatCount, formatTime } from '../format';
import type {
  BusiestReportsFragment,
  Provider,
  ReportCategory,
  ReportsSummaryOrderField,
  SortDirection,
} from '../gql/graphql';
import type { ResolvedWindow } from '../time-window';

export const PAGE_SIZE = 10;

/** What the table asks: its filter, order and page (sent as the query's variables). */
export interface ReportsTableState {
  provider: Provider | '';
  category: ReportCategory | '';
  field: ReportsSummaryOrderField;
  direction: SortDirection;
  page:
    | { reportsFirst: number; reportsAfter?: string }
    | { reportsLast: number; reportsBefore: string };
}

export const FIRST_REPORTS_PAGE: ReportsTableState['page'] = { reportsFirst: PAGE_SIZE };

/** The query variables for a table state. */
export function reportsVariables(state: ReportsTableState) {
  return {
    reportFilter: {
      ...(state.provider ? { providers: [state.provider] } : {}),
      ...(state.category ? { categories: [state.category] } : {}),
    },
    reportOrder: { field: state.field, direction: state.direction },
    ...state.page,
  };
}

type Row = BusiestReportsFragment['reportsSummary']['edges'][number]['node'];

const COLUMNS: Column<Row>[] = [
  { key: 'name', header: 'report', value: (row) => row.report.name },
  { key: 'provider', header: 'provider', value: (row) => row.report.provider },
  { key: 'category', header: 'category', value: (row) => row.report.category },
  ...measureColumns<Row>(),
  {
    key: 'lastExecutedAt',
    header: 'last run',
    value: (row) => row.lastExecutedAt,
    format: formatTime,
  },
];

/** The order field of each sortable column. */
const SORTS: Partial<Record<string, ReportsSummaryOrderField>> = {
  name: 'NAME',
  executions: 'EXECUTIONS',
  successRate: 'SUCCESS_RATE',
  avgDurationMs: 'AVG_DURATION_MS',
  p95DurationMs: 'P95_DURATION_MS',
  lastExecutedAt: 'LAST_EXECUTED_AT',
};

export function BusiestReports({
  summary,
  state,
  onChange,
  window,
  loading,
  busy,
}: {
  summary: BusiestReportsFragment['reportsSummary'];
  state: ReportsTableState;
  onChange: (state: ReportsTableState) => void;
  window: ResolvedWindow;
  loading: boolean;
  /** A request is on its way: the controls wait for it. */
  busy: boolean;
}) {
  const refine = (change: Partial<ReportsTableState>) =>
    onChange({ ...state, page: FIRST_REPORTS_PAGE, ...change });
  const sortBy = (field: ReportsSummaryOrderField) =>
    refine({
      field,
      direction: state.field === field && state.direction === 'DESC' ? 'ASC' : 'DESC',
    });
  const { pageInfo } = summary;
  const columns = COLUMNS.map((column) => {
    const sort = SORTS[column.key];
    if (!sort) return column;
    const arrow = state.field === sort ? (state.direction === 'DESC' ? ' ▼' : ' ▲') : '';
    const header = (
      <button type="button" data-sort={sort} disabled={busy} onClick={() => sortBy(sort)}>
        {column.header}
        {arrow}
      </button>
    );
    return { ...column, header };
  });
  const tools = (
    <div className="tools">
      <label>
        provider{' '}
        <select
          value={state.provider}
          disabled={busy}
          data-filter="provider"
          onChange={(event) => refine({ provider: event.target.value as Provider | '' })}
        >
          <option value="">all</option>
          {PROVIDERS.map((provider) => (
            <option key={provider}>{provider}</option>
          ))}
        </select>
      </label>
      <label>
        category{' '}
        <select
          value={state.category}
          disabled={busy}
          data-filter="category"
          onChange={(event) => refine({ category: event.target.value as ReportCategory | '' })}
        >
          <option value="">all</option>
          {CATEGORIES.map((category) => (
            <option key={category}>{category}</option>
          ))}
        </select>
      </label>
    </div>
  );
  return (
    <Panel
      id="busiest-reports"
      className="full"
      title="Busiest reports (executions, success rate, durations)"
      covers={`${window.label} · ${formatCount(summary.totalCount)} reports`}
      tools={tools}
    >
      <div className={loading ? 'loading' : ''}>
        <DataTable rows={summary.edges.map((edge) => edge.node)} columns={columns} />
      </div>
      <nav className="pager">
        <button
          type="button"
          data-page="previous"
          disabled={busy || !pageInfo.hasPreviousPage || !pageInfo.startCursor}
          onClick={() =>
            onChange({
              ...state,
              page: { reportsLast: PAGE_SIZE, reportsBefore: pageInfo.startCursor! },
            })
          }
        >
          ← previous
        </button>
        <button
          type="button"
          data-page="next"
          disabled={busy || !pageInfo.hasNextPage || !pageInfo.endCursor}
          onClick={() =>
            onChange({
              ...state,
              page: { reportsFirst: PAGE_SIZE, reportsAfter: pageInfo.endCursor! },
            })
          }
        >
          next →
        </button>
      </nav>
    </Panel>
  );
}
