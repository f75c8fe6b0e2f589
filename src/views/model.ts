/**
 * The data model the compiler projects from: for each row type, which columns each
 * GraphQL field needs and which relations lead to other entities. The three tables
 * are declared here; each view declares its own row type the same way.
 */
export type EntityName = 'Report' | 'User' | 'Execution';

export interface Relation {
  entity: EntityName;
  /** The foreign-key column on this side. */
  fk: string;
  kind: 'many-to-one' | 'one-to-one';
  /** INNER: rows without a related object are dropped; OUTER: they get null. */
  join: 'INNER' | 'OUTER';
}

export interface RowModel {
  /** GraphQL field → the columns it reads. */
  fields: Record<string, readonly string[]>;
  relations: Record<string, Relation>;
}

export interface EntityModel extends RowModel {
  table: string;
}

export const ENTITIES: Record<EntityName, EntityModel> = {
  User: {
    table: 'users',
    fields: {
      id: ['id'],
      email: ['email'],
      displayName: ['display_name'],
      role: ['role'],
      createdAt: ['created_at'],
    },
    relations: {},
  },
  Report: {
    table: 'reports',
    fields: {
      id: ['id'],
      name: ['name'],
      description: ['description'],
      category: ['category'],
      provider: ['provider'],
      active: ['is_active'],
      createdAt: ['created_at'],
    },
    relations: {
      owner: { entity: 'User', fk: 'owner_id', kind: 'many-to-one', join: 'OUTER' },
    },
  },
  Execution: {
    table: 'report_executions',
    fields: {
      id: ['id'],
      status: ['status'],
      startedAt: ['started_at'],
      completedAt: ['completed_at'],
      durationMs: ['duration_ms'],
      outputSizeBytes: ['output_size_bytes'],
      rowCount: ['row_count'],
      errorMessage: ['error_message'],
      performanceCategory: ['duration_ms'],
      outputSizeClass: ['output_size_bytes'],
    },
    relations: {
      report: { entity: 'Report', fk: 'report_id', kind: 'many-to-one', join: 'INNER' },
      executedBy: { entity: 'User', fk: 'executed_by', kind: 'many-to-one', join: 'OUTER' },
    },
  },
};
