/**
 * Live alerts: while someone subscribes, this instance reads `performanceAlerts` (the
 * view's default arguments: every type, the last 7 days) after every write through any
 * gateway instance (the cache's broadcast: Redis pub/sub with CACHE_URL) and every
 * ALERT_POLL_MS (writes made straight in SQL), and tells its subscribers which alerts
 * started and which cleared since the last read. An alert is its type, report and
 * execution; the first read after the first subscriber arrives is the baseline, so an
 * alert is announced when it starts, not again when a subscriber joins. Each subscriber
 * hears each change once, from the instance it is connected to.
 */
import { GraphQLError } from 'graphql';
import type { ViewCache } from '../cache/view-cache.js';
import type { Database } from '../db/pool.js';
import { log } from '../logger.js';
import {
  ALERT_ROW,
  ALERT_THRESHOLD_DEFAULTS,
  ALERT_TYPES,
  alertIdentity,
  PERFORMANCE_ALERTS_DEFAULT_WINDOW,
  fetchPerformanceAlerts,
  type AlertArgs,
  type AlertRow,
} from '../views/performance-alerts.js';
import type { Selection } from '../views/selection.js';
import { resolveWindow, type Window } from '../views/time-window.js';

export type AlertChangeKind = 'RAISED' | 'CLEARED';

export interface AlertChange {
  change: AlertChangeKind;
  alert: AlertRow;
  /** When this instance saw the change. */
  at: Date;
  /** The arguments and window the alert was read under (its nodeId). */
  args: Omit<AlertArgs, 'window' | 'limit'>;
  window: Window;
}

/** The performanceAlerts view's defaults: every type and severity, its default thresholds. */
export const WATCHED_ARGS: Omit<AlertArgs, 'window' | 'limit'> = {
  types: ALERT_TYPES,
  minSeverity: 'INFO',
  ...ALERT_THRESHOLD_DEFAULTS,
};

// Open streams one instance holds (each costs a connection and a listener, never a read).
export const MAX_SUBSCRIPTIONS = 1_000;
// More than any real set of alerts; a read that fills it is logged (changes past it are missed).
const MAX_ALERTS = 10_000;

// The alert's own fields (its keys included); its report and execution are loaded per
// subscriber through the DataLoaders (whole rows, whatever the subscriber selects).
const SELECTION: Selection = new Map(
  Object.keys(ALERT_ROW.fields).map((field): [string, Selection] => [
    field,
    new Map<string, Selection>(),
  ]),
);

/** An alert's identity across reads, as text: its type, report and execution. */
export const alertKey = (alert: AlertRow) =>
  alertIdentity(alert)
    .map((part) => part ?? '')
    .join(':');

type Listener = (change: AlertChange) => void;

export class AlertWatch {
  private readonly listeners = new Set<Listener>();
  /** Streams open per client (context.client), for MAX_SUBSCRIPTIONS_PER_CLIENT. */
  private readonly perClient = new Map<string, number>();
  /** Listeners whose baseline is read: the subscriptions as /metrics counts them. */
  private readonly ready = new Set<Listener>();
  private previous: Map<string, AlertRow> | undefined;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribeWrites: Promise<() => Promise<void>> | undefined;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly cache: ViewCache,
    private readonly pollMs: number,
  ) {}

  /** Subscriptions now (each counted once its baseline is read). */
  get subscribers(): number {
    return this.ready.size;
  }

  /**
   * Adds a subscriber, of `client` when known (which may hold at most `client.max`);
   * resolves once the baseline read has run (changes after it reach the subscriber; a
   * failed read is logged, and the next one is the baseline). The returned function
   * removes it.
   */
  async subscribe(listener: Listener, client?: { id: string; max: number }): Promise<() => void> {
    if (this.closed) {
      throw new GraphQLError('The gateway is shutting down.', {
        extensions: { code: 'SHUTTING_DOWN' },
      });
    }
    if (this.listeners.size >= MAX_SUBSCRIPTIONS) {
      throw new GraphQLError(
        `This gateway instance has ${MAX_SUBSCRIPTIONS} alert subscriptions open, its most; ` +
          'try another instance or later.',
        { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
      );
    }
    const held = client ? (this.perClient.get(client.id) ?? 0) : 0;
    if (client && held >= client.max) {
      throw new GraphQLError(
        `This client already holds ${client.max} alert subscriptions on this gateway instance, ` +
          'its most (MAX_SUBSCRIPTIONS_PER_CLIENT); close one first.',
        { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
      );
    }
    if (client) this.perClient.set(client.id, held + 1);
    if (this.listeners.size === 0) this.startWatching();
    this.listeners.add(listener);
    let removed = false;
    const remove = () => {
      if (removed) return;
      removed = true;
      this.listeners.delete(listener);
      this.ready.delete(listener);
      if (client) {
        const left = (this.perClient.get(client.id) ?? 1) - 1;
        if (left > 0) this.perClient.set(client.id, left);
        else this.perClient.delete(client.id);
      }
      if (this.listeners.size === 0) this.stopWatching();
    };
    await this.readNow();
    this.ready.add(listener);
    return remove;
  }

  private startWatching() {
    this.previous = undefined;
    this.timer = setInterval(() => void this.readNow(), this.pollMs);
    this.timer.unref();
    this.unsubscribeWrites = this.cache.onWrites(() => void this.readNow());
    this.unsubscribeWrites.catch((error: unknown) =>
      log.warn('live alerts cannot hear of writes through other instances', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  private stopWatching() {
    clearInterval(this.timer);
    this.timer = undefined;
    const unsubscribe = this.unsubscribeWrites;
    this.unsubscribeWrites = undefined;
    void unsubscribe?.then((stop) => stop()).catch(() => undefined);
  }

  /** Reads the alerts now (a read already running is followed by one more). */
  readNow(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.readAgain = false;
          await this.readOnce();
        } while (this.readAgain && this.listeners.size > 0);
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  private async readOnce() {
    if (this.listeners.size === 0) return;
    const at = new Date();
    const window = resolveWindow(undefined, PERFORMANCE_ALERTS_DEFAULT_WINDOW, at);
    let rows: AlertRow[];
    try {
      rows = await fetchPerformanceAlerts(
        this.db,
        { ...WATCHED_ARGS, window, limit: MAX_ALERTS },
        SELECTION,
      );
    } catch (error) {
      log.warn('live alerts could not be read; trying again', {
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (rows.length >= MAX_ALERTS)
      log.warn('live alerts: more alerts than watched', { rows: rows.length });
    const current = new Map(rows.map((row) => [alertKey(row), row]));
    const previous = this.previous;
    this.previous = current;
    if (!previous) return;
    const changes: AlertChange[] = [];
    for (const [key, alert] of current) {
      if (!previous.has(key))
        changes.push({ change: 'RAISED', alert, at, args: WATCHED_ARGS, window });
    }
    for (const [key, alert] of previous) {
      if (!current.has(key))
        changes.push({ change: 'CLEARED', alert, at, args: WATCHED_ARGS, window });
    }
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          // One subscriber's failure is its own.
          log.warn('an alert subscriber failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
  }

  /** Ends every subscription (shutdown): their streams complete. */
  close() {
    this.closed = true;
    for (const listener of [...this.listeners]) listener(END);
    this.listeners.clear();
    this.ready.clear();
    this.stopWatching();
  }
}

/** Sent to subscribers when the watch closes. */
export const END = Symbol('end') as unknown as AlertChange;
