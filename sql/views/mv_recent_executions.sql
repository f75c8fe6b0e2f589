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
