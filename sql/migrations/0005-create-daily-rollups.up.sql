-- Daily rollups of report_executions, per report and per user, kept exact by the
-- triggers in sql/rollups. A row holds the measures the views combine (sums, counts,
-- maxima) of one (UTC day, key), so a window's whole days are read from here and
-- only its partial edge days from the raw table. A row of zeros (executions = 0,
-- left where a cell emptied) means the same as no row.
-- The foreign keys cascade, so a deleted report or user leaves no rollup rows.
CREATE TABLE report_daily_rollup (
  bucket_date DATE NOT NULL,
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
  PRIMARY KEY (bucket_date, report_id),
  KEY ix_report_daily_report (report_id, bucket_date),
  CONSTRAINT fk_report_daily_report FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE user_daily_rollup (
  bucket_date DATE NOT NULL,
  executed_by BIGINT UNSIGNED NOT NULL,
  executions INT UNSIGNED NOT NULL,
  successes INT UNSIGNED NOT NULL,
  failures INT UNSIGNED NOT NULL,
  cancelled INT UNSIGNED NOT NULL,
  duration_count INT UNSIGNED NOT NULL,
  duration_sum BIGINT UNSIGNED NOT NULL,
  max_duration_ms INT UNSIGNED NULL,
  total_output_bytes DECIMAL(38, 0) NOT NULL,
  last_executed_at DATETIME(3) NULL,
  PRIMARY KEY (bucket_date, executed_by),
  KEY ix_user_daily_user (executed_by, bucket_date),
  CONSTRAINT fk_user_daily_user FOREIGN KEY (executed_by) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- include: ../rollups/triggers.sql

-- Existing executions: one pass fills both rollups.
INSERT INTO report_daily_rollup
SELECT DATE(started_at), report_id, COUNT(*), SUM(status = 'success'), SUM(status = 'failed'),
  SUM(status = 'cancelled'), COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
  COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
FROM report_executions GROUP BY DATE(started_at), report_id;

INSERT INTO user_daily_rollup
SELECT DATE(started_at), executed_by, COUNT(*), SUM(status = 'success'), SUM(status = 'failed'),
  SUM(status = 'cancelled'), COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
  COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
FROM report_executions WHERE executed_by IS NOT NULL GROUP BY DATE(started_at), executed_by;
