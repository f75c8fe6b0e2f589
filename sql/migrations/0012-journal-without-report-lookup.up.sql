-- The journal's triggers on report_executions stop reading the report. Looking up
-- its provider and category was most of what a journaled write cost the
-- application (a statement more per row, and a shared lock on the report); now a
-- row is journaled with the execution's own columns alone, and the provider and
-- category it counts under are settled by whoever reads it (src/rollups/journal.ts):
-- - a row that names them (a move below, or a row of 0011's triggers) counts under those;
-- - else, if its report changed provider or category (or was deleted) after the row
--   was journaled, under the report's pair before the first such change;
-- - else under the report's pair as it is.
-- "After" is by id: the changes of a report are recorded in rollup_report_changes
-- with ids from the same UUID_SHORT() sequence. A row journaled before a change
-- has the smaller id because the change waits for every transaction that touched
-- the report's executions: the report's row is locked by the foreign key check of
-- every insert and move into it, and the move below reads the report's executions
-- with shared locks (whatever the writer's isolation level) before the change is
-- recorded. A recorded change goes once no journal row of its report is older.

CREATE TABLE rollup_report_changes (
  id BIGINT UNSIGNED NOT NULL,
  report_id BIGINT UNSIGNED NOT NULL,
  -- The report's pair before the change.
  provider ENUM('aws', 'azure', 'gcp', 'oci', 'multi') NOT NULL,
  category ENUM('infrastructure', 'security', 'compliance', 'cost', 'performance', 'custom') NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

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

-- A deleted report's executions went by its BEFORE DELETE trigger (0005), each
-- journaled; their rows still count under the report's pair.
CREATE TRIGGER reports_journal_deletion AFTER DELETE ON reports
FOR EACH ROW INSERT INTO rollup_report_changes (id, report_id, provider, category)
VALUES (UUID_SHORT(), OLD.id, OLD.provider, OLD.category);
