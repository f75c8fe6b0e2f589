/** The writable columns of report_executions, in the order bulk inserts send them. */
import type { JsonColumn } from './json-insert.js';

export const EXECUTION_INSERT_COLUMNS: JsonColumn[] = [
  { name: 'report_id', type: 'BIGINT UNSIGNED' },
  { name: 'executed_by', type: 'BIGINT UNSIGNED' },
  { name: 'status', type: 'VARCHAR(16)' },
  { name: 'started_at', type: 'DATETIME(3)' },
  { name: 'completed_at', type: 'DATETIME(3)' },
  { name: 'duration_ms', type: 'INT UNSIGNED' },
  { name: 'output_size_bytes', type: 'BIGINT UNSIGNED' },
  { name: 'row_count', type: 'INT UNSIGNED' },
  { name: 'error_message', type: 'TEXT' },
];
