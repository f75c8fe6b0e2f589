/**
 * The benchmark datasets, each in its own database on one embedded server, built
 * once and reused while fresh: S (100 k executions), M (1 M) and L (10 M), all
 * with 2 000 reports, 200 users and a year of history ending at the build hour.
 */
import { sql } from '@databases/mysql';
import mysql from 'mysql2/promise';
import { migrateUp } from '../src/db/migrate.js';
import { openPool, queryOne, type Database } from '../src/db/pool.js';
import { clearData, seedDatabase } from '../src/seed/generate.js';

/** DEMO is the size of `npm start`'s demo data (bench/dashboard.ts). */
export const DATASETS = { DEMO: 50_000, S: 100_000, M: 1_000_000, L: 10_000_000 } as const;
export type DatasetName = keyof typeof DATASETS;

// Older data would leave the default windows (the last 7, 30, 90 days) thin.
const MAX_AGE_MS = 2 * 86_400_000;

export interface Dataset {
  name: DatasetName;
  executions: number;
  url: string;
  db: Database;
}

/** Opens (building or rebuilding when missing, resized or stale) one dataset. */
export async function openDataset(serverUrl: string, name: DatasetName): Promise<Dataset> {
  const database = `bench_${name.toLowerCase()}`;
  const admin = await mysql.createConnection(serverUrl);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const db = openPool(url.toString());
  await migrateUp(db);
  const executions = DATASETS[name];
  const present = await queryOne<{ n: string; newest: Date | null }>(
    db,
    sql`SELECT COUNT(*) AS n, MAX(started_at) AS newest FROM report_executions`,
  );
  const fresh = present?.newest && Date.now() - present.newest.getTime() < MAX_AGE_MS;
  if (Number(present?.n) !== executions || !fresh) {
    console.log(`Building dataset ${name}: ${executions.toLocaleString('en')} executions…`);
    await clearData(db);
    let shown = 0;
    const seeded = await seedDatabase(db, {
      executions,
      onProgress(written, total) {
        if (written - shown >= total / 10 || written === total) {
          shown = written;
          console.log(`  ${Math.round((written / total) * 100)} %`);
        }
      },
    });
    await db.query(sql`ANALYZE TABLE report_executions, report_daily_rollup, user_daily_rollup`);
    console.log(`  done: ${seeded.executionsPerSecond.toLocaleString('en')} executions/s`);
  }
  return { name, executions, url: url.toString(), db };
}
