-- Undo 0011: back to the rollup triggers of 0010. The old triggers come first, so
-- that writes from here on keep the rollups themselves; then the journal's
-- triggers go, and every cell the journal still touches is recomputed from the
-- raw rows (which holds every change, folded or not) before the journal goes.

CREATE TRIGGER report_executions_after_insert AFTER INSERT ON report_executions
FOR EACH ROW BEGIN
  IF @rollups_by_statement IS NULL THEN
    INSERT INTO report_daily_rollup
      SELECT DATE(NEW.started_at), NEW.report_id, 1, NEW.status = 'success', NEW.status = 'failed',
        NEW.status = 'cancelled', NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0),
        NEW.duration_ms, COALESCE(NEW.output_size_bytes, 0), NEW.started_at
      FROM DUAL
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

    INSERT INTO user_daily_rollup
      SELECT DATE(NEW.started_at), NEW.executed_by, 1, NEW.status = 'success', NEW.status = 'failed',
        NEW.status = 'cancelled', NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0),
        NEW.duration_ms, COALESCE(NEW.output_size_bytes, 0), NEW.started_at
      FROM DUAL
      WHERE NEW.executed_by IS NOT NULL
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

    INSERT INTO report_monthly_rollup
      SELECT DATE_FORMAT(NEW.started_at, '%Y-%m-01'), NEW.report_id, 1, NEW.status = 'success',
        NEW.status = 'failed', NEW.status = 'cancelled', NEW.duration_ms IS NOT NULL,
        COALESCE(NEW.duration_ms, 0), NEW.duration_ms, COALESCE(NEW.output_size_bytes, 0), NEW.started_at
      FROM DUAL
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

    INSERT INTO dimension_hourly_rollup
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
  END IF;
END;

CREATE TRIGGER report_executions_update_old_report_day AFTER UPDATE ON report_executions
FOR EACH ROW REPLACE INTO report_daily_rollup
  SELECT DATE(OLD.started_at), OLD.report_id, COUNT(*), COALESCE(SUM(status = 'success'), 0),
    COALESCE(SUM(status = 'failed'), 0), COALESCE(SUM(status = 'cancelled'), 0),
    COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
    COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
  FROM report_executions
  WHERE report_id = OLD.report_id AND started_at >= DATE(OLD.started_at) AND started_at < DATE(OLD.started_at) + INTERVAL 1 DAY
  HAVING EXISTS (SELECT 1 FROM reports p WHERE p.id = OLD.report_id);

CREATE TRIGGER report_executions_update_new_report_day AFTER UPDATE ON report_executions
FOR EACH ROW REPLACE INTO report_daily_rollup
  SELECT DATE(NEW.started_at), NEW.report_id, COUNT(*), COALESCE(SUM(status = 'success'), 0),
    COALESCE(SUM(status = 'failed'), 0), COALESCE(SUM(status = 'cancelled'), 0),
    COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
    COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
  FROM report_executions
  WHERE report_id = NEW.report_id AND started_at >= DATE(NEW.started_at) AND started_at < DATE(NEW.started_at) + INTERVAL 1 DAY
  HAVING EXISTS (SELECT 1 FROM reports p WHERE p.id = NEW.report_id);

CREATE TRIGGER report_executions_delete_report_day AFTER DELETE ON report_executions
FOR EACH ROW REPLACE INTO report_daily_rollup
  SELECT DATE(OLD.started_at), OLD.report_id, COUNT(*), COALESCE(SUM(status = 'success'), 0),
    COALESCE(SUM(status = 'failed'), 0), COALESCE(SUM(status = 'cancelled'), 0),
    COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
    COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
  FROM report_executions
  WHERE report_id = OLD.report_id AND started_at >= DATE(OLD.started_at) AND started_at < DATE(OLD.started_at) + INTERVAL 1 DAY
  HAVING EXISTS (SELECT 1 FROM reports p WHERE p.id = OLD.report_id);

CREATE TRIGGER report_executions_update_old_user_day AFTER UPDATE ON report_executions
FOR EACH ROW REPLACE INTO user_daily_rollup
  SELECT DATE(OLD.started_at), OLD.executed_by, COUNT(*), COALESCE(SUM(status = 'success'), 0),
    COALESCE(SUM(status = 'failed'), 0), COALESCE(SUM(status = 'cancelled'), 0),
    COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
    COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
  FROM report_executions
  WHERE executed_by = OLD.executed_by AND started_at >= DATE(OLD.started_at) AND started_at < DATE(OLD.started_at) + INTERVAL 1 DAY
  HAVING EXISTS (SELECT 1 FROM users p WHERE p.id = OLD.executed_by);

