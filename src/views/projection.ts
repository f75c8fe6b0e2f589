/**
 * Join elimination and projection: from a row model and the GraphQL selection,
 * decide which columns the view's core query must output, which tables to join
 * for related objects, and how to rebuild nested objects from the flat result.
 *
 * A relation asked only for `id` is answered from the foreign-key column: no join,
 * no look-up (an INNER relation keeps its meaning through `fk IS NOT NULL`).
 * Otherwise the related table is joined, INNER or LEFT as declared, and only the
 * selected columns are read from it.
 */
import { sql, type Queryable, type SQLQuery } from '@databases/mysql';
import type { Database } from '../db/pool.js';
import { readRows } from '../db/read.js';
import { ENTITIES, type Relation, type RowModel } from './model.js';
import { asksOnlyId, type Selection } from './selection.js';

type Raw = Record<string, unknown>;
type Reader = (row: Raw) => Raw | null;

export interface ProjectionPlan {
  /** Columns the core query must output for the root row. */
  rootColumns: Set<string>;
  /** Root foreign keys that must not be NULL (INNER relations), filtered before paging. */
  requiredColumns: string[];
  /** Select items and joins the outer query adds for related objects. */
  selects: SQLQuery[];
  joins: SQLQuery[];
  /** Relation paths answered from a foreign key, and paths joined, e.g. `report__owner`. */
  eliminated: string[];
  joined: string[];
  /** Tables the joins read (a cached result depends on them). */
  tables: Set<string>;
  /** Rebuilds the root row, with nested related objects, from one flat result row. */
  read: (row: Raw) => Raw;
}

/** Plans the projection of `selection` over rows of `model`; the core query is aliased `v`. */
export function planProjection(model: RowModel, selection: Selection): ProjectionPlan {
  const plan: ProjectionPlan = {
    rootColumns: new Set(),
    requiredColumns: [],
    selects: [],
    joins: [],
    eliminated: [],
    joined: [],
    tables: new Set(),
    read: () => ({}),
  };
  let aliases = 0;

  function columnsOf(rowModel: RowModel, rowSelection: Selection): Set<string> {
    const columns = new Set<string>(rowModel.fields.id ? ['id'] : []);
    for (const field of rowSelection.keys()) {
      for (const column of rowModel.fields[field] ?? []) columns.add(column);
    }
    return columns;
  }

  /** Plans one relation of the row at `alias`; returns how to read it. */
  function relation(
    rel: Relation,
    relSelection: Selection,
    alias: string,
    path: string,
    innerPath: boolean,
    column: (fk: string) => string,
  ): Reader {
    const fkKey = column(rel.fk);
    if (asksOnlyId(relSelection)) {
      plan.eliminated.push(path);
      return (row) => (row[fkKey] === null || row[fkKey] === undefined ? null : { id: row[fkKey] });
    }
    plan.joined.push(path);
    aliases += 1;
    const joinedAlias = `p${aliases}`;
    const entity = ENTITIES[rel.entity];
    plan.tables.add(entity.table);
    const inner = innerPath && rel.join === 'INNER';
    plan.joins.push(
      sql`${inner ? sql`INNER JOIN` : sql`LEFT JOIN`} ${sql.ident(entity.table)} AS ${sql.ident(joinedAlias)} ON ${sql.ident(joinedAlias, 'id')} = ${sql.ident(alias, rel.fk)}`,
    );
    return entityReader(entity, relSelection, joinedAlias, `${path}__`, inner);
  }

  /** Selects the columns of a joined entity and reads it back (null when the join found none). */
  function entityReader(
    model: RowModel,
    entitySelection: Selection,
    alias: string,
    prefix: string,
    innerPath: boolean,
  ): Reader {
    const key = (column: string) => `${prefix}${column}`;
    const columns = columnsOf(model, entitySelection);
    const readers: [string, Reader][] = [];
    for (const [field, rel] of Object.entries(model.relations)) {
      const relSelection = entitySelection.get(field);
      if (!relSelection) continue;
      columns.add(rel.fk);
      readers.push([
        field,
        relation(rel, relSelection, alias, `${prefix}${field}`, innerPath, key),
      ]);
    }
    for (const column of columns)
      plan.selects.push(sql`${sql.ident(alias, column)} AS ${sql.ident(key(column))}`);
    return (row) => {
      if (row[key('id')] === null) return null;
      const entity: Raw = {};
      for (const column of columns) entity[column] = row[key(column)];
      for (const [field, read] of readers) entity[field] = read(row);
      return entity;
    };
  }

  for (const column of columnsOf(model, selection)) plan.rootColumns.add(column);
  const rootReaders: [string, Reader][] = [];
  for (const [field, rel] of Object.entries(model.relations)) {
    const relSelection = selection.get(field);
    if (!relSelection) continue;
    plan.rootColumns.add(rel.fk);
    if (rel.join === 'INNER') plan.requiredColumns.push(rel.fk);
    rootReaders.push([field, relation(rel, relSelection, 'v', field, true, (fk) => fk)]);
  }
  plan.read = (row) => {
    const result: Raw = {};
    for (const column of plan.rootColumns) result[column] = row[column];
    for (const [field, read] of rootReaders) result[field] = read(row);
    return result;
  };
  return plan;
}

/**
 * The outer query: the core (already filtered, ordered and paged, aliased `v`) with
 * the joins and columns of the related objects. Without joins the core runs alone.
 */
export function withProjection(
  core: SQLQuery,
  plan: ProjectionPlan,
  outerOrder: SQLQuery,
): SQLQuery {
  if (plan.joins.length === 0) return core;
  return sql`SELECT v.*, ${sql.join(plan.selects, ', ')} FROM (${core}) AS v ${sql.join(plan.joins, sql` `)} ORDER BY ${outerOrder}`;
}

/** Runs a compiled view query and rebuilds each row with its related objects. */
export async function runProjected<Row>(
  db: Database,
  { plan, query }: { plan: ProjectionPlan; query: SQLQuery },
  connection?: Queryable,
): Promise<Row[]> {
  const rows = await readRows<Record<string, unknown>>(db, query, connection);
  // The projection rebuilt exactly the selected fields; the rest are never resolved.
  return rows.map((row) => plan.read(row) as Row);
}

/** The tables a projected view reads: its own, and those its selection joins. */
export function tablesRead(
  own: readonly string[],
  model: RowModel,
  selection: Selection,
): string[] {
  return [...new Set([...own, ...planProjection(model, selection).tables])];
}
