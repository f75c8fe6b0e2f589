-- Alerts with the performanceAlerts defaults: the last 7 days, long runs over 300 000 ms,
-- failure rate >= 0.2 over >= 10 completed runs, active reports idle for 30 days.
CREATE OR REPLACE VIEW mv_performance_alerts AS
SELECT
  'LONG_RUNNING' AS type,
  CASE WHEN e.duration_ms >= 3 * 300000 THEN 'CRITICAL' ELSE 'WARNING' END AS severity,
  e.report_id,
  e.id AS execution_id,
  e.duration_ms * 1e0 AS value,
  300000 * 1e0 AS threshold,
  e.started_at AS observed_at,
  CONCAT('Ran for ', e.duration_ms, ' ms; the limit is ', 300000, ' ms') AS detail
FROM report_executions e
WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 7 DAY
  AND e.started_at < UTC_TIMESTAMP(3)
  AND e.duration_ms > 300000
UNION ALL
SELECT
  'HIGH_FAILURE_RATE',
  CASE WHEN 2 * a.failures >= a.completed THEN 'CRITICAL' ELSE 'WARNING' END,
  a.report_id,
  NULL,
  a.failures * 1e0 / a.completed,
  0.2 * 1e0,
  a.last_started_at,
  CONCAT(a.failures, ' of ', a.completed, ' completed executions failed')
FROM (
  SELECT
    e.report_id,
    SUM(e.status = 'failed') AS failures,
    SUM(e.status IN ('success', 'failed', 'cancelled')) AS completed,
    MAX(e.started_at) AS last_started_at
  FROM report_executions e
  WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 7 DAY
    AND e.started_at < UTC_TIMESTAMP(3)
  GROUP BY e.report_id
) a
WHERE a.completed >= 10 AND a.failures >= 0.2 * a.completed
UNION ALL
SELECT
  'INACTIVE_REPORT',
  'INFO',
  x.id,
  NULL,
  TIMESTAMPDIFF(DAY, COALESCE(x.last_run, x.created_at), UTC_TIMESTAMP(3)) * 1e0,
  30 * 1e0,
  COALESCE(x.last_run, x.created_at),
  CASE WHEN x.last_run IS NULL
    THEN CONCAT('Never executed; created ', TIMESTAMPDIFF(DAY, x.created_at, UTC_TIMESTAMP(3)), ' days ago')
    ELSE CONCAT('No execution for ', TIMESTAMPDIFF(DAY, x.last_run, UTC_TIMESTAMP(3)), ' days')
  END
FROM (
  SELECT
    r.id,
    r.created_at,
    (SELECT MAX(e.started_at) FROM report_executions e
     WHERE e.report_id = r.id AND e.started_at < UTC_TIMESTAMP(3)) AS last_run
  FROM reports r
  WHERE r.is_active AND r.created_at < UTC_TIMESTAMP(3) - INTERVAL 30 DAY
) x
WHERE x.last_run IS NULL OR x.last_run < UTC_TIMESTAMP(3) - INTERVAL 30 DAY;
