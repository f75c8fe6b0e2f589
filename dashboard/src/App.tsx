/**
 * The dashboard: every panel from one persisted query per window, the busiest reports
 * and recent executions re-asked on their own when their filters change, and alerts
 * kept current by the alert stream. At most 5 requests to show it all: the page, its
 * script and style sheet, the dashboard query and the alert stream.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { apiKey, execute, RequestError, subscribe } from './client';
import {
  AlertStreamDocument,
  BusiestReportsPageDocument,
  DashboardDocument,
  RecentRunsPageDocument,
  type AlertChange,
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

type Part = 'all' | 'reports' | 'recent';
const PARTS: Part[] = ['all', 'reports', 'recent'];
const MAX_KEPT_EVENTS = 200;

interface AlertEvent {
  change: AlertChange;
  alert: AlertFragment;
}

/** The alerts after an event: RAISED puts the alert first, CLEARED takes it away. */
function applyAlertEvent(alerts: AlertFragment[], { change, alert }: AlertEvent) {
  const others = alerts.filter((known) => alertKey(known) !== alertKey(alert));
  return change === 'RAISED' ? [alert, ...others] : others;
}

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
  const [loading, setLoading] = useState<Part | undefined>('all');
  const [error, setError] = useState<RequestError | Error>();
  const [alerts, setAlerts] = useState<AlertFragment[]>([]);
  const [live, setLive] = useState<{ on: boolean; error?: string }>({ on: false });
  const [keyVersion, setKeyVersion] = useState(0);
  const generation = useRef(0);
  const inFlight = useRef<Partial<Record<Part, AbortController>>>({});
  /** The latest alert events, in order, re-applied over every snapshot. */
  const alertEvents = useRef<AlertEvent[]>([]);
  // A window is resolved when chosen: re-stacking or a new key keep its from/to.
  const chosen = useMemo(() => resolveWindow(choice), [choice]);

  /**
   * Asks for all panels or one part. A newer request for the same part (or for all)
   * aborts it, so no older answer is ever shown over a newer one.
   */
  const ask = useCallback(
    <T,>(part: Part, request: (signal: AbortSignal) => Promise<T>, show: (answer: T) => void) => {
      for (const other of part === 'all' ? PARTS : [part]) inFlight.current[other]?.abort();
      const abort = new AbortController();
      inFlight.current[part] = abort;
      setLoading(part);
      request(abort.signal)
        .then((answer) => {
          if (abort.signal.aborted) return;
          generation.current += 1;
          show(answer);
          setError(undefined);
          setLoading(undefined);
        })
        .catch((failure: unknown) => {
          if (abort.signal.aborted) return;
          setError(failure instanceof Error ? failure : new Error(String(failure)));
          setLoading(undefined);
        });
    },
    [],
  );

  // The whole dashboard: one request per window (and per stacking or key change). The
  // reports table starts again at its first page: a cursor belongs to its window.
  useEffect(() => {
    const firstPage = { ...table, page: FIRST_REPORTS_PAGE };
    setTable(firstPage);
    ask(
      'all',
      (signal) =>
        execute(
          DashboardDocument,
          {
            window: { from: chosen.from, to: chosen.to },
            granularity: chosen.granularity,
            stackBy,
            ...reportsVariables(firstPage),
            ...recentVariables(status),
          },
          signal,
        ),
      (data) => {
        setShown({ window: chosen, data });
        // The snapshot may be older than events already seen (it may come from the cache):
        // each alert's latest event wins over it.
        setAlerts(alertEvents.current.reduce(applyAlertEvent, data.performanceAlerts));
      },
    );
    // The tables' own changes re-ask only their part (below).
  }, [chosen, stackBy, keyVersion, ask]);

  /** Puts a table's new answer into the data shown. */
  const merge = (page: Partial<DashboardQuery>) =>
    setShown((current) => current && { ...current, data: { ...current.data, ...page } });

  /** Asks again for one table of the data shown; the table's new state holds once answered. */
  const changeTable = (next: ReportsTableState) => {
    if (!shown) return;
    const { from, to } = shown.window;
    ask(
      'reports',
      (signal) =>
        execute(
          BusiestReportsPageDocument,
          { window: { from, to }, ...reportsVariables(next) },
          signal,
        ),
      (page) => {
        setTable(next);
        merge(page);
      },
    );
  };

  const changeStatus = (next: ExecutionStatus | '') => {
    if (!shown) return;
    const { from, to } = shown.window;
    ask(
      'recent',
      (signal) =>
        execute(RecentRunsPageDocument, { window: { from, to }, ...recentVariables(next) }, signal),
      (page) => {
        setStatus(next);
        merge(page);
      },
    );
  };

  // Alerts as they start and clear, for as long as the page is open.
  useEffect(() => {
    const abort = new AbortController();
    subscribe(
      AlertStreamDocument,
      {},
      {
        onData: ({ alertRaised: { change, alert } }) => {
          const event = { change, alert };
          alertEvents.current = [...alertEvents.current.slice(-(MAX_KEPT_EVENTS - 1)), event];
          setAlerts((current) => applyAlertEvent(current, event));
        },
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
        <WindowPicker choice={choice} resolved={chosen} onChoose={setChoice} />
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
            busy={loading !== undefined}
          />
          <RecentExecutions
            recent={shown.data.recentExecutions}
            status={status}
            onStatus={changeStatus}
            window={shown.window}
            loading={loading === 'recent'}
            busy={loading !== undefined}
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
