-- The eight performance views for BI tools that read MySQL directly. Their default
-- windows and thresholds are the GraphQL defaults. sql/views holds the current
-- definitions for the view catalog; a migration that changes a view updates it too.
-- Per-report execution statistics over the last 90 days (the reportsSummary default).
-- Rates and means are DOUBLE (* 1e0) so they equal the gateway's figures exactly.
CREATE OR REPLACE VIEW mv_reports_summary AS
SELECT
  r.id AS report_id,
  r.name AS report_name,
  r.category,
  r.provider,
  r.owner_id,
  r.is_active,
  COUNT(e.id) AS executions,
  COALESCE(SUM(e.status = 'success'), 0) AS successes,
  COALESCE(SUM(e.status = 'failed'), 0) AS failures,
  COALESCE(SUM(e.status = 'cancelled'), 0) AS cancelled,
  SUM(e.status = 'success') * 1e0
    / NULLIF(SUM(e.status IN ('success', 'failed', 'cancelled')), 0) AS success_rate,
  SUM(e.duration_ms) * 1e0 / NULLIF(COUNT(e.duration_ms), 0) AS avg_duration_ms,
  MAX(e.duration_ms) AS max_duration_ms,
  COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes,
  MAX(e.started_at) AS last_executed_at
FROM reports r
LEFT JOIN report_executions e
  ON e.report_id = r.id
  AND e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 90 DAY
  AND e.started_at < UTC_TIMESTAMP(3)
GROUP BY r.id, r.name, r.category, r.provider, r.owner_id, r.is_active;

-- Executions per UTC day over the last 365 days (executionMetrics with its defaults).
CREATE OR REPLACE VIEW mv_daily_execution_metrics AS
SELECT
  CAST(DATE(e.started_at) AS DATETIME) AS bucket_start,
  COUNT(*) AS executions,
  SUM(e.status = 'success') AS successes,
  SUM(e.status = 'failed') AS failures,
  SUM(e.status = 'success') * 1e0
    / NULLIF(SUM(e.status IN ('success', 'failed', 'cancelled')), 0) AS success_rate,
  SUM(e.duration_ms) * 1e0 / NULLIF(COUNT(e.duration_ms), 0) AS avg_duration_ms,
  COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes,
  COUNT(DISTINCT e.report_id) AS distinct_reports,
  COUNT(DISTINCT e.executed_by) AS distinct_users
FROM report_executions e
WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 365 DAY
  AND e.started_at < UTC_TIMESTAMP(3)
GROUP BY CAST(DATE(e.started_at) AS DATETIME);

-- Reports and their executions of the last 90 days, per provider (providerPerformance defaults).
CREATE OR REPLACE VIEW mv_provider_performance AS
SELECT
  r.provider,
  COUNT(*) AS reports,
  SUM(r.is_active) AS active_reports,
  COALESCE(SUM(a.executions), 0) AS executions,
  COALESCE(SUM(a.successes), 0) AS successes,
  COALESCE(SUM(a.failures), 0) AS failures,
  SUM(a.successes) * 1e0 / NULLIF(SUM(a.successes) + SUM(a.failures) + SUM(a.cancelled), 0) AS success_rate,
  SUM(a.duration_sum) * 1e0 / NULLIF(SUM(a.duration_count), 0) AS avg_duration_ms,
  COALESCE(SUM(a.total_output_bytes), 0) AS total_output_bytes,
  COALESCE(SUM(a.total_output_bytes), 0) * 1e0 / NULLIF(SUM(a.duration_sum) * 1e0 / 1000, 0) AS bytes_per_second
FROM reports r
LEFT JOIN (
  SELECT
    e.report_id,
    COUNT(*) AS executions,
    SUM(e.status = 'success') AS successes,
    SUM(e.status = 'failed') AS failures,
    SUM(e.status = 'cancelled') AS cancelled,
    SUM(e.duration_ms) AS duration_sum,
    COUNT(e.duration_ms) AS duration_count,
    SUM(e.output_size_bytes) AS total_output_bytes
  FROM report_executions e
  WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 90 DAY
    AND e.started_at < UTC_TIMESTAMP(3)
  GROUP BY e.report_id
) a ON a.report_id = r.id
GROUP BY r.provider;

-- Reports and their executions of the last 90 days, per category (categoryPerformance defaults).
CREATE OR REPLACE VIEW mv_category_performance AS
SELECT
  r.category,
  COUNT(*) AS reports,
  SUM(r.is_active) AS active_reports,
  COALESCE(SUM(a.executions), 0) AS executions,
  COALESCE(SUM(a.successes), 0) AS successes,
  COALESCE(SUM(a.failures), 0) AS failures,
  SUM(a.successes) * 1e0 / NULLIF(SUM(a.successes) + SUM(a.failures) + SUM(a.cancelled), 0) AS success_rate,
  SUM(a.duration_sum) * 1e0 / NULLIF(SUM(a.duration_count), 0) AS avg_duration_ms,
  COALESCE(SUM(a.total_output_bytes), 0) AS total_output_bytes,
  COALESCE(SUM(a.total_output_bytes), 0) * 1e0 / NULLIF(SUM(a.duration_sum) * 1e0 / 1000, 0) AS bytes_per_second
