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
