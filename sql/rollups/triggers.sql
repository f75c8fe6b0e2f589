-- The triggers that keep the daily rollups exact for every write, the gateway's and
-- any made straight in SQL. An insert adds to its cell; an update or delete
-- recomputes the cells it leaves and enters from the raw rows (a maximum cannot be
-- decremented), which leaves a row of zeros where a cell empties. A cell is only
-- written while its report or user exists, so orphans (foreign key checks off)
-- can still be deleted.
-- One statement per trigger, several triggers per event, on MySQL 8.0 and MariaDB
-- alike. The insert trigger, shared by every rollup, is sql/rollups/insert-trigger.sql.

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

-- Deleting a report cascades to its executions without firing their triggers, which
-- would leave them counted in the user rollup: they are deleted first, here, one
-- by one through the triggers above. (Deleting a user only nulls executed_by, and
-- the user rollup's own foreign key removes that user's rows.)
CREATE TRIGGER reports_delete_executions BEFORE DELETE ON reports
FOR EACH ROW DELETE FROM report_executions WHERE report_id = OLD.id;
