/**
 * One batch of the applier: moves a set of journal rows into the rollups in one
 * transaction, so that a reader sees them in the journal or in the rollups, never
 * both and never neither. Per rollup one upsert per touched cell (sums add,
 * candidate maxima combine by GREATEST); cells whose maximum a change may have
 * lowered get their maxima recomputed; the touched days' counts of reports and
 * users are recounted; the touched cells' duration histograms take the batch's
 * counts per bucket; then the rows go, and the recorded report changes that no
 * waiting row needs any more. A crash anywhere rolls all of it back.
 */
import { sql, type Queryable, type SQLQuery } from '@databases/mysql';
import { queryRows } from '../db/pool.js';
import {
  HISTOGRAM_COLUMN,
  HISTOGRAM_TEXT_LIMIT,
  addHistogramText,
  histogramAggregate,
  histogramText,
} from './duration-histogram.js';
import {
  JOURNAL_TABLE,
  REPORT_CHANGES_TABLE,
  journalAggregate,
  journalBuckets,
  journalCell,
  journalOf,
  journalRowsFor,
} from './journal.js';
import { ROLLUP_TABLES, journaledColumns, rollupNamed, type RollupTable } from './rollup-tables.js';

/** Journal ids first..last, all of them rows of the batch (ids are decimal strings). */
export interface IdSpan {
  first: string;
  last: string;
}

/** Consecutive ids as spans: ids that are not there (not yet committed) split them. */
export function idSpans(ids: readonly string[]): IdSpan[] {
  const spans: IdSpan[] = [];
  for (const id of ids) {
    const last = spans.at(-1);
    if (last && BigInt(last.last) + 1n === BigInt(id)) last.last = id;
    else spans.push({ first: id, last: id });
  }
  return spans;
}

function inBatch(spans: readonly IdSpan[], alias = 'j'): SQLQuery {
  const id = sql.ident(alias, 'id');
  return sql`(${sql.join(
    spans.map((s) => sql`${id} BETWEEN ${s.first} AND ${s.last}`),
    ' OR ',
  )})`;
}

const journal = sql.ident(JOURNAL_TABLE);

/** Adds the batch's differences to each cell it touches (its counts start at 0 in a new cell). */
function addDeltas(rollup: RollupTable, batch: SQLQuery): SQLQuery {
  const table = sql.ident(rollup.table);
  const added = journaledColumns(rollup);
  // The histogram is added by foldHistograms: a new cell's starts NULL.
  const columns = [rollup.bucket, ...rollup.keys, ...rollup.columns].map((c) => sql.ident(c));
  const cell = journalCell(rollup);
  const updates = added.map((c) => {
    const [old, x] = [sql.ident(rollup.table, c), sql.ident('x', c)];
    return rollup.maxima.includes(c)
      ? sql`${sql.ident(c)} = COALESCE(GREATEST(${old}, ${x}), ${old}, ${x})`
      : sql`${sql.ident(c)} = ${old} + ${x}`;
  });
  // A new cell's row is inserted with its values as they are (never below zero
  // there: a removal follows the addition it removes); an existing cell adds them.
  const inserted = [
    sql.ident('x', rollup.bucket),
    ...rollup.keys.map((k) => sql.ident('x', k)),
    ...rollup.columns.map((c) => {
      if (!added.includes(c)) return sql`0`;
      return rollup.maxima.includes(c) ? sql.ident('x', c) : sql`GREATEST(${sql.ident('x', c)}, 0)`;
    }),
  ];
  return sql`
    INSERT INTO ${table} (${sql.join(columns, ', ')})
    SELECT ${sql.join(inserted, ', ')} FROM (
      SELECT ${sql.join(
        [...cell.selects, ...added.map((c) => sql`${journalAggregate(c)} AS ${sql.ident(c)}`)],
        ', ',
      )}
      FROM ${journalOf(rollup)} j
      WHERE ${batch} AND ${journalRowsFor(rollup)}
      GROUP BY ${sql.join(cell.groups, ', ')}
    ) x
    ON DUPLICATE KEY UPDATE ${sql.join(updates, ', ')}`;
}

