-- Undo 0010: the triggers first, so no write touches the dropped table.
DROP TRIGGER IF EXISTS report_daily_rollup_insert_day;
DROP TRIGGER IF EXISTS report_daily_rollup_update_old_day;
DROP TRIGGER IF EXISTS report_daily_rollup_update_new_day;
DROP TRIGGER IF EXISTS report_daily_rollup_delete_day;
DROP TRIGGER IF EXISTS user_daily_rollup_insert_day;
DROP TRIGGER IF EXISTS user_daily_rollup_update_old_day;
DROP TRIGGER IF EXISTS user_daily_rollup_update_new_day;
DROP TRIGGER IF EXISTS user_daily_rollup_delete_day;
DROP TRIGGER IF EXISTS users_delete_day;
DROP TABLE day_rollup;
