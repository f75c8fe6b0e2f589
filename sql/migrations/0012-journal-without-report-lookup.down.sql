-- Undo 0012: back to 0011's triggers, which look the report's pair up. The rows
-- journaled without a pair get the one they count under (the rule of 0012) before
-- the record of report changes goes.

DROP TRIGGER report_executions_journal_insert;
DROP TRIGGER report_executions_journal_update;
DROP TRIGGER report_executions_journal_delete;
DROP TRIGGER reports_journal_dimensions;
DROP TRIGGER reports_journal_deletion;

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

UPDATE rollup_journal j
LEFT JOIN (
  SELECT report_id, id, COALESCE(LAG(id) OVER (PARTITION BY report_id ORDER BY id), 0) AS since,
    provider, category
  FROM rollup_report_changes
) c ON c.report_id = j.report_id AND j.id > c.since AND j.id < c.id
LEFT JOIN reports r ON r.id = j.report_id
SET j.provider = COALESCE(c.provider, r.provider), j.category = COALESCE(c.category, r.category)
WHERE j.provider IS NULL AND j.report_id IS NOT NULL;

DROP TABLE rollup_report_changes;
