import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExecution, insertReport } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await createTestGateway();
  const report = await insertReport(gateway.db);
  await insertExecution(gateway.db, report, new Date(Date.now() - 60_000));
});
afterAll(() => gateway.drop());

type Row = Record<string, unknown>;

async function data(query: string, variables?: Record<string, unknown>) {
  const result = await gateway.executeText(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

describe('viewCatalog', () => {
  it('lists the eight views with their SQL views, relations, compiled SQL and flags', async () => {
    const { viewCatalog } = await data(`{ viewCatalog { name sqlView baseTable defaultWindow columns
      relations { field entity kind join foreignKey } definition sql flags } }`);
    const views = viewCatalog as Row[];
    expect(views.map((v) => v.sqlView).sort()).toEqual(
      readdirSync(new URL('../sql/views/', import.meta.url))
        .map((f) => f.replace(/\.sql$/, ''))
        .sort(),
    );
    const byName = Object.fromEntries(views.map((v) => [v.name as string, v]));
    expect(byName.recentExecutions).toMatchObject({
      baseTable: 'report_executions',
      defaultWindow: 'P30D',
      relations: [
        {
          field: 'report',
          entity: 'Report',
          kind: 'many-to-one',
          join: 'INNER',
          foreignKey: 'report_id',
        },
        {
          field: 'executedBy',
          entity: 'User',
          kind: 'many-to-one',
          join: 'OUTER',
          foreignKey: 'executed_by',
        },
      ],
      flags: ['OPTIMIZED'],
    });
    for (const name of [
      'reportsSummary',
      'userActivity',
      'recentExecutions',
      'performanceAlerts',
    ]) {
      expect(byName[name]!.flags).toEqual(['OPTIMIZED']);
      expect(byName[name]!.sql).not.toMatch(/JOIN `(reports|users)` AS `p\d`/);
    }
    expect(byName.executionTrends!.flags).toEqual([]);
    for (const view of views) {
      expect(view.definition).toMatch(
        new RegExp(`CREATE OR REPLACE VIEW ${String(view.sqlView)} AS`),
      );
      expect(view.sql).toMatch(/SELECT/);
    }
  });
});

describe('explain', () => {
  const EXPLAIN = `query ($view: String!, $args: JSON, $selection: String) {
    explain(view: $view, args: $args, selection: $selection) {
      flags eliminatedRelations joinedRelations statements { sql parameters plan } } }`;

  it('shows the joined SQL and the server plan for related fields', async () => {
    gateway.statements.length = 0;
    const { explain } = await data(EXPLAIN, {
      view: 'recentExecutions',
      args: { first: 5, filter: { statuses: ['SUCCESS'] } },
      selection: '{ edges { node { id report { name } executedBy { id } } } }',
    });
    const explanation = explain as {
      flags: string[];
      eliminatedRelations: string[];
      joinedRelations: string[];
      statements: Row[];
    };
    expect(explanation.flags).toEqual(['OPTIMIZED']);
    expect(explanation.eliminatedRelations).toEqual(['executedBy']);
    expect(explanation.joinedRelations).toEqual(['report']);
    expect(explanation.statements).toHaveLength(1);
    expect(explanation.statements[0]!.sql).toMatch(/INNER JOIN `reports`/);
    expect(explanation.statements[0]!.parameters).toContain('success');
    expect(explanation.statements[0]!.plan).toHaveProperty('query_block');
    // Explaining ran only EXPLAIN statements (under a statement timeout, if any).
    const explains = gateway.statements.filter((s) => !s.startsWith('SELECT VERSION()'));
    expect(explains.length).toBeGreaterThan(0);
    for (const s of explains)
      expect(s).toMatch(/^(SET STATEMENT max_statement_time = [\d.]+ FOR )?EXPLAIN /);
  });

  it('marks a request answered from foreign keys as OPTIMIZED, with no join', async () => {
    const { explain } = await data(EXPLAIN, {
      view: 'performanceAlerts',
      selection: '{ type report { id } execution { id } }',
    });
    const explanation = explain as {
      flags: string[];
      eliminatedRelations: string[];
      statements: Row[];
    };
    expect(explanation.flags).toEqual(['OPTIMIZED']);
    expect(explanation.eliminatedRelations).toEqual(['report', 'execution']);
    expect(explanation.statements[0]!.sql).not.toMatch(/JOIN `/);
  });

  it.each([
    [{ view: 'nope' }, 'view'],
    [{ view: 'reportsSummary', args: { bogus: 1 } }, 'args.bogus'],
    [{ view: 'reportsSummary', args: { first: 'many' } }, 'args'],
    [{ view: 'reportsSummary', args: { first: 100_000 } }, 'args.first'],
    [{ view: 'performanceAlerts', args: { minExecutions: -1 } }, 'args.minExecutions'],
    [{ view: 'reportsSummary', args: { window: { last: 'xxP90Dyy' } } }, 'args.window.last'],
    [{ view: 'reportsSummary', selection: '{ edges { nope } }' }, 'selection'],
  ])('rejects %o naming %s', async (variables, argument) => {
    const result = await gateway.executeText(EXPLAIN, variables);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
  });
});
