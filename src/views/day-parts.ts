/**
 * A window's executions per UTC day, over all reports: whole days from day_rollup
 * (one row a day, with the day's distinct report and user counts), the partial
 * days at the edges from the raw rows. Every part is one whole day or one partial
 * day, so summing parts per day is exact even for the distinct counts; per week or
 * month only the sums add up. The journal's rows not yet folded add to the sums;
 * on a day that has any, the distinct counts come from the daily rollups and the
 * journal instead (a journal row may add a report or user, or take one away).
 */
import { sql, type SQLQuery } from '@databases/mysql';
import {
  JOURNAL_SUMS,
  JOURNAL_TABLE,
  journalRowsFor,
  journalStartedIn,
} from '../rollups/journal.js';
import { rollupNamed } from '../rollups/rollup-tables.js';
import { rollupDays, windowEdges } from './daily-parts.js';
import { MEASURES, type Measure } from './metrics.js';
import type { Window } from './time-window.js';

/** The day_rollup columns of measures named otherwise. */
export const DAY_COLUMNS: Partial<Record<Measure, string>> = {
  distinct_reports: 'reports',
  distinct_users: 'users',
};

const DISTINCT_MEASURES: ReadonlySet<Measure> = new Set(['distinct_reports', 'distinct_users']);

const journal = sql.ident(JOURNAL_TABLE);

/**
 * Per journaled day in [from, to), how many keys of a daily rollup ran something:
 * the rollup's cells of the day plus the journal's differences, per key.
 */
function journaledDayCounts(
  table: 'report_daily_rollup' | 'user_daily_rollup',
  from: Date,
  to: Date,
) {
  const rollup = rollupNamed(table);
  const key = sql.ident(rollup.keys[0]!);
  return sql`
    SELECT t.day, COUNT(*) AS n FROM (
      SELECT c.${key}, c.day FROM (
        SELECT d.${key}, d.bucket_date AS day, d.executions AS n
        FROM ${sql.ident(table)} d
        WHERE d.bucket_date IN (SELECT DATE(j.started_at) FROM ${journal} j WHERE ${journalStartedIn(from, to)})
        UNION ALL
        SELECT j.${key}, DATE(j.started_at), j.executions
        FROM ${journal} j WHERE ${journalStartedIn(from, to)} AND ${journalRowsFor(rollup)}
      ) c
      GROUP BY c.${key}, c.day
      HAVING SUM(c.n) > 0
    ) t
    GROUP BY t.day`;
}

/** The parts as one UNION ALL of rows (bucket_date, measures…). Call only where the source chooser picked `day`. */
export function dayParts(measures: readonly Measure[], window: Window): SQLQuery {
  const days = rollupDays(window)!;
  const distinct = measures.some((m) => DISTINCT_MEASURES.has(m));
  const journaledDays = sql`
    SELECT DISTINCT DATE(j.started_at) AS day FROM ${journal} j
    WHERE ${journalStartedIn(days.firstDay, days.lastDay)}`;
  const rollupColumns = measures.map((m) => {
    const column = sql`d.${sql.ident(DAY_COLUMNS[m] ?? m)}`;
    return DISTINCT_MEASURES.has(m)
      ? sql`CASE WHEN jd.day IS NULL THEN ${column} ELSE 0 END AS ${sql.ident(m)}`
      : sql`${column} AS ${sql.ident(m)}`;
  });
  // A day whose executions all went is a row of zeros: no part.
  const parts = [
    sql`
    SELECT d.bucket_date, ${sql.join(rollupColumns, ', ')}
    FROM day_rollup d ${distinct ? sql`LEFT JOIN (${journaledDays}) jd ON jd.day = d.bucket_date` : sql``}
    WHERE d.bucket_date >= ${days.firstDay} AND d.bucket_date < ${days.lastDay}
      AND d.executions > 0`,
    sql`
    SELECT DATE(j.started_at) AS bucket_date, ${sql.join(
      measures.map((m) =>
        (JOURNAL_SUMS as readonly string[]).includes(m)
          ? sql`SUM(${sql.ident('j', m)}) AS ${sql.ident(m)}`
          : sql`0 AS ${sql.ident(m)}`,
      ),
      ', ',
    )}
    FROM ${journal} j
    WHERE ${journalStartedIn(days.firstDay, days.lastDay)}
    GROUP BY bucket_date`,
  ];
  if (distinct) {
    const counts = {
      distinct_reports: journaledDayCounts('report_daily_rollup', days.firstDay, days.lastDay),
      distinct_users: journaledDayCounts('user_daily_rollup', days.firstDay, days.lastDay),
    };
    for (const [measure, count] of Object.entries(counts)) {
      if (!measures.includes(measure as Measure)) continue;
      parts.push(sql`
        SELECT c.day AS bucket_date, ${sql.join(
          measures.map((m) =>
            m === measure ? sql`c.n AS ${sql.ident(m)}` : sql`0 AS ${sql.ident(m)}`,
          ),
          ', ',
        )}
        FROM (${count}) c`);
    }
  }
  const rawColumns = measures.map((m) => sql`${MEASURES[m]} AS ${sql.ident(m)}`);
  for (const [from, to] of windowEdges(window, days.firstDay, days.lastDay)) {
    parts.push(sql`
      SELECT DATE(e.started_at) AS bucket_date, ${sql.join(rawColumns, ', ')}
      FROM report_executions e
      WHERE e.started_at >= ${from} AND e.started_at < ${to}
      GROUP BY bucket_date`);
  }
  return sql.join(
    parts.map((part) => sql`(${part})`),
    sql` UNION ALL `,
  );
}
