-- Duration histograms, so that percentiles (p50, p95, p99) are read from the
-- rollups like every other measure. Every rollup row gains the histogram of its
-- cell's durations: per bucket (a duration's lower bound with all but its 7
-- highest bits cleared: exact below 128 ms, 64 buckets per doubling above) how many
-- durations fall there, as text `bucket:count,…` in ascending bucket order, NULL
-- when none (src/rollups/duration-histogram.ts reads and writes it).
--
-- The journal's rows gain the bucket their `duration_count` counts in: each row now
-- holds the durations of one bucket (an update that moves a duration to another
-- bucket journals two rows), so the applier adds each row's count to its cell's
-- histogram as it adds the sums. The histograms of the executions already there are
-- computed from the raw rows; journal rows written before this migration carry no
-- bucket and add nothing to a histogram, which the raw rows already count.
--
-- All of it happens under table locks: the application's writes wait for it, and
-- none can slip in between the old triggers and the new ones.

SET SESSION group_concat_max_len = 1048576;

LOCK TABLES report_executions WRITE, reports WRITE, users WRITE, rollup_journal WRITE,
  rollup_report_changes WRITE, report_daily_rollup WRITE, user_daily_rollup WRITE,
  report_monthly_rollup WRITE, dimension_hourly_rollup WRITE, day_rollup WRITE;

ALTER TABLE rollup_journal ADD COLUMN duration_bucket INT UNSIGNED NULL;
ALTER TABLE report_daily_rollup ADD COLUMN duration_histogram TEXT CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE user_daily_rollup ADD COLUMN duration_histogram TEXT CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE report_monthly_rollup ADD COLUMN duration_histogram TEXT CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE dimension_hourly_rollup ADD COLUMN duration_histogram TEXT CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE day_rollup ADD COLUMN duration_histogram TEXT CHARACTER SET ascii COLLATE ascii_bin NULL;

DROP TRIGGER report_executions_journal_insert;
DROP TRIGGER report_executions_journal_update;
DROP TRIGGER report_executions_journal_delete;
DROP TRIGGER reports_journal_dimensions;

CREATE TRIGGER report_executions_journal_insert AFTER INSERT ON report_executions
FOR EACH ROW BEGIN
  IF @rollups_by_statement IS NULL THEN
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers, duration_bucket)
    VALUES (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 1,
      NEW.status = 'success', NEW.status = 'failed', NEW.status = 'cancelled',
      NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0), COALESCE(NEW.output_size_bytes, 0),
      NEW.duration_ms, NEW.started_at, FALSE, IF(NEW.duration_ms < 128, NEW.duration_ms, (NEW.duration_ms >> (LENGTH(BIN(NEW.duration_ms)) - 7)) << (LENGTH(BIN(NEW.duration_ms)) - 7)));
  END IF;
END;

