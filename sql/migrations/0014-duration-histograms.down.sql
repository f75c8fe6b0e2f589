-- Undo 0014: back to 0012's triggers, and no histograms. Under table locks, so
-- that no write slips in between the two sets of triggers.

LOCK TABLES report_executions WRITE, reports WRITE, users WRITE, rollup_journal WRITE,
  rollup_report_changes WRITE, report_daily_rollup WRITE, user_daily_rollup WRITE,
  report_monthly_rollup WRITE, dimension_hourly_rollup WRITE, day_rollup WRITE;

DROP TRIGGER report_executions_journal_insert;
DROP TRIGGER report_executions_journal_update;
DROP TRIGGER report_executions_journal_delete;
DROP TRIGGER reports_journal_dimensions;

CREATE TRIGGER report_executions_journal_insert AFTER INSERT ON report_executions
FOR EACH ROW BEGIN
  IF @rollups_by_statement IS NULL THEN
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers)
    VALUES (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 1,
      NEW.status = 'success', NEW.status = 'failed', NEW.status = 'cancelled',
      NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0), COALESCE(NEW.output_size_bytes, 0),
      NEW.duration_ms, NEW.started_at, FALSE);
  END IF;
END;

CREATE TRIGGER report_executions_journal_update AFTER UPDATE ON report_executions
FOR EACH ROW BEGIN
  IF OLD.started_at = NEW.started_at AND OLD.report_id = NEW.report_id
    AND OLD.executed_by <=> NEW.executed_by THEN
    IF NOT (OLD.status <=> NEW.status AND OLD.duration_ms <=> NEW.duration_ms
      AND OLD.output_size_bytes <=> NEW.output_size_bytes) THEN
      INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
        successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
        max_duration_ms, last_executed_at, lowers)
      VALUES (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 0,
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
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
      successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers)
    VALUES (UUID_SHORT(), OLD.started_at, OLD.report_id, OLD.executed_by, -1,
      -(OLD.status = 'success'), -(OLD.status = 'failed'), -(OLD.status = 'cancelled'),
      -(OLD.duration_ms IS NOT NULL), -CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
      -CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)), NULL, NULL, TRUE),
    (UUID_SHORT(), NEW.started_at, NEW.report_id, NEW.executed_by, 1,
      NEW.status = 'success', NEW.status = 'failed', NEW.status = 'cancelled',
      NEW.duration_ms IS NOT NULL, COALESCE(NEW.duration_ms, 0), COALESCE(NEW.output_size_bytes, 0),
      NEW.duration_ms, NEW.started_at, FALSE);
  END IF;
END;

CREATE TRIGGER report_executions_journal_delete AFTER DELETE ON report_executions
FOR EACH ROW INSERT INTO rollup_journal (id, started_at, report_id, executed_by, executions,
  successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
  max_duration_ms, last_executed_at, lowers)
VALUES (UUID_SHORT(), OLD.started_at, OLD.report_id, OLD.executed_by, -1,
  -(OLD.status = 'success'), -(OLD.status = 'failed'), -(OLD.status = 'cancelled'),
  -(OLD.duration_ms IS NOT NULL), -CAST(COALESCE(OLD.duration_ms, 0) AS SIGNED),
  -CAST(COALESCE(OLD.output_size_bytes, 0) AS DECIMAL(38, 0)), NULL, NULL, TRUE);

-- A report that changes provider or category moves its executions between
-- provider-and-category cells: per hour, a removal under the old pair and an
-- addition under the new one (the report's own cells net to nothing), read with
-- shared locks so that a concurrent change of one of them is in or waits. The
-- addition carries its maxima as any addition does: between a batch that folds
-- the removal and one that folds the addition, a cell of the report holds no
-- executions, and its maxima are the addition's. Then the change is recorded,
-- for the rows journaled before it.
CREATE TRIGGER reports_journal_dimensions AFTER UPDATE ON reports
FOR EACH ROW BEGIN
  IF NOT (OLD.provider <=> NEW.provider AND OLD.category <=> NEW.category) THEN
    INSERT INTO rollup_journal (id, started_at, report_id, executed_by, provider, category,
      executions, successes, failures, cancelled, duration_count, duration_sum, total_output_bytes,
      max_duration_ms, last_executed_at, lowers)
    SELECT UUID_SHORT(), MAX(e.started_at), e.report_id, NULL, moved.provider, moved.category,
      moved.sign * COUNT(*), moved.sign * SUM(e.status = 'success'), moved.sign * SUM(e.status = 'failed'),
      moved.sign * SUM(e.status = 'cancelled'), moved.sign * COUNT(e.duration_ms),
      moved.sign * COALESCE(SUM(e.duration_ms), 0), moved.sign * COALESCE(SUM(e.output_size_bytes), 0),
      IF(moved.sign > 0, MAX(e.duration_ms), NULL), IF(moved.sign > 0, MAX(e.started_at), NULL), FALSE
    FROM report_executions e
    JOIN (SELECT -1 AS sign, OLD.provider AS provider, OLD.category AS category
          UNION ALL SELECT 1, NEW.provider, NEW.category) moved
    WHERE e.report_id = NEW.id
    GROUP BY e.report_id, moved.sign, moved.provider, moved.category,
      DATE_FORMAT(e.started_at, '%Y-%m-%d %H')
    LOCK IN SHARE MODE;
    INSERT INTO rollup_report_changes (id, report_id, provider, category)
    VALUES (UUID_SHORT(), OLD.id, OLD.provider, OLD.category);
  END IF;
END;

ALTER TABLE rollup_journal DROP COLUMN duration_bucket;
ALTER TABLE report_daily_rollup DROP COLUMN duration_histogram;
ALTER TABLE user_daily_rollup DROP COLUMN duration_histogram;
ALTER TABLE report_monthly_rollup DROP COLUMN duration_histogram;
ALTER TABLE dimension_hourly_rollup DROP COLUMN duration_histogram;
ALTER TABLE day_rollup DROP COLUMN duration_histogram;

UNLOCK TABLES;
