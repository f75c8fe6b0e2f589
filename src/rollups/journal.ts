/**
 * The rollup journal (migration 0011): rows of signed differences that the
 * triggers append, per change of the executions of one hour, report and user.
 * Its rows and the rollups together are the exact aggregate at every moment: the
 * applier moves rows from the one into the other in a transaction, and readers
 * add the rows not yet moved. The journal's measure columns carry the names of
 * the rollup columns they add to.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { RollupTable } from './rollup-tables.js';

export const JOURNAL_TABLE = 'rollup_journal';

/** Changes of a report's provider or category, and deletions (migration 0012). */
export const REPORT_CHANGES_TABLE = 'rollup_report_changes';

/** The journal's columns of summed differences. */
export const JOURNAL_SUMS = [
  'executions',
  'successes',
  'failures',
  'cancelled',
  'duration_count',
  'duration_sum',
  'total_output_bytes',
] as const;

/** Columns whose journal values are candidates for a maximum (NULL where a row adds none). */
export const JOURNAL_MAXIMA = ['max_duration_ms', 'last_executed_at'] as const;

/**
 * The journal's rows with the provider and category each counts under (the rule
 * of migration 0012): its own where it names them; else the report's pair before
 * the first change of the report recorded after the row (a change covers the ids
 * since the one before it); else the report's pair as it is. Read in one statement
 * with the rows, so a change is seen with the report's new pair or not at all.
 */
const JOURNAL_WITH_PAIRS = sql`(
  SELECT j.id, j.started_at, j.report_id, j.executed_by,
    COALESCE(j.provider, c.provider, r.provider) AS provider,
    COALESCE(j.category, c.category, r.category) AS category,
    ${sql.join(
      [...JOURNAL_SUMS, ...JOURNAL_MAXIMA, 'lowers', 'duration_bucket'].map(
        (c) => sql`j.${sql.ident(c)}`,
      ),
      ', ',
    )}
  FROM ${sql.ident(JOURNAL_TABLE)} j
  LEFT JOIN (
    SELECT report_id, id, COALESCE(LAG(id) OVER (PARTITION BY report_id ORDER BY id), 0) AS since,
      provider, category
    FROM ${sql.ident(REPORT_CHANGES_TABLE)}
  ) c ON j.provider IS NULL AND c.report_id = j.report_id AND j.id > c.since AND j.id < c.id
  LEFT JOIN reports r ON j.provider IS NULL AND r.id = j.report_id
)`;

/** The journal as a table to read `rollup`'s cells from: with pairs where its cells have them. */
export function journalOf(rollup: RollupTable): SQLQuery {
  return rollup.keys.includes('provider') ? JOURNAL_WITH_PAIRS : sql.ident(JOURNAL_TABLE);
}

/** How a journal column combines into a cell: maxima by MAX, the rest add up. */
export function journalAggregate(column: string, alias = 'j'): SQLQuery {
  const value = sql.ident(alias, column);
  return (JOURNAL_MAXIMA as readonly string[]).includes(column)
    ? sql`MAX(${value})`
    : sql`COALESCE(SUM(${value}), 0)`;
}

/** The journal rows `j` whose cells the rollup has: keys present and, for a keyed rollup, their parent existing. */
export function journalRowsFor(rollup: RollupTable, alias = 'j'): SQLQuery {
  const present = rollup.keys.map((k) => sql`${sql.ident(alias, k)} IS NOT NULL`);
  const parent = rollup.parent
    ? [
        sql`EXISTS (SELECT 1 FROM ${sql.ident(rollup.parent.table)} p
          WHERE p.id = ${sql.ident(alias, rollup.parent.key)})`,
      ]
    : [];
  const all = [...present, ...parent];
  return all.length > 0 ? sql.join(all, ' AND ') : sql`TRUE`;
}

/** The journal rows `j` whose execution started inside [from, to). */
export function journalStartedIn(from: Date, to: Date, alias = 'j'): SQLQuery {
  return sql`${sql.ident(alias, 'started_at')} >= ${from} AND ${sql.ident(alias, 'started_at')} < ${to}`;
}

/**
 * The cell of `rollup` a journal row `j` counts in: the columns to select (`AS` the
 * rollup's names) and the expressions to group by.
 */
export function journalCell(rollup: RollupTable): { selects: SQLQuery[]; groups: SQLQuery[] } {
  const groups = [rollup.bucketOf(sql`j.started_at`), ...rollup.keys.map((k) => sql.ident('j', k))];
  return {
    selects: [
      sql`${groups[0]!} AS ${sql.ident(rollup.bucket)}`,
      ...rollup.keys.map((k) => sql`j.${sql.ident(k)}`),
    ],
    groups,
  };
}

/**
 * The journal rows of `rollup`'s cells whose executions started in `rows` (over
 * executions `e`… given as a condition on `j`), per cell, with their differences
 * negated: added to the cells recomputed from the raw rows, they give what the
 * rollup must hold so that rollup plus journal equals the raw rows. Maxima and
 * counts of distinct keys come from the raw rows alone (NULL and 0 here).
 */
export function journalNegated(rollup: RollupTable, rows: SQLQuery): SQLQuery {
  const cell = journalCell(rollup);
  const columns = rollup.columns.map((c) => {
    if (rollup.maxima.includes(c)) return sql`NULL AS ${sql.ident(c)}`;
    if ((JOURNAL_SUMS as readonly string[]).includes(c)) {
      return sql`-COALESCE(SUM(${sql.ident('j', c)}), 0) AS ${sql.ident(c)}`;
    }
    return sql`0 AS ${sql.ident(c)}`;
  });
  return sql`
    SELECT ${sql.join([...cell.selects, ...columns], ', ')}
    FROM ${journalOf(rollup)} j
    WHERE ${rows} AND ${journalRowsFor(rollup)}
    GROUP BY ${sql.join(cell.groups, ', ')}`;
}

/**
 * Per cell of `rollup` and duration bucket, the durations the journal rows `j`
 * matching `rows` add there (migration 0014: a row counts `duration_count`
 * durations in its `duration_bucket`); `sign` -1 negates them.
 */
export function journalBuckets(rollup: RollupTable, rows: SQLQuery, sign: 1 | -1 = 1): SQLQuery {
  const cell = journalCell(rollup);
  return sql`
    SELECT ${sql.join(cell.selects, ', ')}, j.duration_bucket, ${sign} * SUM(j.duration_count) AS n
    FROM ${journalOf(rollup)} j
    WHERE ${rows} AND ${journalRowsFor(rollup)} AND j.duration_bucket IS NOT NULL
    GROUP BY ${sql.join([...cell.groups, sql`j.duration_bucket`], ', ')}`;
}
