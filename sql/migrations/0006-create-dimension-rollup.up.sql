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

-- The triggers of dimension_hourly_rollup. It holds only sums, so every change is
-- an addition: an inserted row adds its contribution to its hour and its report's
-- provider and category, a deleted row adds the negative, an updated row both.
-- A report that changes provider or category moves its executions' sums from its
-- old cells to its new ones. The insert trigger stands aside for bulk writers
-- (@rollups_by_statement), as the daily rollups' do.

CREATE TRIGGER report_executions_insert_dimension_hour AFTER INSERT ON report_executions
FOR EACH ROW INSERT INTO dimension_hourly_rollup
  SELECT * FROM (
    SELECT CAST(DATE_FORMAT(NEW.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour, r.provider, r.category,
      1 AS executions,
      (NEW.status = 'success') AS successes,
      (NEW.status = 'failed') AS failures,
      (NEW.status = 'cancelled') AS cancelled,
      (NEW.duration_ms IS NOT NULL) AS duration_count,
      COALESCE(NEW.duration_ms, 0) AS duration_sum,
      COALESCE(NEW.output_size_bytes, 0) AS total_output_bytes
    FROM reports r WHERE r.id = NEW.report_id AND @rollups_by_statement IS NULL
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = dimension_hourly_rollup.executions + x.executions,
    successes = dimension_hourly_rollup.successes + x.successes,
    failures = dimension_hourly_rollup.failures + x.failures,
    cancelled = dimension_hourly_rollup.cancelled + x.cancelled,
    duration_count = dimension_hourly_rollup.duration_count + x.duration_count,
    duration_sum = dimension_hourly_rollup.duration_sum + x.duration_sum,
    total_output_bytes = dimension_hourly_rollup.total_output_bytes + x.total_output_bytes;

CREATE TRIGGER report_executions_update_old_dimension_hour AFTER UPDATE ON report_executions
FOR EACH ROW INSERT INTO dimension_hourly_rollup
  SELECT * FROM (
    SELECT CAST(DATE_FORMAT(OLD.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour, r.provider, r.category,
      -1 AS executions,
      -(OLD.status = 'success') AS successes,
      -(OLD.status = 'failed') AS failures,
      -(OLD.status = 'cancelled') AS cancelled,
      -(OLD.duration_ms IS NOT NULL) AS duration_count,
      -COALESCE(OLD.duration_ms, 0) AS duration_sum,
      -COALESCE(OLD.output_size_bytes, 0) AS total_output_bytes
    FROM reports r WHERE r.id = OLD.report_id
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = dimension_hourly_rollup.executions + x.executions,
    successes = dimension_hourly_rollup.successes + x.successes,
    failures = dimension_hourly_rollup.failures + x.failures,
    cancelled = dimension_hourly_rollup.cancelled + x.cancelled,
    duration_count = dimension_hourly_rollup.duration_count + x.duration_count,
    duration_sum = dimension_hourly_rollup.duration_sum + x.duration_sum,
    total_output_bytes = dimension_hourly_rollup.total_output_bytes + x.total_output_bytes;

CREATE TRIGGER report_executions_update_new_dimension_hour AFTER UPDATE ON report_executions
FOR EACH ROW INSERT INTO dimension_hourly_rollup
  SELECT * FROM (
    SELECT CAST(DATE_FORMAT(NEW.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour, r.provider, r.category,
      1 AS executions,
      (NEW.status = 'success') AS successes,
      (NEW.status = 'failed') AS failures,
      (NEW.status = 'cancelled') AS cancelled,
      (NEW.duration_ms IS NOT NULL) AS duration_count,
      COALESCE(NEW.duration_ms, 0) AS duration_sum,
      COALESCE(NEW.output_size_bytes, 0) AS total_output_bytes
    FROM reports r WHERE r.id = NEW.report_id
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = dimension_hourly_rollup.executions + x.executions,
    successes = dimension_hourly_rollup.successes + x.successes,
    failures = dimension_hourly_rollup.failures + x.failures,
    cancelled = dimension_hourly_rollup.cancelled + x.cancelled,
    duration_count = dimension_hourly_rollup.duration_count + x.duration_count,
    duration_sum = dimension_hourly_rollup.duration_sum + x.duration_sum,
    total_output_bytes = dimension_hourly_rollup.total_output_bytes + x.total_output_bytes;

CREATE TRIGGER report_executions_delete_dimension_hour AFTER DELETE ON report_executions
FOR EACH ROW INSERT INTO dimension_hourly_rollup
  SELECT * FROM (
    SELECT CAST(DATE_FORMAT(OLD.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour, r.provider, r.category,
      -1 AS executions,
      -(OLD.status = 'success') AS successes,
      -(OLD.status = 'failed') AS failures,
      -(OLD.status = 'cancelled') AS cancelled,
      -(OLD.duration_ms IS NOT NULL) AS duration_count,
      -COALESCE(OLD.duration_ms, 0) AS duration_sum,
      -COALESCE(OLD.output_size_bytes, 0) AS total_output_bytes
    FROM reports r WHERE r.id = OLD.report_id
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = dimension_hourly_rollup.executions + x.executions,
    successes = dimension_hourly_rollup.successes + x.successes,
    failures = dimension_hourly_rollup.failures + x.failures,
    cancelled = dimension_hourly_rollup.cancelled + x.cancelled,
    duration_count = dimension_hourly_rollup.duration_count + x.duration_count,
    duration_sum = dimension_hourly_rollup.duration_sum + x.duration_sum,
    total_output_bytes = dimension_hourly_rollup.total_output_bytes + x.total_output_bytes;

CREATE TRIGGER reports_update_old_dimension_hour AFTER UPDATE ON reports
FOR EACH ROW INSERT INTO dimension_hourly_rollup
  SELECT * FROM (
    SELECT CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour, OLD.provider AS provider, OLD.category AS category,
      -COUNT(*) AS executions,
      -SUM(e.status = 'success') AS successes,
      -SUM(e.status = 'failed') AS failures,
      -SUM(e.status = 'cancelled') AS cancelled,
      -COUNT(e.duration_ms) AS duration_count,
      -COALESCE(SUM(e.duration_ms), 0) AS duration_sum,
      -COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes
    FROM report_executions e
    WHERE e.report_id = OLD.id AND (OLD.provider <> NEW.provider OR OLD.category <> NEW.category)
    GROUP BY bucket_hour
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = dimension_hourly_rollup.executions + x.executions,
    successes = dimension_hourly_rollup.successes + x.successes,
    failures = dimension_hourly_rollup.failures + x.failures,
    cancelled = dimension_hourly_rollup.cancelled + x.cancelled,
    duration_count = dimension_hourly_rollup.duration_count + x.duration_count,
    duration_sum = dimension_hourly_rollup.duration_sum + x.duration_sum,
    total_output_bytes = dimension_hourly_rollup.total_output_bytes + x.total_output_bytes;

CREATE TRIGGER reports_update_new_dimension_hour AFTER UPDATE ON reports
FOR EACH ROW INSERT INTO dimension_hourly_rollup
  SELECT * FROM (
    SELECT CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour, NEW.provider AS provider, NEW.category AS category,
      COUNT(*) AS executions,
      SUM(e.status = 'success') AS successes,
      SUM(e.status = 'failed') AS failures,
      SUM(e.status = 'cancelled') AS cancelled,
      COUNT(e.duration_ms) AS duration_count,
      COALESCE(SUM(e.duration_ms), 0) AS duration_sum,
      COALESCE(SUM(e.output_size_bytes), 0) AS total_output_bytes
    FROM report_executions e
    WHERE e.report_id = NEW.id AND (OLD.provider <> NEW.provider OR OLD.category <> NEW.category)
    GROUP BY bucket_hour
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = dimension_hourly_rollup.executions + x.executions,
    successes = dimension_hourly_rollup.successes + x.successes,
    failures = dimension_hourly_rollup.failures + x.failures,
    cancelled = dimension_hourly_rollup.cancelled + x.cancelled,
    duration_count = dimension_hourly_rollup.duration_count + x.duration_count,
    duration_sum = dimension_hourly_rollup.duration_sum + x.duration_sum,
    total_output_bytes = dimension_hourly_rollup.total_output_bytes + x.total_output_bytes;


-- Existing executions.
INSERT INTO dimension_hourly_rollup
SELECT CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS hour, r.provider, r.category,
  COUNT(*), SUM(e.status = 'success'), SUM(e.status = 'failed'), SUM(e.status = 'cancelled'),
  COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), COALESCE(SUM(e.output_size_bytes), 0)
FROM report_executions e JOIN reports r ON r.id = e.report_id
GROUP BY hour, r.provider, r.category;