-- An update that keeps the row in its cells is one row of differences, counted in
-- the bucket of the duration it has or had; when a duration moves to another
-- bucket, the old one leaves its bucket in one row and the new one enters its own
-- in a second. One that moves the row to other cells is a removal and an addition.
CREATE TRIGGER report_executions_journal_update AFTER UPDATE ON report_executions
FOR EACH ROW BEGIN
  IF OLD.started_at = NEW.started_at AND OLD.report_id = NEW.report_id
    AND OLD.executed_by <=> NEW.executed_by THEN
    IF NOT (OLD.status <=> NEW.status AND OLD.duration_ms <=> NEW.duration_ms
      AND OLD.output_size_bytes <=> NEW.output_size_bytes) THEN
      IF IF(OLD.duration_ms < 128, OLD.duration_ms, (OLD.duration_ms >> (LENGTH(BIN(OLD.duration_ms)) - 7)) << (LENGTH(BIN(OLD.duration_ms)) - 7)) <> IF(NEW.duration_ms < 128, NEW.duration_ms, (NEW.duration_ms >> (LENGTH(BIN(NEW.duration_ms)) - 7)) << (LENGTH(BIN(NEW.duration_ms)) - 7)) THEN
        INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers, duration_bucket)
        VALUES (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 0,
          (NEW.status = 'success') - (OLD.status = 'success'),
          (NEW.status = 'failed') - (OLD.status = 'failed'),
          (NEW.status = 'cancelled') - (OLD.status = 'cancelled'),
          -1, -CAST(OLD.duration_ms AS SIGNED),
          CAST(COALESCE(NEW.output_size_bytes, 0) AS DECIMAL(38, 0))
            - CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)),
          NULL, NULL, NEW.duration_ms < OLD.duration_ms, IF(OLD.duration_ms < 128, OLD.duration_ms, (OLD.duration_ms >> (LENGTH(BIN(OLD.duration_ms)) - 7)) << (LENGTH(BIN(OLD.duration_ms)) - 7))),
        (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 0, 0, 0, 0,
          1, NEW.duration_ms, 0, NEW.duration_ms, NEW.started_at, FALSE, IF(NEW.duration_ms < 128, NEW.duration_ms, (NEW.duration_ms >> (LENGTH(BIN(NEW.duration_ms)) - 7)) << (LENGTH(BIN(NEW.duration_ms)) - 7)));
      ELSE
        INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers, duration_bucket)
        VALUES (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 0,
          (NEW.status = 'success') - (OLD.status = 'success'),
          (NEW.status = 'failed') - (OLD.status = 'failed'),
          (NEW.status = 'cancelled') - (OLD.status = 'cancelled'),
          (NEW.duration_ms IS NOT NULL) - (OLD.duration_ms IS NOT NULL),
          CAST(COALESCE(NEW.duration_ms, 0) AS SIGNED) - CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
          CAST(COALESCE(NEW.output_size_bytes, 0) AS DECIMAL(38, 0))
            - CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)),
          NEW.duration_ms, NEW.started_at,
          OLD.duration_ms IS NOT NULL AND (NEW.duration_ms IS NULL OR NEW.duration_ms < OLD.duration_ms),
          IF(COALESCE(NEW.duration_ms, OLD.duration_ms) < 128, COALESCE(NEW.duration_ms, OLD.duration_ms), (COALESCE(NEW.duration_ms, OLD.duration_ms) >> (LENGTH(BIN(COALESCE(NEW.duration_ms, OLD.duration_ms))) - 7)) << (LENGTH(BIN(COALESCE(NEW.duration_ms, OLD.duration_ms))) - 7)));
      END IF;
    END IF;
  ELSE
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers, duration_bucket)
    VALUES (UUID_SHORT(), OLD.started_at, OLD.report_id, OLD.executed_by, -1,
      -(OLD.status = 'success'), -(OLD.status = 'failed'), -(OLD.status = 'cancelled'),
      -(OLD.duration_ms IS NOT NULL), -CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
      -CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)), NULL, NULL, TRUE, IF(OLD.duration_ms < 128, OLD.duration_ms, (OLD.duration_ms >> (LENGTH(BIN(OLD.duration_ms)) - 7)) << (LENGTH(BIN(OLD.duration_ms)) - 7))),
    (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 1,
      NEW.status = 'success', NEW.status = 'failed', NEW.status = 'cancelled',
      NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0), COALESCE(NEW.output_size_bytes, 0),
      NEW.duration_ms, NEW.started_at, FALSE, IF(NEW.duration_ms < 128, NEW.duration_ms, (NEW.duration_ms >> (LENGTH(BIN(NEW.duration_ms)) - 7)) << (LENGTH(BIN(NEW.duration_ms)) - 7)));
  END IF;
END;

CREATE TRIGGER report_executions_journal_delete AFTER DELETE ON report_executions
FOR EACH ROW INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers, duration_bucket)
VALUES (UUID_SHORT(), OLD.started_at, OLD.report_id, OLD.executed_by, -1,
  -(OLD.status = 'success'), -(OLD.status = 'failed'), -(OLD.status = 'cancelled'),
  -(OLD.duration_ms IS NOT NULL), -CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
  -CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)), NULL, NULL, TRUE, IF(OLD.duration_ms < 128, OLD.duration_ms, (OLD.duration_ms >> (LENGTH(BIN(OLD.duration_ms)) - 7)) << (LENGTH(BIN(OLD.duration_ms)) - 7)));

