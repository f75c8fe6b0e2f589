/** The tables maintenance works on, in dependency order. */
export const MAINTAINED_TABLES = [
  'users',
  'reports',
  'report_executions',
  'report_daily_rollup',
  'user_daily_rollup',
] as const;
