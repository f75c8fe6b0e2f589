/** Assembles the schema: each import registers its types on the one builder. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './inputs.js';
import './metrics-interface.js';
import './node.js';
import './entities.js';
import './reports-summary.js';
import './recent-executions.js';
import './dimension-performance.js';
import './user-activity.js';
import './execution-metrics.js';
import './execution-trends.js';
import './performance-alerts.js';
import './alert-raised.js';
import './catalog.js';
import './cache-stats.js';
import './database-health.js';
import './write-mutations.js';
import './maintenance.js';
import './backups.js';

export const schema = builder.toSchema();

/** The SDL committed as `schema.graphql`. */
export function printSchemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
