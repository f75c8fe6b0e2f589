-- Undo 0005: the triggers first, so no write touches a dropped table.
DROP TRIGGER IF EXISTS report_executions_insert_report_day;
DROP TRIGGER IF EXISTS report_executions_update_old_report_day;
DROP TRIGGER IF EXISTS report_executions_update_new_report_day;
DROP TRIGGER IF EXISTS report_executions_delete_report_day;
DROP TRIGGER IF EXISTS report_executions_insert_user_day;
DROP TRIGGER IF EXISTS report_executions_update_old_user_day;
DROP TRIGGER IF EXISTS report_executions_update_new_user_day;
DROP TRIGGER IF EXISTS report_executions_delete_user_day;
DROP TRIGGER IF EXISTS reports_delete_executions;
DROP TABLE user_daily_rollup;
DROP TABLE report_daily_rollup;
