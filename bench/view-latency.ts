/**
 * Uncached latency of each view through the gateway (Cache-Control: no-cache, the
 * catalog's default selection and window) beside `SELECT * FROM mv_*` run directly,
 * medians over repeated runs.
 */
import { sql } from '@databases/mysql';
import type { Database } from '../src/db/pool.js';
import { VIEW_CATALOG } from '../src/views/catalog.js';

export interface ViewLatency {
  view: string;
  gatewayMedianMs: number;
  sqlViewMedianMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

async function timed(run: () => Promise<unknown>, repeats: number): Promise<number> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Measures every view of the catalog. */
export async function measureViews(
  url: string,
  key: string,
  db: Database,
  repeats = 7,
): Promise<ViewLatency[]> {
  const results: ViewLatency[] = [];
  for (const entry of VIEW_CATALOG) {
    const body = JSON.stringify({ query: `{ ${entry.name} ${entry.defaultSelection} }` });
    const gatewayMedianMs = await timed(async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'cache-control': 'no-cache',
          authorization: `Bearer ${key}`,
        },
        body,
      });
      const result = (await response.json()) as { errors?: unknown };
      if (result.errors) throw new Error(`${entry.name}: ${JSON.stringify(result.errors)}`);
    }, repeats);
    const sqlViewMedianMs = await timed(
      () => db.query(sql`SELECT * FROM ${sql.ident(entry.sqlView)}`),
      repeats,
    );
    results.push({ view: entry.name, gatewayMedianMs, sqlViewMedianMs });
  }
  return results;
}
