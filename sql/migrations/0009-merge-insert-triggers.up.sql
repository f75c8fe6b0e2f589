-- One compound insert trigger instead of four single-statement ones: bulk writers
-- that keep the rollups per statement skip all four with one IF.
DROP TRIGGER IF EXISTS report_executions_insert_report_day;
DROP TRIGGER IF EXISTS report_executions_insert_user_day;
DROP TRIGGER IF EXISTS report_executions_insert_report_month;
DROP TRIGGER IF EXISTS report_executions_insert_dimension_hour;

-- include: ../rollups/insert-trigger.sql