/** The cells of `rollup` that the batch may have lowered a maximum of: (bucket, keys…) rows `c`. */
function loweredCells(rollup: RollupTable, batch: SQLQuery): SQLQuery {
  return sql`
    SELECT DISTINCT ${rollup.bucketOf(sql`j.started_at`)} AS bucket,
      ${sql.join(
        rollup.keys.map((k) => sql`j.${sql.ident(k)}`),
        ', ',
      )}
    FROM ${journalOf(rollup)} j
    WHERE ${batch} AND j.lowers AND ${journalRowsFor(rollup)}`;
}

/**
 * Recomputes the maxima of the lowered cells: a daily cell from its raw rows (a
 * day of one report or user, through their (key, started_at) index), a monthly
 * one from the daily cells of its month, already recomputed in this transaction.
 */
function recomputeMaxima(rollup: RollupTable, batch: SQLQuery): SQLQuery {
  const [key] = rollup.keys;
  const k = sql.ident(key!);
  const table = sql.ident(rollup.table);
  const source =
    rollup.span === 'DAY'
      ? sql`
        SELECT c.bucket, c.${k}, MAX(e.duration_ms) AS max_duration_ms, MAX(e.started_at) AS last_executed_at
        FROM (${loweredCells(rollup, batch)}) c
        LEFT JOIN report_executions e ON e.${k} = c.${k}
          AND e.started_at >= c.bucket AND e.started_at < c.bucket + INTERVAL 1 DAY
        GROUP BY c.bucket, c.${k}`
      : sql`
        SELECT c.bucket, c.${k}, MAX(d.max_duration_ms) AS max_duration_ms,
          MAX(d.last_executed_at) AS last_executed_at
        FROM (${loweredCells(rollup, batch)}) c
        LEFT JOIN report_daily_rollup d ON d.${k} = c.${k}
          AND d.bucket_date >= c.bucket AND d.bucket_date < c.bucket + INTERVAL 1 MONTH
        GROUP BY c.bucket, c.${k}`;
  return sql`
    UPDATE ${table} t JOIN (${source}) m
      ON m.bucket = t.${sql.ident(rollup.bucket)} AND m.${k} = t.${k}
    SET t.max_duration_ms = m.max_duration_ms, t.last_executed_at = m.last_executed_at`;
}

/**
 * Recounts the counting columns of the cells the batch touched from the rollups
 * they count (already folded in this transaction). The sums beside them add the
 * journal like any rollup's: rebuilt from those rollups they would lose the
 * executions of a report whose rows there went by foreign-key cascade while its
 * journal rows still wait.
 */
function recount(rollup: RollupTable, batch: SQLQuery): SQLQuery {
  const bucket = sql.ident(rollup.bucket);
  const touched = sql`SELECT DISTINCT ${rollup.bucketOf(sql`j.started_at`)} AS bucket FROM ${journal} j WHERE ${batch}`;
  const counts = (rollup.counts ?? []).map(
    ({ column, of }) => sql`t.${sql.ident(column)} = (SELECT COUNT(*) FROM ${sql.ident(of)} d
      WHERE d.${sql.ident(rollupNamed(of).bucket)} = t.${bucket} AND d.executions > 0)`,
  );
  return sql`
    UPDATE ${sql.ident(rollup.table)} t JOIN (${touched}) c ON c.bucket = t.${bucket}
    SET ${sql.join(counts, ', ')}`;
}

// Cells per histogram write: a day's histogram is at most ~40 kB of text.
const HISTOGRAM_WRITE_CELLS = 500;

/**
 * Adds the batch's durations per bucket to the histograms of the cells they fall
 * in. Text cannot be added up in SQL, so the applier reads each touched cell with
 * the batch's counts for it (as histogram text, in one statement over the journal),
 * merges them and writes the cell back. A plain read is enough: `addDeltas` has
 * already upserted every one of these cells in this transaction, so their rows are
 * locked by it and no one else can have changed them since.
 */
