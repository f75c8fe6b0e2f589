-- Rollup upkeep that the application's writes barely feel. The 25 triggers that
-- recomputed rollup cells inside every write (hot rows, deadlocks, cost growing
-- with the cell) give way to one light trigger per row change that appends the
-- signed deltas of the row's cells to an append-only journal. The gateway's
-- applier (src/rollups/applier.ts) folds the journal into the rollups in batches,
-- and every read adds the journal's rows not yet folded (src/rollups/journal.ts),
-- so answers stay exact at every moment. The rollups keep their data: they were
-- exact under the old triggers, and the journal starts empty.

DROP TRIGGER IF EXISTS report_executions_after_insert;
DROP TRIGGER IF EXISTS report_executions_update_old_report_day;
DROP TRIGGER IF EXISTS report_executions_update_new_report_day;
DROP TRIGGER IF EXISTS report_executions_delete_report_day;
DROP TRIGGER IF EXISTS report_executions_update_old_user_day;
DROP TRIGGER IF EXISTS report_executions_update_new_user_day;
DROP TRIGGER IF EXISTS report_executions_delete_user_day;
DROP TRIGGER IF EXISTS report_executions_update_old_report_month;
DROP TRIGGER IF EXISTS report_executions_update_new_report_month;
DROP TRIGGER IF EXISTS report_executions_delete_report_month;
DROP TRIGGER IF EXISTS report_executions_update_old_dimension_hour;
DROP TRIGGER IF EXISTS report_executions_update_new_dimension_hour;
DROP TRIGGER IF EXISTS report_executions_delete_dimension_hour;
DROP TRIGGER IF EXISTS reports_update_old_dimension_hour;
DROP TRIGGER IF EXISTS reports_update_new_dimension_hour;
DROP TRIGGER IF EXISTS report_daily_rollup_insert_day;
DROP TRIGGER IF EXISTS report_daily_rollup_update_old_day;
DROP TRIGGER IF EXISTS report_daily_rollup_update_new_day;
DROP TRIGGER IF EXISTS report_daily_rollup_delete_day;
DROP TRIGGER IF EXISTS user_daily_rollup_insert_day;
DROP TRIGGER IF EXISTS user_daily_rollup_update_old_day;
DROP TRIGGER IF EXISTS user_daily_rollup_update_new_day;
DROP TRIGGER IF EXISTS user_daily_rollup_delete_day;
DROP TRIGGER IF EXISTS users_delete_day;

-- One row per change of the executions in one hour of one report (and user): the
-- signed differences of the summed measures. `started_at` places the row in its
-- hour, day and month cells and is, with `max_duration_ms`, a candidate maximum
-- of the rows it adds (NULL where it adds none). `lowers` marks a change that may
-- lower a cell's maximum: the applier recomputes those cells' maxima, and reads
-- take them from the raw rows until it has. No secondary index: the journal is
-- short, and every index would be one more write in the application's transaction.
-- The id is UUID_SHORT(), not AUTO_INCREMENT: it grows with every call like an
-- auto-increment value, but takes no auto-increment lock, which a bulk insert into
-- report_executions holding its own could deadlock against (innodb_autoinc_lock_mode 1).
CREATE TABLE rollup_journal (
  id BIGINT UNSIGNED NOT NULL,
  started_at DATETIME(3) NOT NULL,
  report_id BIGINT UNSIGNED NULL,
  executed_by BIGINT UNSIGNED NULL,
  provider ENUM('aws', 'azure', 'gcp', 'oci', 'multi') NULL,
  category ENUM('infrastructure', 'security', 'compliance', 'cost', 'performance', 'custom') NULL,
  executions INT NOT NULL,
  successes INT NOT NULL,
  failures INT NOT NULL,
  cancelled INT NOT NULL,
  duration_count INT NOT NULL,
  duration_sum BIGINT NOT NULL,
  total_output_bytes DECIMAL(38, 0) NOT NULL,
  max_duration_ms INT UNSIGNED NULL,
  last_executed_at DATETIME(3) NULL,
  lowers BOOLEAN NOT NULL,
  -- When the change was journaled, for the applier's lag (TIMESTAMP: UTC whatever
  -- the writer's time zone).
  journaled_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A bulk writer that journals its rows per statement (src/rollups/statement-rollups.ts)
-- sets @rollups_by_statement, and the trigger stands aside. The report's provider
-- and category are read with a shared lock, as the foreign key check reads the
-- row: a plain read would see the transaction's snapshot, which may predate a
-- change of the report that committed since.
CREATE TRIGGER report_executions_journal_insert AFTER INSERT ON report_executions
FOR EACH ROW BEGIN
  DECLARE row_provider VARCHAR(16) DEFAULT NULL;
  DECLARE row_category VARCHAR(16) DEFAULT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
  IF @rollups_by_statement IS NULL THEN
    SELECT provider, category INTO row_provider, row_category FROM reports WHERE id = NEW.report_id LOCK IN SHARE MODE;
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers)
    VALUES (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, row_provider, row_category, 1,
      NEW.status = 'success', NEW.status = 'failed', NEW.status = 'cancelled',
      NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0), COALESCE(NEW.output_size_bytes, 0),
      NEW.duration_ms, NEW.started_at, FALSE);
  END IF;
END;

