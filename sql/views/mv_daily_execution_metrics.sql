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
