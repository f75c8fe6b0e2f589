-- Per UTC hour, provider and category: the sums (no maxima) of the executions of
-- the reports with that provider and category. Small enough to read a year of in a
-- few milliseconds, fine enough for hourly buckets, hour-of-day trends and window
-- edges at the hour; it serves the views that are not scoped to particular reports.
CREATE TABLE dimension_hourly_rollup (
  bucket_hour DATETIME NOT NULL,
  provider ENUM('aws', 'azure', 'gcp', 'oci', 'multi') NOT NULL,
  category ENUM('infrastructure', 'security', 'compliance', 'cost', 'performance', 'custom') NOT NULL,
  executions INT NOT NULL,
  successes INT NOT NULL,
  failures INT NOT NULL,
  cancelled INT NOT NULL,
  duration_count INT NOT NULL,
  duration_sum BIGINT NOT NULL,
  total_output_bytes DECIMAL(38, 0) NOT NULL,
  PRIMARY KEY (bucket_hour, provider, category)
) ENGINE = InnoDB;

-- include: ../rollups/dimension-triggers.sql

-- Existing executions.
INSERT INTO dimension_hourly_rollup
SELECT CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS hour, r.provider, r.category,
  COUNT(*), SUM(e.status = 'success'), SUM(e.status = 'failed'), SUM(e.status = 'cancelled'),
  COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), COALESCE(SUM(e.output_size_bytes), 0)
FROM report_executions e JOIN reports r ON r.id = e.report_id
GROUP BY hour, r.provider, r.category;
