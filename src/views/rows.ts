/** Row shapes as the pool returns them: BIGINT as decimal strings, DATETIME as Date. */
export const CATEGORIES = [
  'infrastructure',
  'security',
  'compliance',
  'cost',
  'performance',
  'custom',
] as const;
export const PROVIDERS = ['aws', 'azure', 'gcp', 'oci', 'multi'] as const;
export const STATUSES = ['queued', 'running', 'success', 'failed', 'cancelled'] as const;
export const ROLES = ['viewer', 'analyst', 'admin'] as const;

export type Category = (typeof CATEGORIES)[number];
export type ProviderName = (typeof PROVIDERS)[number];
export type Status = (typeof STATUSES)[number];
export type UserRoleName = (typeof ROLES)[number];

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: UserRoleName;
  created_at: Date;
}

export interface ReportRow {
  id: string;
  name: string;
  description: string | null;
  category: Category;
  provider: ProviderName;
  owner_id: string | null;
  is_active: boolean;
  created_at: Date;
  /** Present when a view query already read the owner (or only its id). */
  owner?: UserRow | null;
}

export interface ExecutionRow {
  id: string;
  report_id: string;
  executed_by: string | null;
  status: Status;
  started_at: Date;
  completed_at: Date | null;
  duration_ms: number | null;
  output_size_bytes: string | null;
  row_count: number | null;
  error_message: string | null;
  /** Present when a view query already read these related objects (or only their ids). */
  report?: ReportRow;
  executedBy?: UserRow | null;
}

export const USER_COLUMNS = ['id', 'email', 'display_name', 'role', 'created_at'] as const;
export const REPORT_COLUMNS = [
  'id',
  'name',
  'description',
  'category',
  'provider',
  'owner_id',
  'is_active',
  'created_at',
] as const;
export const EXECUTION_COLUMNS = [
  'id',
  'report_id',
  'executed_by',
  'status',
  'started_at',
  'completed_at',
  'duration_ms',
  'output_size_bytes',
  'row_count',
  'error_message',
] as const;
