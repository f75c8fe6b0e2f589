/**
 * The rollup applier: folds the journal into the rollups in the background,
 * inside the gateway. One is active at a time across all instances on a database:
 * it holds a named lock (GET_LOCK) on a connection of its own for as long as it
 * runs, and the others try again now and then, so one takes over when it stops.
 * Each batch is one READ COMMITTED transaction (src/rollups/fold-journal.ts): no
 * gap locks, so the application's inserts into the journal never wait for it.
 */
import { sql, type Connection, type Queryable } from '@databases/mysql';
import { log } from '../logger.js';
import { queryOne, queryRows, type Database } from '../db/pool.js';
import { readCommittedOn } from '../db/retry.js';
import { foldBatch, idSpans } from './fold-journal.js';
import { JOURNAL_TABLE } from './journal.js';

export const APPLIER_LOCK = 'analytics_gateway_rollup_applier';

export interface ApplierOptions {
  /** How often the active applier looks for journal rows; a write through the gateway wakes it sooner. */
  intervalMs?: number;
  /** Journal rows per batch (one transaction). */
  batchRows?: number;
  /** Test seam: called after each statement of a batch, with the batch's transaction. */
  afterStep?: (step: string, tx: Queryable) => Promise<void>;
}

export interface ApplierStatus {
  /** This instance holds the lock and folds. */
  active: boolean;
  /** Journal rows folded by this instance since it started. */
  foldedRows: number;
  batches: number;
  lastError: string | null;
}

/** The journal's backlog: rows not yet folded and the age of the oldest, in ms (0 when empty). */
export interface JournalBacklog {
  rows: number;
  lagMs: number;
}

/** The backlog and whether any instance holds the applier's lock: one row for `backlogOf`. */
export const JOURNAL_BACKLOG = sql`SELECT COUNT(*) AS n,
  (UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) - UNIX_TIMESTAMP(MIN(journaled_at))) * 1000 AS lag,
  IS_USED_LOCK(${APPLIER_LOCK}) AS used
  FROM ${sql.ident(JOURNAL_TABLE)}`;

export interface BacklogRow {
  n: string | number;
  lag: string | number | null;
  used: unknown;
}

export function backlogOf(
  row: BacklogRow | undefined,
): JournalBacklog & { applierRunning: boolean } {
  return {
    rows: Number(row?.n ?? 0),
    lagMs: Math.max(0, Math.round(Number(row?.lag ?? 0))),
    applierRunning: row?.used !== null && row?.used !== undefined,
  };
}

export async function journalBacklog(db: Queryable) {
  return backlogOf(await queryOne<BacklogRow>(db, JOURNAL_BACKLOG));
}

/** Folds the whole journal as it is now, batch by batch, on `conn`. */
export async function foldJournal(
  conn: Connection,
  { batchRows = 5_000, afterStep }: Pick<ApplierOptions, 'batchRows' | 'afterStep'> = {},
): Promise<{ rows: number; batches: number }> {
  const folded = { rows: 0, batches: 0 };
  for (;;) {
    // A plain read at READ COMMITTED sees committed rows only: a row still being
    // written is skipped now and folded in a later batch.
    const count = await readCommittedOn(conn, async (tx) => {
      const rows = await queryRows<{ id: string; lowers: boolean }>(
        tx,
        sql`SELECT id, lowers FROM ${sql.ident(JOURNAL_TABLE)} ORDER BY id LIMIT ${batchRows}`,
      );
      if (rows.length === 0) return 0;
      const spans = idSpans(rows.map((r) => String(r.id)));
      await foldBatch(
        tx,
        spans,
        rows.some((r) => r.lowers),
        afterStep,
      );
      return rows.length;
    });
    folded.rows += count;
    if (count > 0) folded.batches += 1;
    if (count < batchRows) return folded;
  }
}

export class RollupApplier {
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private running: Promise<void> | undefined;
  readonly status: ApplierStatus = { active: false, foldedRows: 0, batches: 0, lastError: null };

  constructor(
    private readonly db: Database,
    private readonly options: ApplierOptions = {},
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Folds soon (after a write through the gateway). */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private async pause(ms: number) {
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
  }

  private async loop() {
    const intervalMs = this.options.intervalMs ?? 1_000;
    while (!this.stopped) {
      try {
        await this.db.task((conn) => this.whileLocked(conn, intervalMs));
      } catch (error) {
        this.status.lastError = error instanceof Error ? error.message : String(error);
        log.warn('rollup applier failed; it will try again', { error: this.status.lastError });
      }
      this.status.active = false;
      // Another instance may hold the lock: try again a little later.
      await this.pause(Math.max(intervalMs, 1_000));
    }
  }

  /** Holds the lock on `conn` and folds until stopped; returns at once when another holds it. */
  private async whileLocked(conn: Connection, intervalMs: number) {
    const lock = await queryOne<{ got: number | null }>(
      conn,
      sql`SELECT GET_LOCK(${APPLIER_LOCK}, 0) AS got`,
    );
    if (Number(lock?.got) !== 1) return;
    this.status.active = true;
    try {
      while (!this.stopped) {
        const folded = await foldJournal(conn, this.options);
        this.status.foldedRows += folded.rows;
        this.status.batches += folded.batches;
        if (folded.rows > 0) this.status.lastError = null;
        await this.pause(intervalMs);
      }
    } finally {
      await conn.query(sql`SELECT RELEASE_LOCK(${APPLIER_LOCK})`).catch(() => undefined);
    }
  }
}
