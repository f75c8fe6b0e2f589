-- Undo 0008: the triggers first, so no write touches the dropped table.
DROP TRIGGER IF EXISTS report_executions_insert_report_month;
DROP TRIGGER IF EXISTS report_executions_update_old_report_month;
DROP TRIGGER IF EXISTS report_executions_update_new_report_month;
DROP TRIGGER IF EXISTS report_executions_delete_report_month;
DROP TABLE report_monthly_rollup;