CREATE TRIGGER report_executions_update_new_user_day AFTER UPDATE ON report_executions
FOR EACH ROW REPLACE INTO user_daily_rollup
  SELECT DATE(NEW.started_at), NEW.executed_by, COUNT(*), COALESCE(SUM(status = 'success'), 0),
    COALESCE(SUM(status = 'failed'), 0), COALESCE(SUM(status = 'cancelled'), 0),
    COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
    COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
  FROM report_executions
  WHERE executed_by = NEW.executed_by AND started_at >= DATE(NEW.started_at) AND started_at < DATE(NEW.started_at) + INTERVAL 1 DAY
  HAVING EXISTS (SELECT 1 FROM users p WHERE p.id = NEW.executed_by);

CREATE TRIGGER report_executions_delete_user_day AFTER DELETE ON report_executions
FOR EACH ROW REPLACE INTO user_daily_rollup
  SELECT DATE(OLD.started_at), OLD.executed_by, COUNT(*), COALESCE(SUM(status = 'success'), 0),
    COALESCE(SUM(status = 'failed'), 0), COALESCE(SUM(status = 'cancelled'), 0),
    COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MAX(duration_ms),
    COALESCE(SUM(output_size_bytes), 0), MAX(started_at)
  FROM report_executions
  WHERE executed_by = OLD.executed_by AND started_at >= DATE(OLD.started_at) AND started_at < DATE(OLD.started_at) + INTERVAL 1 DAY
  HAVING EXISTS (SELECT 1 FROM users p WHERE p.id = OLD.executed_by);

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

CREATE TRIGGER report_daily_rollup_insert_day AFTER INSERT ON report_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT NEW.bucket_date AS bucket_date,
      NEW.executions AS executions,
      NEW.successes AS successes,
      NEW.failures AS failures,
      NEW.cancelled AS cancelled,
      NEW.duration_count AS duration_count,
      NEW.duration_sum AS duration_sum,
      NEW.total_output_bytes AS total_output_bytes,
      (NEW.executions > 0) AS reports,
      0 AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = day_rollup.executions + x.executions,
    successes = day_rollup.successes + x.successes,
    failures = day_rollup.failures + x.failures,
    cancelled = day_rollup.cancelled + x.cancelled,
    duration_count = day_rollup.duration_count + x.duration_count,
    duration_sum = day_rollup.duration_sum + x.duration_sum,
    total_output_bytes = day_rollup.total_output_bytes + x.total_output_bytes,
    reports = day_rollup.reports + x.reports,
    users = day_rollup.users + x.users;

CREATE TRIGGER report_daily_rollup_update_old_day AFTER UPDATE ON report_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT OLD.bucket_date AS bucket_date,
      -OLD.executions AS executions,
      -OLD.successes AS successes,
      -OLD.failures AS failures,
      -OLD.cancelled AS cancelled,
      -OLD.duration_count AS duration_count,
      -OLD.duration_sum AS duration_sum,
      -OLD.total_output_bytes AS total_output_bytes,
      -(OLD.executions > 0) AS reports,
      0 AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = day_rollup.executions + x.executions,
    successes = day_rollup.successes + x.successes,
    failures = day_rollup.failures + x.failures,
    cancelled = day_rollup.cancelled + x.cancelled,
    duration_count = day_rollup.duration_count + x.duration_count,
    duration_sum = day_rollup.duration_sum + x.duration_sum,
    total_output_bytes = day_rollup.total_output_bytes + x.total_output_bytes,
    reports = day_rollup.reports + x.reports,
    users = day_rollup.users + x.users;

CREATE TRIGGER report_daily_rollup_update_new_day AFTER UPDATE ON report_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT NEW.bucket_date AS bucket_date,
      NEW.executions AS executions,
      NEW.successes AS successes,
      NEW.failures AS failures,
      NEW.cancelled AS cancelled,
      NEW.duration_count AS duration_count,
      NEW.duration_sum AS duration_sum,
      NEW.total_output_bytes AS total_output_bytes,
      (NEW.executions > 0) AS reports,
      0 AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = day_rollup.executions + x.executions,
    successes = day_rollup.successes + x.successes,
    failures = day_rollup.failures + x.failures,
    cancelled = day_rollup.cancelled + x.cancelled,
    duration_count = day_rollup.duration_count + x.duration_count,
    duration_sum = day_rollup.duration_sum + x.duration_sum,
    total_output_bytes = day_rollup.total_output_bytes + x.total_output_bytes,
    reports = day_rollup.reports + x.reports,
    users = day_rollup.users + x.users;

