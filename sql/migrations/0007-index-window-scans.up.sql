-- Two indexes from EXPLAIN at 10 M executions:
--   (started_at, report_id, executed_by, status, duration_ms, output_size_bytes)
--     covers the raw partial days at a window's edges: the views read them from the
--     index alone instead of looking up every row (a day is ~27 000 rows at 10 M).
--   (duration_ms, started_at) finds the few long runs of LONG_RUNNING alerts
--     without reading the window.
-- ix_executions_started stays: recentExecutions pages in (started_at, id) order.
CREATE INDEX ix_executions_started_measures
  ON report_executions (started_at, report_id, executed_by, status, duration_ms, output_size_bytes);
CREATE INDEX ix_executions_duration_started ON report_executions (duration_ms, started_at);