-- A report that changes provider or category moves its executions between
-- provider-and-category cells as in 0012, now per hour and duration bucket.
CREATE TRIGGER reports_journal_dimensions AFTER UPDATE ON reports
FOR EACH ROW BEGIN
  IF NOT (OLD.provider <=> NEW.provider AND OLD.category <=> NEW.category) THEN
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category,
      executions, successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers, duration_bucket)
    SELECT UUID_SHORT(), MAX(e.started_at), e.report_id, NULL, moved.provider, moved.category,
      moved.sign * COUNT(*), moved.sign * SUM(e.status = 'success'), moved.sign * SUM(e.status = 'failed'),
      moved.sign * SUM(e.status = 'cancelled'), moved.sign * COUNT(e.duration_ms),
      moved.sign * COALESCE(SUM(e.duration_ms), 0), moved.sign * COALESCE(SUM(e.output_size_bytes), 0),
      IF(moved.sign > 0, MAX(e.duration_ms), NULL), IF(moved.sign > 0, MAX(e.started_at), NULL), FALSE,
      IF(e.duration_ms < 128, e.duration_ms, (e.duration_ms >> (LENGTH(BIN(e.duration_ms)) - 7)) << (LENGTH(BIN(e.duration_ms)) - 7))
    FROM report_executions e
    JOIN (SELECT -1 AS sign, OLD.provider AS provider, OLD.category AS category
          UNION ALL SELECT 1, NEW.provider, NEW.category) moved
    WHERE e.report_id = NEW.id
    GROUP BY e.report_id, moved.sign, moved.provider, moved.category,
      DATE_FORMAT(e.started_at, '%Y-%m-%d %H'), IF(e.duration_ms < 128, e.duration_ms, (e.duration_ms >> (LENGTH(BIN(e.duration_ms)) - 7)) << (LENGTH(BIN(e.duration_ms)) - 7))
    LOCK IN SHARE MODE;
    INSERT INTO rollup_report_changes (id, report_id, provider, category)
    VALUES (UUID_SHORT(), OLD.id, OLD.provider, OLD.category);
  END IF;
END;

-- The histograms of the executions there are. A cell whose executions are all
-- still in the journal gets a row of zeros holding its histogram, to which the
-- applier then adds the sums.
INSERT INTO report_daily_rollup (bucket_date, report_id, executions, successes, failures, cancelled, duration_count, duration_sum,
  max_duration_ms, total_output_bytes, last_executed_at, duration_histogram)
SELECT bucket_date, report_id, 0, 0, 0, 0, 0, 0, NULL, 0, NULL,
  GROUP_CONCAT(CONCAT(duration_bucket, ':', n) ORDER BY duration_bucket SEPARATOR ',')
FROM (
  SELECT DATE(started_at) AS bucket_date, report_id, IF(duration_ms < 128, duration_ms, (duration_ms >> (LENGTH(BIN(duration_ms)) - 7)) << (LENGTH(BIN(duration_ms)) - 7)) AS duration_bucket, COUNT(*) AS n
  FROM report_executions
  WHERE duration_ms IS NOT NULL
    AND EXISTS (SELECT 1 FROM reports WHERE reports.id = report_executions.report_id)
  GROUP BY bucket_date, report_id, duration_bucket
) buckets
GROUP BY bucket_date, report_id
ON DUPLICATE KEY UPDATE duration_histogram = VALUES(duration_histogram);

INSERT INTO user_daily_rollup (bucket_date, executed_by, executions, successes, failures, cancelled, duration_count, duration_sum,
  max_duration_ms, total_output_bytes, last_executed_at, duration_histogram)
SELECT bucket_date, executed_by, 0, 0, 0, 0, 0, 0, NULL, 0, NULL,
  GROUP_CONCAT(CONCAT(duration_bucket, ':', n) ORDER BY duration_bucket SEPARATOR ',')
