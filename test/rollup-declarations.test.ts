/**
 * The rollup declarations (src/rollups/rollup-tables.ts) are the one owner of the
 * rollups: the migrated schema must match them column for column, every table the
 * migrations make is either a source, a rollup or the journal, and the journal's
 * triggers write every column the fold adds up. A rollup added in SQL but not
 * declared (or declared differently) fails here.
 */
import { sql } from '@databases/mysql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/pool.js';
import { MAINTAINED_TABLES } from '../src/maintenance/tables.js';
import { HEALTH_TABLES } from '../src/maintenance/database-health.js';
import { JOURNAL_MAXIMA, JOURNAL_SUMS, JOURNAL_TABLE } from '../src/rollups/journal.js';
import {
  ROLLUP_STORAGE_TABLES,
  ROLLUP_TABLES,
  allColumns,
  journaledColumns,
} from '../src/rollups/rollup-tables.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const columnsOf = async (table: string) =>
  (
    await queryRows<{ name: string }>(
      database.db,
      sql`SELECT column_name AS name FROM information_schema.columns
        WHERE table_schema = DATABASE() AND table_name = ${table} ORDER BY ordinal_position`,
    )
  ).map((c) => c.name);

describe('the rollup declarations', () => {
  it('match the migrated tables column for column, keys first', async () => {
    for (const rollup of ROLLUP_TABLES) {
      expect(await columnsOf(rollup.table)).toEqual(allColumns(rollup));
      const key = await queryRows<{ name: string }>(
        database.db,
        sql`SELECT column_name AS name FROM information_schema.statistics
          WHERE table_schema = DATABASE() AND table_name = ${rollup.table}
            AND index_name = 'PRIMARY' ORDER BY seq_in_index`,
      );
      expect(key.map((k) => k.name)).toEqual([rollup.bucket, ...rollup.keys]);
    }
  });

  it('cover every table the migrations make besides the sources', async () => {
    const tables = await queryRows<{ name: string }>(
      database.db,
      sql`SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY name`,
    );
    const sources = ['users', 'reports', 'report_executions', 'schema_migrations'];
    expect(tables.map((t) => t.name).filter((t) => !sources.includes(t))).toEqual(
      [...ROLLUP_STORAGE_TABLES].sort(),
    );
    // Maintenance and databaseHealth cover all of them.
    for (const table of ROLLUP_STORAGE_TABLES) {
      expect(MAINTAINED_TABLES).toContain(table);
      expect(HEALTH_TABLES).toContain(table);
    }
  });

  it('give the journal a column for every key and measure the fold reads', async () => {
    const journal = await columnsOf(JOURNAL_TABLE);
    for (const rollup of ROLLUP_TABLES) {
      for (const column of [...rollup.keys, ...journaledColumns(rollup)])
        expect(journal).toContain(column);
      for (const column of rollup.maxima) expect(JOURNAL_MAXIMA).toContain(column);
    }
    const triggers = await queryRows<{ name: string; body: string }>(
      database.db,
      sql`SELECT trigger_name AS name, action_statement AS body FROM information_schema.triggers
        WHERE trigger_schema = DATABASE() AND action_statement LIKE '%rollup_journal%'`,
    );
    expect(triggers.length).toBeGreaterThanOrEqual(5);
    for (const trigger of triggers) {
      for (const column of [...JOURNAL_SUMS, ...JOURNAL_MAXIMA]) {
        expect(trigger.body, `${trigger.name} writes ${column}`).toContain(column);
      }
    }
  });
});
