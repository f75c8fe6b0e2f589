/**
 * Rollup upkeep per statement instead of per row, for the bulk writers (the
 * gateway's insertExecutions and the seeder): with `@rollups_by_statement` set the
 * insert trigger stands aside, and one INSERT … SELECT … GROUP BY per rollup adds
 * the inserted rows' aggregates. Same transaction, same result, far fewer writes.
 */
import { sql, type Transaction } from '@databases/mysql';
import { ROLLUP_TABLES, allColumns } from './rollup-tables.js';

/** The ids one multi-row INSERT took: first, first + step, …, last. */
export interface IdRange {
  first: bigint;
  last: bigint;
  step: bigint;
}

async function addToRollups(tx: Transaction, ranges: readonly IdRange[]) {
  if (ranges.length === 0) return;
  const inserted = sql.join(
    ranges.map((r) => {
      const between = sql`e.id BETWEEN ${r.first.toString()} AND ${r.last.toString()}`;
      // With auto_increment_increment > 1 the ids in between belong to other servers.
      return r.step === 1n
        ? between
        : sql`(${between} AND (e.id - ${r.first.toString()}) % ${r.step.toString()} = 0)`;
    }),
    ' OR ',
  );
  for (const rollup of ROLLUP_TABLES.filter((r) => !r.derived)) {
    const table = sql.ident(rollup.table);
    const columns = sql.join(
      allColumns(rollup).map((c) => sql.ident(c)),
      ', ',
    );
    // A cell already in the rollup combines with the added rows' aggregate `x`.
    const updates = rollup.columns.map((c) => {
      const [old, added] = [sql.ident(rollup.table, c), sql.ident('x', c)];
      return rollup.maxima.includes(c)
        ? sql`${sql.ident(c)} = COALESCE(GREATEST(${old}, ${added}), ${old}, ${added})`
        : sql`${sql.ident(c)} = ${old} + ${added}`;
    });
    await tx.query(sql`
      INSERT INTO ${table} (${columns})
      SELECT ${columns} FROM (${rollup.recompute(sql`(${inserted})`)}) x
      ON DUPLICATE KEY UPDATE ${sql.join(updates, ', ')}`);
  }
}

/**
 * Runs `insert` (which returns the id ranges it inserted) with the per-row insert
 * trigger off, then brings the rollups up to date in one statement each.
 */
export async function insertWithStatementRollups<T extends { ranges: IdRange[] }>(
  tx: Transaction,
  insert: () => Promise<T>,
): Promise<T> {
  // The connection goes back to the pool: never leave the trigger off on it.
  const triggersOn = () => tx.query(sql`SET @rollups_by_statement = NULL`);
  await tx.query(sql`SET @rollups_by_statement = 1`);
  let result: T;
  try {
    result = await insert();
  } catch (error) {
    await triggersOn().catch(() => undefined); // the insert's error is the one to report
    throw error;
  }
  await triggersOn();
  await addToRollups(tx, result.ranges);
  return result;
}
