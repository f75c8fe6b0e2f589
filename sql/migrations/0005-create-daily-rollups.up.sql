-- Daily rollups of report_executions, per report and per user, kept exact by the
-- triggers below. A row holds the measures the views combine (sums, counts,
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

-- The triggers that keep the daily rollups exact for every write, the gateway's and
-- any made straight in SQL. An insert adds to its cell; an update or delete
-- recomputes the cells it leaves and enters from the raw rows (a maximum cannot be
-- decremented), which leaves a row of zeros where a cell empties. A cell is only
-- written while its report or user exists, so orphans (foreign key checks off)
-- can still be deleted.
-- One statement per trigger, several triggers per event: the SQL runs on MySQL 8.0
-- and MariaDB alike and needs no DELIMITER. A bulk writer may set
-- @rollups_by_statement to add its rows in one statement instead
-- (src/rollups/statement-rollups.ts); nothing else ever sets it.

CREATE TRIGGER report_executions_insert_report_day AFTER INSERT ON report_executions
FOR EACH ROW INSERT INTO report_daily_rollup
  SELECT DATE(NEW.started_at), NEW.report_id, 1, NEW.status = 'success', NEW.status = 'failed',
    NEW.status = 'cancelled', NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0),
    NEW.duration_ms, COALESCE(NEW.output_size_bytes, 0), NEW.started_at
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

CREATE TRIGGER report_executions_insert_user_day AFTER INSERT ON report_executions
FOR EACH ROW INSERT INTO user_daily_rollup
  SELECT DATE(NEW.started_at), NEW.executed_by, 1, NEW.status = 'success', NEW.status = 'failed',
    NEW.status = 'cancelled', NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0),
    NEW.duration_ms, COALESCE(NEW.output_size_bytes, 0), NEW.started_at
  FROM DUAL
  WHERE NEW.executed_by IS NOT NULL AND @rollups_by_statement IS NULL
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

-- Deleting a report cascades to its executions without firing their triggers, which
-- would leave them counted in the user rollup: they are deleted first, here, one
-- by one through the triggers above. (Deleting a user only nulls executed_by, and
-- the user rollup's own foreign key removes that user's rows.)
CREATE TRIGGER reports_delete_executions BEFORE DELETE ON reports
FOR EACH ROW DELETE FROM report_executions WHERE report_id = OLD.id;


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
