import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntitiesDocument } from './gql/graphql.js';
import { insertExecution, insertReport, insertUser } from './helpers/fixtures.js';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
const ids = {} as Record<'user' | 'report' | 'execution', string>;

beforeAll(async () => {
  gateway = await createTestGateway();
  ids.user = await insertUser(gateway.db, {
    email: 'ada@example.com',
    display_name: 'Ada',
    role: 'admin',
  });
  ids.report = await insertReport(gateway.db, {
    name: 'Spend',
    description: 'Monthly spend',
    provider: 'oci',
    category: 'cost',
    owner_id: ids.user,
    created_at: new Date('2025-05-06T07:08:09.123Z'),
  });
  ids.execution = await insertExecution(gateway.db, ids.report, '2026-01-01T00:00:00Z', {
    status: 'queued',
  });
});
afterAll(() => gateway.drop());

describe('report, user and execution look-ups', () => {
  it('return the entity with its related objects', async () => {
    const result = await gateway.execute(EntitiesDocument, {
      reportId: ids.report,
      userId: ids.user,
      executionId: ids.execution,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      report: {
        id: ids.report,
        name: 'Spend',
        description: 'Monthly spend',
        category: 'COST',
        provider: 'OCI',
        active: true,
        createdAt: '2025-05-06T07:08:09.123Z',
        owner: { id: ids.user, email: 'ada@example.com' },
      },
      user: { id: ids.user, email: 'ada@example.com', displayName: 'Ada', role: 'ADMIN' },
      execution: {
        id: ids.execution,
        status: 'QUEUED',
        report: { id: ids.report },
        executedBy: null,
      },
    });
  });

  it('return null for ids that do not exist', async () => {
    const result = await gateway.execute(EntitiesDocument, {
      reportId: '999999999',
      userId: '999999999',
      executionId: '18446744073709551615',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ report: null, user: null, execution: null });
  });
});
