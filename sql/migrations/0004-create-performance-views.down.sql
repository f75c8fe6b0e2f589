-- Undo 0004.
DROP VIEW IF EXISTS mv_reports_summary;
DROP VIEW IF EXISTS mv_daily_execution_metrics;
DROP VIEW IF EXISTS mv_provider_performance;
DROP VIEW IF EXISTS mv_category_performance;
DROP VIEW IF EXISTS mv_user_activity;
DROP VIEW IF EXISTS mv_recent_executions;
DROP VIEW IF EXISTS mv_performance_alerts;
DROP VIEW IF EXISTS mv_execution_trends;
