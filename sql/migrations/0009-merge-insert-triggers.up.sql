-- One compound insert trigger instead of four single-statement ones: bulk writers
-- that keep the rollups per statement skip all four with one IF.
DROP TRIGGER IF EXISTS report_executions_insert_report_day;
DROP TRIGGER IF EXISTS report_executions_insert_user_day;
DROP TRIGGER IF EXISTS report_executions_insert_report_month;
DROP TRIGGER IF EXISTS report_executions_insert_dimension_hour;

-- The one AFTER INSERT trigger of report_executions: adds each inserted row to its
-- cells in every rollup (report and user day, report month, provider and category
-- hour). A bulk writer that adds its rows' aggregates per statement sets
-- @rollups_by_statement (src/rollups/statement-rollups.ts); one IF then skips all
-- four statements, which is what makes bulk inserts cheap (four guarded single-
-- statement triggers cost a statement each per row even when they write nothing).
-- Compound statements need no DELIMITER: the migration runner sends a file to the
-- server whole, and the server's parser finds the END.

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

