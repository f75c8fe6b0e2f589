/**
 * Issue 15, point 3: the gateway migrates a database that other applications use
 * without touching their tables, views and triggers, and a name clash (a table
 * called day_rollup that is not ours, another tool's schema_migrations) stops the
 * migration with a message naming it, before any change.
 */
import { sql } from '@databases/mysql';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateUp } from '../src/db/migrate.js';
import { queryRows } from '../src/db/pool.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
});

async function emptyDatabase() {
  const database = await createTestDatabase({ migrate: false });
  databases.push(database);
  return database;
}

/** Every table, view and trigger with its definition, and the rows of `orders` if present. */
async function snapshot(database: TestDatabase) {
  const { db } = database;
  const objects = await queryRows<{ kind: string; name: string }>(
    db,
    sql`SELECT table_type AS kind, table_name AS name FROM information_schema.tables
        WHERE table_schema = DATABASE()
      UNION ALL SELECT 'TRIGGER', trigger_name FROM information_schema.triggers
        WHERE trigger_schema = DATABASE()
      ORDER BY name`,
  );
  const definitions: string[] = [];
  for (const { kind, name } of objects) {
    const what = kind === 'TRIGGER' ? sql`TRIGGER` : kind === 'VIEW' ? sql`VIEW` : sql`TABLE`;
    const [row] = await queryRows<Record<string, unknown>>(
      db,
      sql`SHOW CREATE ${what} ${sql.ident(name)}`,
    );
    const text = Object.entries(row!).find(([key]) => /^(create|sql original)/i.test(key));
    definitions.push(`${kind} ${name}: ${String(text?.[1])}`);
  }
  return definitions;
}

describe('migrating a database that other applications use', () => {
  it('leaves their tables, views and triggers as they were, and they keep working', async () => {
    const database = await emptyDatabase();
    const { db } = database;
    await db.query(sql`CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40))`);
    await db.query(sql`CREATE TRIGGER orders_shout BEFORE INSERT ON orders
      FOR EACH ROW SET NEW.note = UPPER(NEW.note)`);
    await db.query(sql`CREATE VIEW order_notes AS SELECT note FROM orders`);
    await db.query(sql`INSERT INTO orders VALUES (1, 'first')`);
    const before = await snapshot(database);

    const applied = await migrateUp(db);
    expect(applied.length).toBeGreaterThan(10);
    const after = (await snapshot(database)).filter((d) =>
      /^(BASE TABLE|VIEW|TRIGGER) (orders|orders_shout|order_notes):/.test(d),
    );
    expect(after).toEqual(before);
    await db.query(sql`INSERT INTO orders VALUES (2, 'second')`);
    expect(await queryRows(db, sql`SELECT note FROM order_notes ORDER BY note`)).toEqual([
      { note: 'FIRST' },
      { note: 'SECOND' },
    ]);
  });

  it('stops before any change when a table of ours by name is not ours', async () => {
    const database = await emptyDatabase();
    await database.db.query(sql`CREATE TABLE day_rollup (day DATE PRIMARY KEY, visits INT)`);
    const before = await snapshot(database);
    await expect(migrateUp(database.db)).rejects.toThrow(
      /migration 0010-create-day-rollup\.up\.sql would change table day_rollup, which exists in this database and is not the gateway's; nothing was changed/,
    );
    expect(await snapshot(database)).toEqual(before);
  });

  it("refuses another tool's schema_migrations without altering it", async () => {
    const database = await emptyDatabase();
    // Rails keeps its applied versions in a table of this name.
    await database.db.query(sql`CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY)`);
    await database.db.query(sql`INSERT INTO schema_migrations VALUES ('20240101000000')`);
    const before = await snapshot(database);
    await expect(migrateUp(database.db)).rejects.toThrow(
      /would change table schema_migrations, which exists in this database and is not the gateway's/,
    );
    expect(await snapshot(database)).toEqual(before);
  });
});
