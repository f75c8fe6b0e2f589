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
