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
