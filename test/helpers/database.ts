/** A database of its own for one test file, migrated, dropped in afterAll. */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';
import { migrateUp } from '../../src/db/migrate.js';
import { openPool, type Database, type PoolOptions } from '../../src/db/pool.js';

export interface TestDatabase {
  db: Database;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The URL of `database` on the test server. */
export function databaseUrl(database: string): string {
  const url = new URL(inject('mysqlServerUrl'));
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection(inject('mysqlServerUrl'));
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

/** Creates an empty database (migrated unless `migrate: false`). */
export async function createTestDatabase(
  options: PoolOptions & { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE \`${name}\``));
  const url = databaseUrl(name);
  const db = openPool(url, options);
  if (options.migrate !== false) await migrateUp(db);
  return {
    db,
    url,
    name,
    async drop() {
      await db.dispose();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``));
    },
  };
}