-- An update that keeps the row in its cells (completing a run) is one row of
-- differences; one that moves it is a removal from the old cells and an addition
-- to the new. Updates of other columns journal nothing.
CREATE TRIGGER report_executions_journal_update AFTER UPDATE ON report_executions
FOR EACH ROW BEGIN
  DECLARE old_provider VARCHAR(16) DEFAULT NULL;
  DECLARE old_category VARCHAR(16) DEFAULT NULL;
  DECLARE new_provider VARCHAR(16) DEFAULT NULL;
  DECLARE new_category VARCHAR(16) DEFAULT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
  IF OLD.started_at = NEW.started_at AND OLD.report_id = NEW.report_id
    AND OLD.executed_by <=> NEW.executed_by THEN
    IF NOT (OLD.status <=> NEW.status AND OLD.duration_ms <=> NEW.duration_ms
      AND OLD.output_size_bytes <=> NEW.output_size_bytes) THEN
      SELECT provider, category INTO new_provider, new_category FROM reports WHERE id = NEW.report_id LOCK IN SHARE MODE;
      INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category, executions,
        successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
        max_duration_ms, last_executed_at, lowers)
      VALUES (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, new_provider, new_category, 0,
        (NEW.status = 'success') - (OLD.status = 'success'),
        (NEW.status = 'failed') - (OLD.status = 'failed'),
        (NEW.status = 'cancelled') - (OLD.status = 'cancelled'),
        (NEW.duration_ms IS NOT NULL) - (OLD.duration_ms IS NOT NULL),
        CAST(COALESCE(NEW.duration_ms, 0) AS SIGNED) - CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
        CAST(COALESCE(NEW.output_size_bytes, 0) AS DECIMAL(38, 0))
          - CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)),
        NEW.duration_ms, NEW.started_at,
        OLD.duration_ms IS NOT NULL AND (NEW.duration_ms IS NULL OR NEW.duration_ms < OLD.duration_ms));
    END IF;
  ELSE
    SELECT provider, category INTO old_provider, old_category FROM reports WHERE id = OLD.report_id LOCK IN SHARE MODE;
    SELECT provider, category INTO new_provider, new_category FROM reports WHERE id = NEW.report_id LOCK IN SHARE MODE;
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers)
    VALUES (UUID_SHORT(), OLD.started_at, OLD.report_id, OLD.executed_by, old_provider, old_category, -1,
      -(OLD.status = 'success'), -(OLD.status = 'failed'), -(OLD.status = 'cancelled'),
      -(OLD.duration_ms IS NOT NULL), -CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
      -CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)), NULL, NULL, TRUE),
    (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, new_provider, new_category, 1,
      NEW.status = 'success', NEW.status = 'failed', NEW.status = 'cancelled',
      NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0), COALESCE(NEW.output_size_bytes, 0),
      NEW.duration_ms, NEW.started_at, FALSE);
  END IF;
END;

CREATE TRIGGER report_executions_journal_delete AFTER DELETE ON report_executions
FOR EACH ROW BEGIN
  DECLARE old_provider VARCHAR(16) DEFAULT NULL;
  DECLARE old_category VARCHAR(16) DEFAULT NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN END;
  SELECT provider, category INTO old_provider, old_category FROM reports WHERE id = OLD.report_id LOCK IN SHARE MODE;
  INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category, executions,
    successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
    max_duration_ms, last_executed_at, lowers)
  VALUES (UUID_SHORT(), OLD.started_at, OLD.report_id, OLD.executed_by, old_provider, old_category, -1,
    -(OLD.status = 'success'), -(OLD.status = 'failed'), -(OLD.status = 'cancelled'),
    -(OLD.duration_ms IS NOT NULL), -CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
    -CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)), NULL, NULL, TRUE);
END;

-- A report that changes provider or category moves its executions between
-- provider-and-category cells: per hour, a removal under the old pair and an
-- addition under the new one. Without a user they leave the user rollup be; the
-- report's own cells net to nothing.
CREATE TRIGGER reports_journal_dimensions AFTER UPDATE ON reports
FOR EACH ROW INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category,
  executions, successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
  max_duration_ms, last_executed_at, lowers)
SELECT UUID_SHORT(), MAX(e.started_at), e.report_id, NULL, moved.provider, moved.category,
  moved.sign * COUNT(*), moved.sign * SUM(e.status = 'success'), moved.sign * SUM(e.status = 'failed'),
  moved.sign * SUM(e.status = 'cancelled'), moved.sign * COUNT(e.duration_ms),
  moved.sign * COALESCE(SUM(e.duration_ms), 0), moved.sign * COALESCE(SUM(e.output_size_bytes), 0),
  NULL, NULL, FALSE
FROM report_executions e
JOIN (SELECT -1 AS sign, OLD.provider AS provider, OLD.category AS category
      UNION ALL SELECT 1, NEW.provider, NEW.category) moved
WHERE e.report_id = NEW.id AND NOT (OLD.provider <=> NEW.provider AND OLD.category <=> NEW.category)
GROUP BY e.report_id, moved.sign, moved.provider, moved.category,
  DATE_FORMAT(e.started_at, '%Y-%m-%d %H');

-- A deleted user's executions lose their user by foreign key, which fires no
-- trigger: a row of no differences per day the user ran something marks those
-- days, whose distinct user counts the applier then recomputes.
CREATE TRIGGER users_journal_days BEFORE DELETE ON users
FOR EACH ROW INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category,
  executions, successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
  max_duration_ms, last_executed_at, lowers)
SELECT UUID_SHORT(), u.bucket_date, NULL, OLD.id, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, FALSE
FROM user_daily_rollup u
WHERE u.executed_by = OLD.id AND u.executions > 0;
