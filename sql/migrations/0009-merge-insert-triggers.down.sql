-- Back to the four single-statement insert triggers of migrations 0005, 0006 and 0008.
DROP TRIGGER report_executions_after_insert;

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

CREATE TRIGGER report_executions_insert_dimension_hour AFTER INSERT ON report_executions
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
    FROM reports r WHERE r.id = NEW.report_id AND @rollups_by_statement IS NULL
  ) AS x
  ON DUPLICATE KEY UPDATE
    executions = dimension_hourly_rollup.executions + x.executions,
    successes = dimension_hourly_rollup.successes + x.successes,
    failures = dimension_hourly_rollup.failures + x.failures,
    cancelled = dimension_hourly_rollup.cancelled + x.cancelled,
    duration_count = dimension_hourly_rollup.duration_count + x.duration_count,
    duration_sum = dimension_hourly_rollup.duration_sum + x.duration_sum,
    total_output_bytes = dimension_hourly_rollup.total_output_bytes + x.total_output_bytes;

CREATE TRIGGER report_executions_insert_report_month AFTER INSERT ON report_executions
FOR EACH ROW INSERT INTO report_monthly_rollup
  SELECT DATE_FORMAT(NEW.started_at, '%Y-%m-01'), NEW.report_id, 1, NEW.status = 'success',
    NEW.status = 'failed', NEW.status = 'cancelled', NEW.duration_ms IS NOT NULL,
    COALESCE(NEW.duration_ms, 0), NEW.duration_ms, COALESCE(NEW.output_size_bytes, 0), NEW.started_at
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
