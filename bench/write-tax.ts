/**
 * npm run bench:write-tax: what the rollup upkeep costs the application's own writes
 * (issue 14), side by side in one run: the same schema and 200 000 seeded executions
 * with the project's upkeep and with every trigger dropped, written by plain mysql2
 * clients. On the server named by DATABASE_URL (databases bench_tax_upkeep and
 * bench_tax_plain, dropped and rebuilt), else on the benchmarks' embedded server.
 * Prints a markdown table and writes bench/write-tax-results.json.
 *
 *   npm run bench:write-tax -- [--executions 200000] [--repeats 400] [--cell-repeats 200]
 *     [--connections 8] [--seconds 8] [--bulk-rows 50000] [--http-rows 100000]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { reportWriteTax } from './write-tax-report.js';
import { measureWriteTax, WRITE_TAX_DEFAULTS, type WriteTaxOptions } from './write-tax-run.js';

const d = WRITE_TAX_DEFAULTS;

/** The options from the command line, each checked. */
function readOptions(): WriteTaxOptions {
  const { values } = parseArgs({
    options: {
      executions: { type: 'string', default: String(d.executions) },
      repeats: { type: 'string', default: String(d.repeats) },
      'cell-repeats': { type: 'string', default: String(d.cellRepeats) },
      connections: { type: 'string', default: String(d.connections) },
      seconds: { type: 'string', default: String(d.seconds) },
      'bulk-rows': { type: 'string', default: String(d.bulkRows) },
      'http-rows': { type: 'string', default: String(d.httpRows) },
    },
  });
  const option = (name: keyof typeof values, min: number, max: number): number => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(
        `--${name}: expected a whole number from ${min} to ${max}, got ${values[name]}`,
      );
    }
    return value;
  };
  const executions = option('executions', 1_000, 10_000_000);
  return {
    ...d,
    executions,
    repeats: option('repeats', 10, 100_000),
    cellRepeats: option('cell-repeats', 10, 100_000),
    connections: option('connections', 1, 64),
    seconds: option('seconds', 2, 600),
    // e copies the oldest seeded executions: there must be that many.
    bulkRows: option('bulk-rows', 1_000, executions),
    // The gateway's default MAX_BATCH_ROWS.
    httpRows: option('http-rows', d.batchSize, 100_000),
  };
}

const root = path.resolve(import.meta.dirname, '..');
try {
  const options = readOptions();
  const config = loadConfig({
    EMBEDDED_BUFFER_POOL_MB: '4096',
    ...process.env,
    DATA_DIR: process.env.DATA_DIR ?? path.join(root, '.data/bench'),
  });
  const server = await openDatabase(config);
  try {
    const serverUrl = server.embedded?.serverUrl ?? server.url;
    await reportWriteTax(await measureWriteTax(serverUrl, options));
  } finally {
    await server.close();
  }
} catch (error) {
  console.error(
    `\nwrite-tax benchmark failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
