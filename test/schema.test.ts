import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('is the printed Pothos schema (run `npm run schema:print` when this fails)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSchemaSdl());
  });

  it('keeps the contract names of the root fields', () => {
    const sdl = printSchemaSdl();
    for (const field of [
      'reportsSummary(after: String, filter: ReportFilter, first: Int, orderBy: ReportsSummaryOrder, window: TimeWindow): ReportSummaryConnection!',
      'recentExecutions(after: String, filter: ExecutionFilter, first: Int, window: TimeWindow): ExecutionConnection!',
      'report(id: ID!): Report',
      'user(id: ID!): User',
      'execution(id: ID!): Execution',
    ]) {
      expect(sdl).toContain(field);
    }
  });
});