CREATE TRIGGER report_daily_rollup_delete_day AFTER DELETE ON report_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT OLD.bucket_date AS bucket_date,
      -OLD.executions AS executions,
      -OLD.successes AS successes,
      -OLD.failures AS failures,
      -OLD.cancelled AS cancelled,
      -OLD.duration_count AS duration_count,
      -OLD.duration_sum AS duration_sum,
      -OLD.total_output_bytes AS total_output_bytes,
      -(OLD.executions > 0) AS reports,
      0 AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = day_rollup.executions + x.executions,
    successes = day_rollup.successes + x.successes,
    failures = day_rollup.failures + x.failures,
    cancelled = day_rollup.cancelled + x.cancelled,
    duration_count = day_rollup.duration_count + x.duration_count,
    duration_sum = day_rollup.duration_sum + x.duration_sum,
    total_output_bytes = day_rollup.total_output_bytes + x.total_output_bytes,
    reports = day_rollup.reports + x.reports,
    users = day_rollup.users + x.users;

CREATE TRIGGER user_daily_rollup_insert_day AFTER INSERT ON user_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT NEW.bucket_date AS bucket_date,
      0 AS executions,
      0 AS successes,
      0 AS failures,
      0 AS cancelled,
      0 AS duration_count,
      0 AS duration_sum,
      0 AS total_output_bytes,
      0 AS reports,
      (NEW.executions > 0) AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    users = day_rollup.users + x.users;

CREATE TRIGGER user_daily_rollup_update_old_day AFTER UPDATE ON user_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT OLD.bucket_date AS bucket_date,
      0 AS executions,
      0 AS successes,
      0 AS failures,
      0 AS cancelled,
      0 AS duration_count,
      0 AS duration_sum,
      0 AS total_output_bytes,
      0 AS reports,
      -(OLD.executions > 0) AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    users = day_rollup.users + x.users;

CREATE TRIGGER user_daily_rollup_update_new_day AFTER UPDATE ON user_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT NEW.bucket_date AS bucket_date,
      0 AS executions,
      0 AS successes,
      0 AS failures,
      0 AS cancelled,
      0 AS duration_count,
      0 AS duration_sum,
      0 AS total_output_bytes,
      0 AS reports,
      (NEW.executions > 0) AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    users = day_rollup.users + x.users;

CREATE TRIGGER user_daily_rollup_delete_day AFTER DELETE ON user_daily_rollup
FOR EACH ROW INSERT INTO day_rollup
  SELECT * FROM (
    SELECT OLD.bucket_date AS bucket_date,
      0 AS executions,
      0 AS successes,
      0 AS failures,
      0 AS cancelled,
      0 AS duration_count,
      0 AS duration_sum,
      0 AS total_output_bytes,
      0 AS reports,
      -(OLD.executions > 0) AS users
  ) AS x
  ON DUPLICATE KEY UPDATE
    users = day_rollup.users + x.users;

CREATE TRIGGER users_delete_day BEFORE DELETE ON users
FOR EACH ROW UPDATE day_rollup d JOIN user_daily_rollup u ON u.bucket_date = d.bucket_date
  SET d.users = d.users - 1
  WHERE u.executed_by = OLD.id AND u.executions > 0;

DROP TRIGGER IF EXISTS report_executions_journal_insert;
DROP TRIGGER IF EXISTS report_executions_journal_update;
DROP TRIGGER IF EXISTS report_executions_journal_delete;
DROP TRIGGER IF EXISTS reports_journal_dimensions;
DROP TRIGGER IF EXISTS users_journal_days;

-- The cells the journal touches, recomputed from the raw rows. The day_rollup
-- triggers above follow the daily rollups' changes; the days are recomputed at
-- the end anyway, for the user counts of deleted users.
DELETE d FROM report_daily_rollup d
JOIN (SELECT DISTINCT report_id, DATE(started_at) AS day FROM rollup_journal WHERE report_id IS NOT NULL) c
  ON c.report_id = d.report_id AND c.day = d.bucket_date;
INSERT INTO report_daily_rollup
SELECT DATE(e.started_at), e.report_id, COUNT(*), SUM(e.status = 'success'), SUM(e.status = 'failed'),
  SUM(e.status = 'cancelled'), COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), MAX(e.duration_ms),
  COALESCE(SUM(e.output_size_bytes), 0), MAX(e.started_at)
FROM report_executions e
JOIN (SELECT DISTINCT report_id, DATE(started_at) AS day FROM rollup_journal WHERE report_id IS NOT NULL) c
  ON c.report_id = e.report_id AND e.started_at >= c.day AND e.started_at < c.day + INTERVAL 1 DAY
WHERE EXISTS (SELECT 1 FROM reports p WHERE p.id = e.report_id)
GROUP BY DATE(e.started_at), e.report_id;

