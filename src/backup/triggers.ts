/**
 * A database's triggers, taken off and put back. A restore loads the rollup tables
 * as they were backed up, so the triggers that would recompute them stay off while
 * it loads; and a table with triggers cannot move between databases, so the swap
 * into the live database takes them off and recreates them there.
 */
import mysql from 'mysql2';
import type { Connection } from 'mysql2/promise';

export interface TriggerDefinition {
  name: string;
  sqlMode: string;
  /** CREATE TRIGGER without a DEFINER clause: the restoring user becomes the definer. */
  create: string;
}

interface TriggerRow {
  name: string;
  timing: string;
  event: string;
  table_name: string;
  body: string;
  sql_mode: string;
}

/** The triggers of `database`, in the order they fire. */
export async function readTriggers(
  connection: Connection,
  database: string,
): Promise<TriggerDefinition[]> {
  const [rows] = await connection.query(
    `SELECT TRIGGER_NAME AS name, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event,
       EVENT_OBJECT_TABLE AS table_name, ACTION_STATEMENT AS body, SQL_MODE AS sql_mode
     FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
     ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
    [database],
  );
  // Triggers of one table, time and event fire in the order they were created.
  return (rows as TriggerRow[]).map((row) => ({
    name: row.name,
    sqlMode: row.sql_mode,
    create:
      `CREATE TRIGGER ${mysql.escapeId(row.name)} ${row.timing} ${row.event} ` +
      `ON ${mysql.escapeId(row.table_name)} FOR EACH ROW ${row.body}`,
  }));
}

export async function dropTriggers(
  connection: Connection,
  database: string,
  triggers: readonly TriggerDefinition[],
): Promise<void> {
  for (const trigger of triggers) {
    await connection.query(
      `DROP TRIGGER ${mysql.escapeId(database)}.${mysql.escapeId(trigger.name)}`,
    );
  }
}

/** Creates the triggers in the connection's current database. */
export async function createTriggers(
  connection: Connection,
  triggers: readonly TriggerDefinition[],
): Promise<void> {
  const [rows] = await connection.query('SELECT @@SESSION.sql_mode AS mode');
  const { mode } = (rows as { mode: string }[])[0]!;
  try {
    for (const trigger of triggers) {
      // A trigger keeps the sql_mode it was created under.
      await connection.query('SET SESSION sql_mode = ?', [trigger.sqlMode]);
      await connection.query(trigger.create);
    }
  } finally {
    await connection.query('SET SESSION sql_mode = ?', [mode]);
  }
}
