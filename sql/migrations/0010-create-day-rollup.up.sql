-- Per UTC day: the sums of all executions and how many reports and users ran any.
-- A year is 365 rows, so a daily series with distinct counts reads no more; the
-- counts cannot be summed from finer cells, which is why they are kept here.
-- Derived from the daily rollups by the triggers below.
CREATE TABLE day_rollup (
  bucket_date DATE NOT NULL,
  executions BIGINT NOT NULL,
  successes BIGINT NOT NULL,
  failures BIGINT NOT NULL,
  cancelled BIGINT NOT NULL,
  duration_count BIGINT NOT NULL,
  duration_sum BIGINT NOT NULL,
  total_output_bytes DECIMAL(38, 0) NOT NULL,
  reports INT NOT NULL,
  users INT NOT NULL,
  PRIMARY KEY (bucket_date)
) ENGINE = InnoDB;

-- The triggers of day_rollup. It is derived from the daily rollups, not from the
-- raw rows: every change of a report_daily_rollup cell adds its difference to the
-- day's sums and, when the cell starts or stops having executions, to the day's
-- report count; every change of a user_daily_rollup cell does the same for the
-- user count. So it follows every write that the daily rollups follow, the bulk
-- writers' per-statement upkeep included, at one small write per cell.
-- A deleted user's cells go by foreign-key cascade, which fires no trigger: the
-- user's BEFORE DELETE trigger takes them off the day counts first.

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


INSERT INTO day_rollup
SELECT bucket_date, SUM(executions), SUM(successes), SUM(failures), SUM(cancelled),
  SUM(duration_count), SUM(duration_sum), SUM(total_output_bytes), SUM(executions > 0), 0
FROM report_daily_rollup GROUP BY bucket_date;

INSERT INTO day_rollup
SELECT * FROM (
  SELECT bucket_date, 0 AS executions, 0 AS successes, 0 AS failures, 0 AS cancelled,
    0 AS duration_count, 0 AS duration_sum, 0 AS total_output_bytes, 0 AS reports,
    SUM(executions > 0) AS users
  FROM user_daily_rollup GROUP BY bucket_date
) AS x
ON DUPLICATE KEY UPDATE users = x.users;
