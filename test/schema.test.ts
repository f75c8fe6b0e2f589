import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('is the printed Pothos schema (run `npm run schema:print` when this fails)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSchemaSdl());
  });

  it('keeps the contract signatures of the root fields; added arguments are optional', () => {
    const query = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'))
      .getQueryType()!
      .getFields();
    for (const contract of [
      'reportsSummary(after: String, filter: ReportFilter, first: Int, orderBy: ReportsSummaryOrder, window: TimeWindow): ReportSummaryConnection!',
      'recentExecutions(after: String, filter: ExecutionFilter, first: Int, window: TimeWindow): ExecutionConnection!',
      'report(id: ID!): Report',
      'user(id: ID!): User',
      'execution(id: ID!): Execution',
    ]) {
      const [, name = '', list = '', type = ''] = /^(\w+)\((.*)\): (\S+)$/.exec(contract)!;
      const field = query[name]!;
      expect(String(field.type), contract).toBe(type);
      const args = new Map(field.args.map((arg) => [arg.name, String(arg.type)]));
      const named = list.split(', ').map((arg) => arg.split(': ') as [string, string]);
      for (const [arg, argType] of named) expect(args.get(arg), `${name}(${arg})`).toBe(argType);
      const added = field.args.filter((arg) => !named.some(([n]) => n === arg.name));
      for (const arg of added) expect(String(arg.type), `${name}(${arg.name})`).not.toMatch(/!$/);
    }
  });
});