DELETE d FROM user_daily_rollup d
JOIN (SELECT DISTINCT executed_by, DATE(started_at) AS day FROM rollup_journal WHERE executed_by IS NOT NULL) c
  ON c.executed_by = d.executed_by AND c.day = d.bucket_date;
INSERT INTO user_daily_rollup
SELECT DATE(e.started_at), e.executed_by, COUNT(*), SUM(e.status = 'success'), SUM(e.status = 'failed'),
  SUM(e.status = 'cancelled'), COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), MAX(e.duration_ms),
  COALESCE(SUM(e.output_size_bytes), 0), MAX(e.started_at)
FROM report_executions e
JOIN (SELECT DISTINCT executed_by, DATE(started_at) AS day FROM rollup_journal WHERE executed_by IS NOT NULL) c
  ON c.executed_by = e.executed_by AND e.started_at >= c.day AND e.started_at < c.day + INTERVAL 1 DAY
WHERE EXISTS (SELECT 1 FROM users p WHERE p.id = e.executed_by)
GROUP BY DATE(e.started_at), e.executed_by;

DELETE d FROM report_monthly_rollup d
JOIN (SELECT DISTINCT report_id, DATE_FORMAT(started_at, '%Y-%m-01') AS month FROM rollup_journal
      WHERE report_id IS NOT NULL) c
  ON c.report_id = d.report_id AND c.month = d.bucket_month;
INSERT INTO report_monthly_rollup
SELECT DATE_FORMAT(e.started_at, '%Y-%m-01') AS bucket_month, e.report_id, COUNT(*), SUM(e.status = 'success'),
  SUM(e.status = 'failed'), SUM(e.status = 'cancelled'), COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0),
  MAX(e.duration_ms), COALESCE(SUM(e.output_size_bytes), 0), MAX(e.started_at)
FROM report_executions e
JOIN (SELECT DISTINCT report_id, DATE_FORMAT(started_at, '%Y-%m-01') AS month FROM rollup_journal
      WHERE report_id IS NOT NULL) c
  ON c.report_id = e.report_id AND e.started_at >= c.month AND e.started_at < c.month + INTERVAL 1 MONTH
WHERE EXISTS (SELECT 1 FROM reports p WHERE p.id = e.report_id)
GROUP BY bucket_month, e.report_id;

DELETE d FROM dimension_hourly_rollup d
JOIN (SELECT DISTINCT CAST(DATE_FORMAT(started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS hour FROM rollup_journal) c
  ON c.hour = d.bucket_hour;
INSERT INTO dimension_hourly_rollup
SELECT CAST(DATE_FORMAT(e.started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS bucket_hour, r.provider, r.category,
  COUNT(*), SUM(e.status = 'success'), SUM(e.status = 'failed'), SUM(e.status = 'cancelled'),
  COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), COALESCE(SUM(e.output_size_bytes), 0)
FROM report_executions e JOIN reports r ON r.id = e.report_id
JOIN (SELECT DISTINCT CAST(DATE_FORMAT(started_at, '%Y-%m-%d %H:00:00') AS DATETIME) AS hour FROM rollup_journal) c
  ON e.started_at >= c.hour AND e.started_at < c.hour + INTERVAL 1 HOUR
GROUP BY bucket_hour, r.provider, r.category;

DELETE d FROM day_rollup d
JOIN (SELECT DISTINCT DATE(started_at) AS day FROM rollup_journal) c ON c.day = d.bucket_date;
INSERT INTO day_rollup
SELECT c.day, COALESCE(r.executions, 0), COALESCE(r.successes, 0), COALESCE(r.failures, 0),
  COALESCE(r.cancelled, 0), COALESCE(r.duration_count, 0), COALESCE(r.duration_sum, 0),
  COALESCE(r.total_output_bytes, 0), COALESCE(r.reports, 0), COALESCE(u.users, 0)
FROM (SELECT DISTINCT DATE(started_at) AS day FROM rollup_journal) c
LEFT JOIN (
  SELECT bucket_date, SUM(executions) AS executions, SUM(successes) AS successes,
    SUM(failures) AS failures, SUM(cancelled) AS cancelled, SUM(duration_count) AS duration_count,
    SUM(duration_sum) AS duration_sum, SUM(total_output_bytes) AS total_output_bytes,
    SUM(executions > 0) AS reports
  FROM report_daily_rollup GROUP BY bucket_date
) r ON r.bucket_date = c.day
LEFT JOIN (
  SELECT bucket_date, SUM(executions > 0) AS users FROM user_daily_rollup GROUP BY bucket_date
) u ON u.bucket_date = c.day;

DROP TABLE rollup_journal;