async function foldHistograms(tx: Queryable, rollup: RollupTable, batch: SQLQuery) {
  const names = [rollup.bucket, ...rollup.keys];
  const table = sql.ident(rollup.table);
  const cell = names.map((n) => sql.ident('b', n));
  const cells = await queryRows<Record<string, unknown> & { delta: string }>(
    tx,
    sql`SELECT t.*, d.delta FROM (
        SELECT ${sql.join(cell, ', ')},
          ${histogramAggregate(sql`b.duration_bucket`, sql`b.n`)} AS delta
        FROM (${journalBuckets(rollup, batch)}) b GROUP BY ${sql.join(cell, ', ')}
      ) d LEFT JOIN ${table} t ON ${sql.join(
        names.map((n) => sql`t.${sql.ident(n)} = d.${sql.ident(n)}`),
        ' AND ',
      )}`,
  );
  if (cells.some((row) => row[rollup.bucket] === null)) {
    throw new Error(`${rollup.table}: a cell the batch adds durations to has no row`);
  }
  const columns = [...names, ...rollup.columns, HISTOGRAM_COLUMN].map((c) => sql.ident(c));
  for (let i = 0; i < cells.length; i += HISTOGRAM_WRITE_CELLS) {
    // The rows exist (the other values are the row's own): only the histogram changes.
    const values = cells.slice(i, i + HISTOGRAM_WRITE_CELLS).map((row) => {
      const merged = addHistogramText(
        addHistogramText(new Map(), row[HISTOGRAM_COLUMN] as string | null),
        row.delta,
      );
      return sql`SELECT ${sql.join(
        [...names, ...rollup.columns].map((c) => sql`${row[c]} AS ${sql.ident(c)}`),
        ', ',
      )}, ${histogramText(merged)} AS ${sql.ident(HISTOGRAM_COLUMN)}`;
    });
    await tx.query(sql`
      INSERT INTO ${table} (${sql.join(columns, ', ')})
      SELECT * FROM (${sql.join(values, sql` UNION ALL `)}) x
      ON DUPLICATE KEY UPDATE ${sql.ident(HISTOGRAM_COLUMN)} = x.${sql.ident(HISTOGRAM_COLUMN)}`);
  }
}

/** One step of a batch: a statement, or the applier's own work between statements. */
export interface FoldStep {
  step: string;
  run: (tx: Queryable) => Promise<unknown>;
}

const statement = (step: string, query: SQLQuery): FoldStep => ({
  step,
  run: (tx) => tx.query(query),
});

/**
 * The steps of one batch, in order, each with a name for logs and the crash test;
 * the maxima only where a row of the batch may have lowered one.
 */
export function foldStatements(spans: readonly IdSpan[], lowers = true): FoldStep[] {
  const batch = inBatch(spans);
  return [
    ...ROLLUP_TABLES.map((r) => statement(`add ${r.table}`, addDeltas(r, batch))),
    // The batch's counts per cell are read as histogram text.
    statement('histogram text limit', HISTOGRAM_TEXT_LIMIT),
    ...ROLLUP_TABLES.map((r) => ({
      step: `histograms ${r.table}`,
      run: (tx: Queryable) => foldHistograms(tx, r, batch),
    })),
    // Daily before monthly: a month's maxima come from its days.
    ...ROLLUP_TABLES.filter((r) => lowers && r.maxima.length > 0)
      .sort((a, b) => (a.span === 'DAY' ? 0 : 1) - (b.span === 'DAY' ? 0 : 1))
      .map((r) => statement(`maxima ${r.table}`, recomputeMaxima(r, batch))),
    ...ROLLUP_TABLES.filter((r) => r.counts).map((r) =>
      statement(`recount ${r.table}`, recount(r, batch)),
    ),
    statement(
      'delete journal rows',
      sql`DELETE FROM ${journal} WHERE ${inBatch(spans, JOURNAL_TABLE)}`,
    ),
    // No row journaled before a recorded change is still waiting: it has served.
    statement(
      'delete served report changes',
      sql`DELETE FROM ${sql.ident(REPORT_CHANGES_TABLE)} WHERE NOT EXISTS (
        SELECT 1 FROM ${journal} j WHERE j.report_id = ${sql.ident(REPORT_CHANGES_TABLE, 'report_id')}
          AND j.id < ${sql.ident(REPORT_CHANGES_TABLE, 'id')})`,
    ),
  ];
}

/** Runs the batch's statements on `tx` (the caller's READ COMMITTED transaction). */
export async function foldBatch(
  tx: Queryable,
  spans: readonly IdSpan[],
  lowers: boolean,
  afterStep?: (step: string, tx: Queryable) => Promise<void>,
): Promise<void> {
  for (const { step, run } of foldStatements(spans, lowers)) {
    await run(tx);
    await afterStep?.(step, tx);
  }
}
