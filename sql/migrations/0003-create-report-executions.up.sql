-- One row per report run. The three secondary indexes serve the view queries:
--   (started_at)               recent executions (started_at DESC, id DESC) and window scans;
--   (report_id, started_at)    per-report summaries and alerts inside a window;
--   (executed_by, started_at)  user activity inside a window.
-- InnoDB appends the primary key to each, so the id tie-break needs no extra column.
CREATE TABLE report_executions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  report_id BIGINT UNSIGNED NOT NULL,
  executed_by BIGINT UNSIGNED NULL,
  status ENUM('queued', 'running', 'success', 'failed', 'cancelled') NOT NULL,
  started_at DATETIME(3) NOT NULL,
  completed_at DATETIME(3) NULL,
  duration_ms INT UNSIGNED NULL,
  output_size_bytes BIGINT UNSIGNED NULL,
  row_count INT UNSIGNED NULL,
  error_message TEXT NULL,
  PRIMARY KEY (id),
  KEY ix_executions_started (started_at),
  KEY ix_executions_report_started (report_id, started_at),
  KEY ix_executions_user_started (executed_by, started_at),
  CONSTRAINT fk_executions_report FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE,
  CONSTRAINT fk_executions_user FOREIGN KEY (executed_by) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT ck_executions_completed_after_start CHECK (completed_at IS NULL OR completed_at >= started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
