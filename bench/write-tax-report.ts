/**
 * The write tax as issue 14 tables it: one line per write shape, with upkeep and
 * without, the cost, and the target for it with PASS or FAIL. Printed as
 * markdown and saved, with every measure, to bench/write-tax-results.json.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';
import type { JournalAfter, WriteTaxResult } from './write-tax-run.js';

export interface TaxLine {
  shape: 'a' | 'b' | 'c' | 'd' | 'e' | 'f';
  write: string;
  withUpkeep: string;
  withoutUpkeep: string;
  /** How many times dearer (slower) the write is with upkeep. */
  cost: number;
  /** The quantity the target is about, measured. */
  measured: string;
  target: string;
  pass: boolean;
  journal: JournalAfter | null;
}

const RESULTS_FILE = path.resolve(import.meta.dirname, 'write-tax-results.json');
const times = (n: number) => `${n.toFixed(2)}×`;
const thousands = (n: number) => n.toLocaleString('en');

/** The lines and targets from the measures. */
export function taxLines(r: WriteTaxResult): TaxLine[] {
  const { insert, complete } = r.singleRows;
  const { large, small, cells } = r.cells;
  const { upkeep: cu, plain: cp } = r.concurrent;
  const { upkeep: eu, plain: ep } = r.insertSelect;
  const f = r.gatewayInserts;
  const ms = (t: { medianMs: number; p95Ms: number }) => `${t.medianMs} ms (p95 ${t.p95Ms})`;
  const singleRow = (
    shape: 'a' | 'b',
    write: string,
    t: typeof insert,
    journal: JournalAfter | null,
  ): TaxLine => {
    const cost = t.upkeep.medianMs / t.plain.medianMs;
    return {
      shape,
      write,
      withUpkeep: ms(t.upkeep),
      withoutUpkeep: ms(t.plain),
      cost,
      measured: `median ${times(cost)} without upkeep`,
      target: '≤ 1.3×',
      pass: cost <= 1.3,
      journal,
    };
  };
  const cellRatio = large.upkeep.medianMs / small.upkeep.medianMs;
  const throughput = cu.pairsPerSecond / cp.pairsPerSecond;
  const bulk = eu.rowsPerSecond / ep.rowsPerSecond;
  const http = f.gateway.rowsPerSecond / f.insertSelect.rowsPerSecond;
  return [
    singleRow('a', 'single-row INSERT of a running execution, median', insert, r.journal.ab),
    singleRow('b', 'the UPDATE that completes it, median', complete, r.journal.ab),
    {
      shape: 'c',
      write: `UPDATE of a row in a report-day cell of ${thousands(cells.large)} rows, median (in brackets: a cell of ${cells.small})`,
      withUpkeep: `${large.upkeep.medianMs} ms (${small.upkeep.medianMs})`,
      withoutUpkeep: `${large.plain.medianMs} ms (${small.plain.medianMs})`,
      cost: large.upkeep.medianMs / large.plain.medianMs,
      measured: `${thousands(cells.large)}-row ÷ ${cells.small}-row cell ${times(cellRatio)}`,
      target: '≤ 1.3×',
      pass: cellRatio <= 1.3,
      journal: r.journal.c,
    },
    {
      shape: 'd',
      write: `${cu.connections} connections doing INSERT + UPDATE pairs, ${r.options.seconds} s`,
      withUpkeep: `${thousands(cu.pairsPerSecond)} pairs/s, ${cu.deadlocks} deadlocks, ${cu.lockWaitTimeouts} lock wait timeouts`,
      withoutUpkeep: `${thousands(cp.pairsPerSecond)} pairs/s, ${cp.deadlocks}, ${cp.lockWaitTimeouts}`,
      cost: cp.pairsPerSecond / cu.pairsPerSecond,
      measured: `throughput ${times(throughput)}, ${cu.deadlocks} deadlocks, ${cu.lockWaitTimeouts} timeouts`,
      target: '≥ 0.7×, 0, 0',
      pass: throughput >= 0.7 && cu.deadlocks === 0 && cu.lockWaitTimeouts === 0,
      journal: r.journal.d,
    },
    {
      shape: 'e',
      write: `server-side INSERT … SELECT of ${thousands(r.options.bulkRows)} rows (twice per side)`,
      withUpkeep: `${thousands(eu.rowsPerSecond)} rows/s`,
      withoutUpkeep: `${thousands(ep.rowsPerSecond)} rows/s`,
      cost: ep.rowsPerSecond / eu.rowsPerSecond,
      measured: `${times(bulk)} without upkeep`,
      target: '≥ 0.5×',
      pass: bulk >= 0.5,
      journal: r.journal.e,
    },
    {
      shape: 'f',
      write: `\`insertExecutions\`, ${thousands(r.options.httpRows)} rows over HTTP in batches of ${thousands(f.batchSize)} (twice)`,
      withUpkeep: `${thousands(f.gateway.rowsPerSecond)} rows/s`,
      withoutUpkeep: `server INSERT … SELECT of the same rows: ${thousands(f.insertSelect.rowsPerSecond)} rows/s`,
      cost: f.insertSelect.rowsPerSecond / f.gateway.rowsPerSecond,
      measured: `${times(http)} of the server's own`,
      target: '≥ 0.8×',
      pass: http >= 0.8,
      journal: r.journal.f,
    },
  ];
}

function journalText(journal: JournalAfter | null) {
  if (!journal) return '–';
  const drained =
    journal.drainedSeconds === null
      ? `${thousands(journal.rowsLeft)} left unfolded`
      : `folded in ${journal.drainedSeconds} s`;
  return `${thousands(journal.rowsAtEnd)} (${drained})`;
}

/** Prints the table and the run's setting; writes every measure as JSON. */
export async function reportWriteTax(result: WriteTaxResult): Promise<TaxLine[]> {
  const lines = taxLines(result);
  const { server, machine, upkeep } = result;
  console.log(
    `\nWrite tax: ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB; ${server.version}, ` +
      `buffer pool ${server.bufferPoolMb} MB, innodb_flush_log_at_trx_commit = ${server.flushLogAtTrxCommit}; ` +
      `${thousands(result.options.executions)} seeded executions; upkeep: ${upkeep.triggers.length} triggers` +
      `${upkeep.journal ? ' and a journal' : ''}, gateway running; load average ` +
      `${result.loadAverage.start} → ${result.loadAverage.end}; ${result.totalSeconds} s in all\n`,
  );
  console.log(
    '| | write, as the application makes it | with upkeep | without upkeep | cost | measured | target | | journal after |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | --- | --- | --- | ---: |');
  for (const l of lines) {
    console.log(
      `| ${l.shape} | ${l.write} | ${l.withUpkeep} | ${l.withoutUpkeep} | ${times(l.cost)} | ${l.measured} | ${l.target} | ${l.pass ? 'PASS' : 'FAIL'} | ${journalText(l.journal)} |`,
    );
  }
  // Formatted as `npm run lint` checks it.
  const json = await format(JSON.stringify({ ...result, lines }), { parser: 'json' });
  writeFileSync(RESULTS_FILE, json);
  console.log(`\nSaved ${path.relative(process.cwd(), RESULTS_FILE)}`);
  return lines;
}
