-- Undo 0003.
DROP TABLE report_executions;
