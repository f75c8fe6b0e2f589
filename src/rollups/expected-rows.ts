/**
 * What a rollup must hold for the executions of a range: the raw recomputation less
 * the journal rows not yet folded, so that rollup plus journal is the raw rows. The
 * reference REFRESH_ROLLUPS rebuilds from and INTEGRITY compares with.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import { HISTOGRAM_COLUMN, histogramAggregate } from './duration-histogram.js';
import { journalBuckets, journalNegated } from './journal.js';
import { recompute, recomputeBuckets, type RollupTable } from './rollup-tables.js';

/**
 * The cells' histograms: per bucket the raw durations less the journal's, as the
 * stored text (buckets whose counts cancel out are left out).
 */
function expectedHistograms(rollup: RollupTable, raw: SQLQuery, journalRows: SQLQuery): SQLQuery {
  const names = [rollup.bucket, ...rollup.keys];
  const cell = (alias: string) => names.map((c) => sql.ident(alias, c));
  return sql`
    SELECT ${sql.join(cell('b'), ', ')},
      ${histogramAggregate(sql`b.duration_bucket`, sql`b.n`)} AS ${sql.ident(HISTOGRAM_COLUMN)}
    FROM (
      SELECT ${sql.join(cell('u'), ', ')}, u.duration_bucket, SUM(u.n) AS n
      FROM ((${recomputeBuckets(rollup, raw)})
        UNION ALL (${journalBuckets(rollup, journalRows, -1)})) u
      GROUP BY ${sql.join([...cell('u'), sql`u.duration_bucket`], ', ')}
      HAVING SUM(u.n) <> 0
    ) b
    GROUP BY ${sql.join(cell('b'), ', ')}`;
}

/**
 * The rows `rollup` must hold for the executions in a range (`raw`, a condition on
 * `e`, and `journalRows`, the same on `j`), every column of the table, in one
 * statement, so that raw rows and journal are read in one snapshot.
 */
export function expectedRollupRows(
  rollup: RollupTable,
  raw: SQLQuery,
  journalRows: SQLQuery,
): SQLQuery {
  const cell = [rollup.bucket, ...rollup.keys].map((c) => sql.ident(c));
  const columns = rollup.columns.map((c) =>
    rollup.maxima.includes(c)
      ? sql`MAX(u.${sql.ident(c)}) AS ${sql.ident(c)}`
      : sql`SUM(u.${sql.ident(c)}) AS ${sql.ident(c)}`,
  );
  return sql`
    SELECT m.*, h.${sql.ident(HISTOGRAM_COLUMN)} FROM (
      SELECT ${sql.join([...cell.map((c) => sql`u.${c}`), ...columns], ', ')}
      FROM ((${recompute(rollup, raw)}) UNION ALL (${journalNegated(rollup, journalRows)})) u
      GROUP BY ${sql.join(
        cell.map((c) => sql`u.${c}`),
        ', ',
      )}
    ) m LEFT JOIN (${expectedHistograms(rollup, raw, journalRows)}) h ON ${sql.join(
      cell.map((c) => sql`h.${c} = m.${c}`),
      ' AND ',
    )}`;
}
