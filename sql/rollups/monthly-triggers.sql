-- The triggers of report_monthly_rollup. An insert adds to its month
-- (sql/rollups/insert-trigger.sql); an update or
-- delete recomputes the months it leaves and enters from report_daily_rollup, whose
-- triggers (created earlier) have already run for the same row.

CREATE TRIGGER report_executions_update_old_report_month AFTER UPDATE ON report_executions
FOR EACH ROW REPLACE INTO report_monthly_rollup
  SELECT DATE_FORMAT(OLD.started_at, '%Y-%m-01'), OLD.report_id, COALESCE(SUM(d.executions), 0), COALESCE(SUM(d.successes), 0),
    COALESCE(SUM(d.failures), 0), COALESCE(SUM(d.cancelled), 0), COALESCE(SUM(d.duration_count), 0),
    COALESCE(SUM(d.duration_sum), 0), MAX(d.max_duration_ms), COALESCE(SUM(d.total_output_bytes), 0),
    MAX(d.last_executed_at)
  FROM report_daily_rollup d
  WHERE d.report_id = OLD.report_id AND d.bucket_date >= DATE_FORMAT(OLD.started_at, '%Y-%m-01')
    AND d.bucket_date < DATE_FORMAT(OLD.started_at, '%Y-%m-01') + INTERVAL 1 MONTH
  HAVING EXISTS (SELECT 1 FROM reports p WHERE p.id = OLD.report_id);

CREATE TRIGGER report_executions_update_new_report_month AFTER UPDATE ON report_executions
FOR EACH ROW REPLACE INTO report_monthly_rollup
  SELECT DATE_FORMAT(NEW.started_at, '%Y-%m-01'), NEW.report_id, COALESCE(SUM(d.executions), 0), COALESCE(SUM(d.successes), 0),
    COALESCE(SUM(d.failures), 0), COALESCE(SUM(d.cancelled), 0), COALESCE(SUM(d.duration_count), 0),
    COALESCE(SUM(d.duration_sum), 0), MAX(d.max_duration_ms), COALESCE(SUM(d.total_output_bytes), 0),
    MAX(d.last_executed_at)
  FROM report_daily_rollup d
  WHERE d.report_id = NEW.report_id AND d.bucket_date >= DATE_FORMAT(NEW.started_at, '%Y-%m-01')
    AND d.bucket_date < DATE_FORMAT(NEW.started_at, '%Y-%m-01') + INTERVAL 1 MONTH
  HAVING EXISTS (SELECT 1 FROM reports p WHERE p.id = NEW.report_id);

CREATE TRIGGER report_executions_delete_report_month AFTER DELETE ON report_executions
FOR EACH ROW REPLACE INTO report_monthly_rollup
  SELECT DATE_FORMAT(OLD.started_at, '%Y-%m-01'), OLD.report_id, COALESCE(SUM(d.executions), 0), COALESCE(SUM(d.successes), 0),
    COALESCE(SUM(d.failures), 0), COALESCE(SUM(d.cancelled), 0), COALESCE(SUM(d.duration_count), 0),
    COALESCE(SUM(d.duration_sum), 0), MAX(d.max_duration_ms), COALESCE(SUM(d.total_output_bytes), 0),
    MAX(d.last_executed_at)
  FROM report_daily_rollup d
  WHERE d.report_id = OLD.report_id AND d.bucket_date >= DATE_FORMAT(OLD.started_at, '%Y-%m-01')
    AND d.bucket_date < DATE_FORMAT(OLD.started_at, '%Y-%m-01') + INTERVAL 1 MONTH
  HAVING EXISTS (SELECT 1 FROM reports p WHERE p.id = OLD.report_id);
