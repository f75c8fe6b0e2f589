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
