-- Undo 0006: the triggers first, so no write touches the dropped table.
DROP TRIGGER IF EXISTS report_executions_insert_dimension_hour;
DROP TRIGGER IF EXISTS report_executions_update_old_dimension_hour;
DROP TRIGGER IF EXISTS report_executions_update_new_dimension_hour;
DROP TRIGGER IF EXISTS report_executions_delete_dimension_hour;
DROP TRIGGER IF EXISTS reports_update_old_dimension_hour;
DROP TRIGGER IF EXISTS reports_update_new_dimension_hour;
DROP TABLE dimension_hourly_rollup;
