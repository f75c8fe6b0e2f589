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

-- include: ../rollups/monthly-triggers.sql

-- Existing executions.
INSERT INTO report_monthly_rollup
SELECT DATE_FORMAT(bucket_date, '%Y-%m-01'), report_id, SUM(executions), SUM(successes),
  SUM(failures), SUM(cancelled), SUM(duration_count), SUM(duration_sum), MAX(max_duration_ms),
  SUM(total_output_bytes), MAX(last_executed_at)
FROM report_daily_rollup WHERE executions > 0
GROUP BY DATE_FORMAT(bucket_date, '%Y-%m-01'), report_id;
