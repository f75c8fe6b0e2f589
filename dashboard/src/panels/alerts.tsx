/**
 * Active alerts under the gateway's default thresholds over the last 7 days: read with
 * the dashboard, then kept current by the alert stream (RAISED adds, CLEARED removes).
 */
import { formatTime } from '../format';
import type { AlertFragment } from '../gql/graphql';
import { Panel } from '../chart';

/** An alert's identity across reads and events: its type, report and execution. */
export const alertKey = (alert: AlertFragment) =>
  `${alert.type}:${alert.report.id}:${alert.execution?.id ?? ''}`;

function measure(alert: AlertFragment) {
  switch (alert.type) {
    case 'HIGH_FAILURE_RATE':
      return `${(alert.value * 100).toFixed(1)} % failed (limit ${(alert.threshold * 100).toFixed(0)} %)`;
    case 'INACTIVE_REPORT':
      return `${alert.value.toFixed(0)} days without a run (limit ${alert.threshold.toFixed(0)})`;
    default:
      return `${(alert.value / 1_000).toFixed(1)} s (limit ${(alert.threshold / 1_000).toFixed(0)} s)`;
  }
}

export function Alerts({
  alerts,
  live,
  streamError,
}: {
  alerts: readonly AlertFragment[];
  live: boolean;
  streamError: string | undefined;
}) {
  const status = (
    <span className={`live ${live ? 'on' : 'off'}`} data-live={live} title={streamError}>
      {live ? '● live' : '○ reconnecting'}
    </span>
  );
  return (
    <Panel
      id="alerts"
      className="side"
      title={`Alerts (${alerts.length})`}
      covers="Last 7 days, default thresholds · updates as alerts start and clear"
      tools={status}
    >
      {alerts.length === 0 ? (
        <p className="empty">No active alerts.</p>
      ) : (
        <ul className="alerts">
          {alerts.map((alert) => (
            <li
              key={alertKey(alert)}
              data-alert={alertKey(alert)}
              className={alert.severity.toLowerCase()}
            >
              <span className="severity">{alert.severity}</span> <strong>{alert.type}</strong>
              <div className="what">
                {alert.report.name}
                {alert.execution ? ` · execution ${alert.execution.id}` : ''}
              </div>
              <div className="measure" data-value={alert.value}>
                {measure(alert)}
              </div>
              <div className="when">{formatTime(alert.observedAt)}</div>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