FROM reports r
LEFT JOIN (
  SELECT
    e.report_id,
    COUNT(*) AS executions,
    SUM(e.status = 'success') AS successes,
    SUM(e.status = 'failed') AS failures,
    SUM(e.status = 'cancelled') AS cancelled,
    SUM(e.duration_ms) AS duration_sum,
    COUNT(e.duration_ms) AS duration_count,
    SUM(e.output_size_bytes) AS total_output_bytes
  FROM report_executions e
  WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 90 DAY
    AND e.started_at < UTC_TIMESTAMP(3)
  GROUP BY e.report_id
) a ON a.report_id = r.id
GROUP BY r.category;

-- Per-user activity: reports owned (all time) and executions run in the last 90 days.
CREATE OR REPLACE VIEW mv_user_activity AS
SELECT
  u.id AS user_id,
  u.email,
  u.display_name,
  u.role,
  COALESCE(o.reports_owned, 0) AS reports_owned,
  COALESCE(a.executions, 0) AS executions,
  a.successes * 1e0 / NULLIF(a.completed, 0) AS success_rate,
  a.duration_sum * 1e0 / NULLIF(a.duration_count, 0) AS avg_duration_ms,
  a.last_active_at,
  CASE
    WHEN COALESCE(a.executions, 0) >= 100 THEN 'POWER'
    WHEN COALESCE(a.executions, 0) >= 10 THEN 'ACTIVE'
    WHEN COALESCE(a.executions, 0) >= 1 THEN 'OCCASIONAL'
    ELSE 'INACTIVE'
  END AS segment
FROM users u
LEFT JOIN (
  SELECT
    e.executed_by,
    COUNT(*) AS executions,
    SUM(e.status = 'success') AS successes,
    SUM(e.status IN ('success', 'failed', 'cancelled')) AS completed,
    SUM(e.duration_ms) AS duration_sum,
    COUNT(e.duration_ms) AS duration_count,
    MAX(e.started_at) AS last_active_at
  FROM report_executions e
  WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 90 DAY
    AND e.started_at < UTC_TIMESTAMP(3)
    AND e.executed_by IS NOT NULL
  GROUP BY e.executed_by
) a ON a.executed_by = u.id
LEFT JOIN (
  SELECT owner_id, COUNT(*) AS reports_owned
  FROM reports
  WHERE owner_id IS NOT NULL
  GROUP BY owner_id
) o ON o.owner_id = u.id;

-- Executions of the last 30 days with their report and derived classes
-- (recentExecutions; read it ORDER BY started_at DESC, execution_id DESC).
CREATE OR REPLACE VIEW mv_recent_executions AS
SELECT
  e.id AS execution_id,
  e.report_id,
  r.name AS report_name,
  r.provider,
  r.category,
  e.executed_by,
  e.status,
  e.started_at,
  e.completed_at,
  e.duration_ms,
  e.output_size_bytes,
  e.row_count,
  e.error_message,
  CASE
    WHEN e.duration_ms IS NULL THEN NULL
    WHEN e.duration_ms < 1000 THEN 'FAST'
    WHEN e.duration_ms < 10000 THEN 'NORMAL'
    WHEN e.duration_ms < 60000 THEN 'SLOW'
    ELSE 'VERY_SLOW'
  END AS performance_category,
  CASE
    WHEN e.output_size_bytes IS NULL OR e.output_size_bytes = 0 THEN 'NONE'
    WHEN e.output_size_bytes < 1048576 THEN 'SMALL'
    WHEN e.output_size_bytes < 104857600 THEN 'MEDIUM'
    ELSE 'LARGE'
  END AS output_size_class
FROM report_executions e
JOIN reports r ON r.id = e.report_id
WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 30 DAY
  AND e.started_at < UTC_TIMESTAMP(3);

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

-- Executions of the last 30 days per UTC hour of day, every hour listed
-- (executionTrends with pattern HOUR_OF_DAY).
CREATE OR REPLACE VIEW mv_execution_trends AS
WITH RECURSIVE slots (slot) AS (
  SELECT 0
  UNION ALL
  SELECT slot + 1 FROM slots WHERE slot < 23
)
SELECT
  s.slot,
  COALESCE(t.executions, 0) AS executions,
  COALESCE(t.executions * 1e0 / NULLIF(total.executions, 0), 0) AS share,
  t.duration_sum * 1e0 / NULLIF(t.duration_count, 0) AS avg_duration_ms
FROM slots s
LEFT JOIN (
  SELECT
    HOUR(e.started_at) AS slot,
    COUNT(*) AS executions,
    SUM(e.duration_ms) AS duration_sum,
    COUNT(e.duration_ms) AS duration_count
  FROM report_executions e
  WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 30 DAY
    AND e.started_at < UTC_TIMESTAMP(3)
  GROUP BY HOUR(e.started_at)
) t ON t.slot = s.slot
CROSS JOIN (
  SELECT COUNT(*) AS executions
  FROM report_executions e
  WHERE e.started_at >= UTC_TIMESTAMP(3) - INTERVAL 30 DAY
    AND e.started_at < UTC_TIMESTAMP(3)
) total;

