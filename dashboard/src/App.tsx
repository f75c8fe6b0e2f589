/**
 * The dashboard: every panel from one persisted query per window, the busiest reports
 * and recent executions re-asked on their own when their filters change, and alerts
 * kept current by the alert stream. At most 5 requests to show it all: the page, its
 * script and style sheet, the dashboard query and the alert stream.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiKey, execute, RequestError, subscribe } from './client';
import {
  AlertStreamDocument,
  BusiestReportsPageDocument,
  DashboardDocument,
  RecentRunsPageDocument,
  type AlertFragment,
  type DashboardQuery,
  type ExecutionStatus,
  type MetricDimension,
} from './gql/graphql';
import { alertKey, Alerts } from './panels/alerts';
import {
  BusiestReports,
  FIRST_REPORTS_PAGE,
  reportsVariables,
  type ReportsTableState,
} from './panels/busiest-reports';
import { Comparison } from './panels/comparison';
import { RECENT_PAGE_SIZE, RecentExecutions } from './panels/recent-executions';
import { ExecutionsOverTime, RatesOverTime } from './panels/time-series';
import { Trend } from './panels/trends';
import { UserSegments } from './panels/user-segments';
import { WindowPicker } from './window-picker';
import { resolveWindow, type ResolvedWindow, type WindowChoice } from './time-window';

const FIRST_TABLE: ReportsTableState = {
  provider: '',
  category: '',
  field: 'EXECUTIONS',
  direction: 'DESC',
  page: FIRST_REPORTS_PAGE,
};

interface Shown {
  window: ResolvedWindow;
  data: DashboardQuery;
}

const recentVariables = (status: ExecutionStatus | '') => ({
  statuses: status ? [status] : null,
  recentFirst: RECENT_PAGE_SIZE,
});

export function App() {
  const [choice, setChoice] = useState<WindowChoice>({ preset: 'P30D' });
  const [stackBy, setStackBy] = useState<MetricDimension>('PROVIDER');
  const [table, setTable] = useState(FIRST_TABLE);
  const [status, setStatus] = useState<ExecutionStatus | ''>('');
  const [shown, setShown] = useState<Shown>();
  const [loading, setLoading] = useState<'all' | 'reports' | 'recent' | undefined>('all');
  const [error, setError] = useState<RequestError | Error>();
  const [alerts, setAlerts] = useState<AlertFragment[]>([]);
  const [live, setLive] = useState<{ on: boolean; error?: string }>({ on: false });
  const [keyVersion, setKeyVersion] = useState(0);
  const generation = useRef(0);

  // The whole dashboard: one request per window (and per stacking or key change).
  useEffect(() => {
    const window = resolveWindow(choice);
    const abort = new AbortController();
    setLoading('all');
    execute(
      DashboardDocument,
      {
        window: { from: window.from, to: window.to },
        granularity: window.granularity,
        stackBy,
        ...reportsVariables(table),
        ...recentVariables(status),
      },
      abort.signal,
    )
      .then((data) => {
        generation.current += 1;
        setShown({ window, data });
        setAlerts(data.performanceAlerts);
        setError(undefined);
        setLoading(undefined);
      })
      .catch((failure: unknown) => {
        if (abort.signal.aborted) return;
        setError(failure instanceof Error ? failure : new Error(String(failure)));
        setLoading(undefined);
      });
    return () => abort.abort();
    // The tables' own changes re-ask only their part (below); a new window asks for all.
  }, [choice, stackBy, keyVersion]);

  const changeTable = useCallback(
    (next: ReportsTableState) => {
      setTable(next);
      if (!shown) return;
      setLoading('reports');
      const { from, to } = shown.window;
      execute(BusiestReportsPageDocument, { window: { from, to }, ...reportsVariables(next) })
        .then((page) => {
          generation.current += 1;
          setShown((current) => current && { ...current, data: { ...current.data, ...page } });
          setLoading(undefined);
        })
        .catch((failure: unknown) => {
          setError(failure instanceof Error ? failure : new Error(String(failure)));
          setLoading(undefined);
        });
    },
    [shown],
  );

  const changeStatus = useCallback(
    (next: ExecutionStatus | '') => {
      setStatus(next);
      if (!shown) return;
      setLoading('recent');
      const { from, to } = shown.window;
      execute(RecentRunsPageDocument, { window: { from, to }, ...recentVariables(next) })
        .then((page) => {
          generation.current += 1;
          setShown((current) => current && { ...current, data: { ...current.data, ...page } });
          setLoading(undefined);
        })
        .catch((failure: unknown) => {
          setError(failure instanceof Error ? failure : new Error(String(failure)));
          setLoading(undefined);
        });
    },
    [shown],
  );

  // Alerts as they start and clear, for as long as the page is open.
  useEffect(() => {
    const abort = new AbortController();
    subscribe(
      AlertStreamDocument,
      {},
      {
        onData: ({ alertRaised: { change, alert } }) =>
          setAlerts((current) => {
            const others = current.filter((known) => alertKey(known) !== alertKey(alert));
            return change === 'RAISED' ? [alert, ...others] : others;
          }),
        onState: (on, streamError) =>
          setLive({ on, ...(streamError ? { error: streamError } : {}) }),
      },
      abort.signal,
    );
    return () => abort.abort();
  }, [keyVersion]);

  // The first complete render, for the page's own timing (performance.measure).
  useEffect(() => {
    if (!shown || performance.getEntriesByName('dashboard-rendered').length > 0) return;
    requestAnimationFrame(() => performance.mark('dashboard-rendered'));
  }, [shown]);

  const needsKey = error instanceof RequestError && error.code === 'UNAUTHENTICATED';
  const stackTools = (
    <div className="tools" role="group" aria-label="stack by">
      {(['PROVIDER', 'CATEGORY'] as const).map((dimension) => (
        <button
          key={dimension}
          type="button"
          data-stack={dimension}
          aria-pressed={stackBy === dimension}
          onClick={() => setStackBy(dimension)}
        >
          by {dimension.toLowerCase()}
        </button>
      ))}
    </div>
  );

  return (
    <div
      className="dashboard"
      data-state={loading ? 'loading' : error ? 'error' : 'ready'}
      data-generation={generation.current}
      data-from={shown?.window.from}
      data-to={shown?.window.to}
    >
      <header className="top">
        <h1>Report executions</h1>
        <WindowPicker choice={choice} onChoose={setChoice} />
        <KeyField
          needed={needsKey}
          onKey={(key) => {
            apiKey.set(key);
            setKeyVersion((version) => version + 1);
          }}
        />
        <a href="/graphql">GraphiQL</a>
      </header>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {shown ? (
        <main className="grid">
          <ExecutionsOverTime
            buckets={shown.data.stacked}
            stackBy={stackBy}
            window={shown.window}
            tools={stackTools}
          />
          <Alerts alerts={alerts} live={live.on} streamError={live.error} />
          <RatesOverTime buckets={shown.data.overTime} window={shown.window} />
          <UserSegments activity={shown.data.userActivity} window={shown.window} />
          <Comparison
            id="providers"
            dimension="provider"
            rows={shown.data.providerPerformance.map((row) => ({ ...row, name: row.provider }))}
            window={shown.window}
          />
          <Comparison
            id="categories"
            dimension="category"
            rows={shown.data.categoryPerformance.map((row) => ({ ...row, name: row.category }))}
            window={shown.window}
          />
          <Trend pattern="HOUR_OF_DAY" trend={shown.data.hourOfDay} window={shown.window} />
          <Trend pattern="DAY_OF_WEEK" trend={shown.data.dayOfWeek} window={shown.window} />
          <BusiestReports
            summary={shown.data.reportsSummary}
            state={table}
            onChange={changeTable}
            window={shown.window}
            loading={loading === 'reports'}
          />
          <RecentExecutions
            recent={shown.data.recentExecutions}
            status={status}
            onStatus={changeStatus}
            window={shown.window}
            loading={loading === 'recent'}
          />
        </main>
      ) : (
        !error && <p className="loading-all">Loading…</p>
      )}
    </div>
  );
}

/** The API key, asked for when the gateway needs one for reads (API_KEYS is set). */
function KeyField({ needed, onKey }: { needed: boolean; onKey: (key: string) => void }) {
  const [open, setOpen] = useState(false);
  if (!needed && !open) {
    return (
      <button type="button" className="key" onClick={() => setOpen(true)}>
        API key…
      </button>
    );
  }
  return (
    <form
      className="key"
      onSubmit={(event) => {
        event.preventDefault();
        const field = new FormData(event.currentTarget).get('key');
        onKey(typeof field === 'string' ? field.trim() : '');
        setOpen(false);
      }}
    >
      <label>
        API key <input name="key" type="password" autoComplete="off" defaultValue={apiKey.get()} />
      </label>
      <button type="submit">Use</button>
    </form>
  );
}
