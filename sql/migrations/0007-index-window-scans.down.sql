-- Undo 0007.
DROP INDEX ix_executions_duration_started ON report_executions;
DROP INDEX ix_executions_started_measures ON report_executions;
