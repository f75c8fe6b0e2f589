-- Per calendar month (UTC) and report: the measures of report_daily_rollup summed
-- over the month. A 90-day window then reads two or three month rows per report
-- and only its edge days from the daily rollup. Kept exact by triggers created
-- after the daily ones, so they fire after them and can read their result.
CREATE TABLE report_monthly_rollup (
  bucket_month DATE NOT NULL,
  report_id BIGINT UNSIGNED NOT NULL,
  executions INT UNSIGNED NOT NULL,
  successes INT UNSIGNED NOT NULL,
  failures INT UNSIGNED NOT NULL,
  cancelled INT UNSIGNED NOT NULL,
  duration_count INT UNSIGNED NOT NULL,
  duration_sum BIGINT UNSIGNED NOT NULL,
  max_duration_ms INT UNSIGNED NULL,
  total_output_bytes DECIMAL(38, 0) NOT NULL,
  last_executed_at DATETIME(3) NULL,
  PRIMARY KEY (bucket_month, report_id),
  KEY ix_report_monthly_report (report_id, bucket_month),
  CONSTRAINT fk_report_monthly_report FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- The triggers of report_monthly_rollup. An insert adds to its month; an update or
-- delete recomputes the months it leaves and enters from report_daily_rollup, whose
-- triggers (created earlier) have already run for the same row.

CREATE TRIGGER report_executions_insert_report_month AFTER INSERT ON report_executions
FOR EACH ROW INSERT INTO report_monthly_rollup
  SELECT DATE_FORMAT(NEW.started_at, '%Y-%m-01'), NEW.report_id, 1, NEW.status = 'success',
    NEW.status = 'failed', NEW.status = 'cancelled', NEW.duration_ms IS NOT NULL,
    COALESCE(NEW.duration_ms, 0), NEW.duration_ms, COALESCE(NEW.output_size_bytes, 0), NEW.started_at
  FROM DUAL
  WHERE @rollups_by_statement IS NULL
  ON DUPLICATE KEY UPDATE
    executions = executions + 1,
    successes = successes + (NEW.status = 'success'),
    failures = failures + (NEW.status = 'failed'),
    cancelled = cancelled + (NEW.status = 'cancelled'),
    duration_count = duration_count + (NEW.duration_ms IS NOT NULL),
    duration_sum = duration_sum + COALESCE(NEW.duration_ms, 0),
    max_duration_ms = COALESCE(GREATEST(max_duration_ms, NEW.duration_ms), max_duration_ms, NEW.duration_ms),
    total_output_bytes = total_output_bytes + COALESCE(NEW.output_size_bytes, 0),
    last_executed_at = COALESCE(GREATEST(last_executed_at, NEW.started_at), NEW.started_at);

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


-- Existing executions.
INSERT INTO report_monthly_rollup
SELECT DATE_FORMAT(bucket_date, '%Y-%m-01'), report_id, SUM(executions), SUM(successes),
  SUM(failures), SUM(cancelled), SUM(duration_count), SUM(duration_sum), MAX(max_duration_ms),
  SUM(total_output_bytes), MAX(last_executed_at)
FROM report_daily_rollup WHERE executions > 0
GROUP BY DATE_FORMAT(bucket_date, '%Y-%m-01'), report_id;