FROM (
  SELECT DATE(started_at) AS bucket_date, executed_by, IF(duration_ms < 128, duration_ms, (duration_ms >> (LENGTH(BIN(duration_ms)) - 7)) << (LENGTH(BIN(duration_ms)) - 7)) AS duration_bucket, COUNT(*) AS n
  FROM report_executions
  WHERE duration_ms IS NOT NULL
    AND EXISTS (SELECT 1 FROM users WHERE users.id = report_executions.executed_by)
  GROUP BY bucket_date, executed_by, duration_bucket
) buckets
GROUP BY bucket_date, executed_by
ON DUPLICATE KEY UPDATE duration_histogram = VALUES(duration_histogram);

INSERT INTO report_monthly_rollup (bucket_month, report_id, executions, successes, failures, cancelled, duration_count, duration_sum,
  max_duration_ms, total_output_bytes, last_executed_at, duration_histogram)
SELECT bucket_month, report_id, 0, 0, 0, 0, 0, 0, NULL, 0, NULL,
  GROUP_CONCAT(CONCAT(duration_bucket, ':', n) ORDER BY duration_bucket SEPARATOR ',')
FROM (
  SELECT CAST(DATE_FORMAT(started_at, '%Y-%m-01') AS DATE) AS bucket_month, report_id, IF(duration_ms < 128, duration_ms, (duration_ms >> (LENGTH(BIN(duration_ms)) - 7)) << (LENGTH(BIN(duration_ms)) - 7)) AS duration_bucket, COUNT(*) AS n
  FROM report_executions
  WHERE duration_ms IS NOT NULL
    AND EXISTS (SELECT 1 FROM reports WHERE reports.id = report_executions.report_id)
  GROUP BY bucket_month, report_id, duration_bucket
) buckets
GROUP BY bucket_month, report_id
ON DUPLICATE KEY UPDATE duration_histogram = VALUES(duration_histogram);

INSERT INTO dimension_hourly_rollup (bucket_hour, provider, category, executions, successes, failures, cancelled, duration_count, duration_sum,
  total_output_bytes, duration_histogram)
SELECT bucket_hour, provider, category, 0, 0, 0, 0, 0, 0, 0,
  GROUP_CONCAT(CONCAT(duration_bucket, ':', n) ORDER BY duration_bucket SEPARATOR ',')
FROM (
  SELECT CAST(DATE_FORMAT(started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour,
    reports.provider, reports.category, IF(duration_ms < 128, duration_ms, (duration_ms >> (LENGTH(BIN(duration_ms)) - 7)) << (LENGTH(BIN(duration_ms)) - 7)) AS duration_bucket, COUNT(*) AS n
  FROM report_executions JOIN reports ON reports.id = report_executions.report_id
  WHERE duration_ms IS NOT NULL
  GROUP BY bucket_hour, provider, category, duration_bucket
) buckets
GROUP BY bucket_hour, provider, category
ON DUPLICATE KEY UPDATE duration_histogram = VALUES(duration_histogram);

INSERT INTO day_rollup (bucket_date, executions, successes, failures, cancelled, duration_count, duration_sum,
  total_output_bytes, reports, users, duration_histogram)
SELECT bucket_date, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  GROUP_CONCAT(CONCAT(duration_bucket, ':', n) ORDER BY duration_bucket SEPARATOR ',')
FROM (
  SELECT DATE(started_at) AS bucket_date, IF(duration_ms < 128, duration_ms, (duration_ms >> (LENGTH(BIN(duration_ms)) - 7)) << (LENGTH(BIN(duration_ms)) - 7)) AS duration_bucket, COUNT(*) AS n
  FROM report_executions
  WHERE duration_ms IS NOT NULL
  GROUP BY bucket_date, duration_bucket
) buckets
GROUP BY bucket_date
ON DUPLICATE KEY UPDATE duration_histogram = VALUES(duration_histogram);

UNLOCK TABLES;
