/**
 * Read-your-writes on replicas. A write through any gateway instance replaces the version
 * tokens of the tables it wrote (in the shared store) after its commit and before it is
 * acknowledged. So the position a read must see is known from the tokens it finds: the
 * first time an instance sees a token, it asks the primary for its position, which then
 * includes every write acknowledged before the token was seen (a token is replaced only
 * after its write committed, and the primary's position only grows). Each token's
 * position is remembered, so reads reach the primary only once per write.
 *
 * A request picks its server once, at its first read: a replica that has applied the
 * position of the tokens it found (replica-set.ts; a request for live numbers: the
 * primary's position as the request began), else the primary, and every read of
 * the request runs there, so its views agree with each other. A view result may be
 * stored in the cache under versions only if the request's server has applied them:
 * the primary always has; a replica has when the request's tokens are those versions
 * (a write landing between the two makes them differ: the result is then served, fresh
 * enough for a request that began before that write, but not stored).
 */
import type { Queryable } from '@databases/mysql';
import type { Versions } from '../../cache/table-versions.js';
import type { Database } from '../pool.js';
import type { ReadServer, ReplicaSet } from './replica-set.js';

// Enough for the tokens in use; an evicted one only costs another position read.
const REMEMBERED_TOKENS = 10_000;

/** Token → a primary position read after the token was first seen, per instance. */
export class WritePositions {
  private readonly positions = new Map<string, string>();
  private running: Promise<string> | undefined;
  private queued: Promise<string> | undefined;

  constructor(private readonly replicas: ReplicaSet) {}

  /** The position a read finding `versions` must see. */
  async neededFor(versions: Versions): Promise<string> {
    const tokens = Object.values(versions);
    const known = tokens.map((token) => this.positions.get(token));
    if (known.includes(undefined)) {
      const position = await this.freshPosition();
      tokens.forEach((token, index) => {
        if (known[index] !== undefined) return;
        known[index] = this.positions.get(token) ?? position;
        this.remember(token, known[index]);
      });
    }
    let needed = '';
    for (const position of known) needed = await this.replicas.merge(needed, position!);
    return needed;
  }

  private remember(token: string, position: string) {
    this.positions.set(token, position);
    if (this.positions.size > REMEMBERED_TOKENS) {
      this.positions.delete(this.positions.keys().next().value!);
    }
  }

  /**
   * The primary's position from a read begun after this call: a read already running may
   * have started too early, so callers arriving meanwhile share the next one.
   */
  freshPosition(): Promise<string> {
    if (!this.running) return this.startRead();
    this.queued ??= this.running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.queued = undefined;
        return this.startRead();
      });
    return this.queued;
  }

  private startRead(): Promise<string> {
    const read = this.replicas.primaryPosition();
    this.running = read;
    const clear = () => {
      if (this.running === read) this.running = undefined;
    };
    read.then(clear, clear);
    return read;
  }
}

/** The tokens of the source tables now, or undefined when the store cannot say. */
export type CurrentVersions = () => Promise<Versions | undefined>;

/** Where one request's reads go. */
export class RequestRoute {
  private chosen: Promise<{ server: ReadServer; versions?: Versions }> | undefined;
  private pinned = false;

  /**
   * `live`: the caller asked for live numbers (Cache-Control: no-cache, cache bypassed):
   * its server must have applied everything the primary had committed when the request
   * began, writes made straight in SQL included (one position read, shared by requests
   * arriving together).
   */
  constructor(
    private readonly replicas: ReplicaSet,
    private readonly positions: WritePositions,
    private readonly currentVersions: CurrentVersions,
    private readonly live = false,
  ) {}

  /** The request's server, chosen at its first read. */
  private choose() {
    this.chosen ??= (async () => {
      if (this.live) {
        return { server: await this.replicas.serverFor(await this.positions.freshPosition()) };
      }
      const versions = await this.currentVersions();
      // Without the tokens nobody can tell what a replica must have applied.
      if (!versions) return { server: { db: this.replicas.primary } };
      const needed = await this.positions.neededFor(versions);
      return { server: await this.replicas.serverFor(needed), versions };
    })();
    return this.chosen;
  }

  get primary(): Database {
    return this.replicas.primary;
  }

  /** This request wrote: its later reads (the rows it returns) go to the primary. */
  pinPrimary() {
    this.pinned = true;
  }

  /** Runs `fn` on the request's server, counting the read there. */
  async run<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const { server } = this.pinned
      ? { server: { db: this.replicas.primary } }
      : await this.choose();
    const { replica } = server;
    if (!replica) {
      this.replicas.primaryReads += 1;
      return fn(server.db);
    }
    replica.readsServed += 1;
    try {
      return await fn(server.db);
    } catch (error) {
      this.replicas.failed(replica, error);
      throw error;
    }
  }

  /** True when what this request read may be stored under `versions` (see above). */
  async covers(versions: Versions): Promise<boolean> {
    if (!this.chosen || this.pinned) return true;
    const { server, versions: seen } = await this.chosen;
    if (!server.replica) return true;
    return Object.entries(versions).every(([table, token]) => seen?.[table] === token);
  }
}

// A request's view of the database, and the route behind it.
const routes = new WeakMap<Database, RequestRoute>();
// The driver of a connection a routed task ran on (its transactions share it), and its pool.
const driverPools = new WeakMap<object, Database>();

/** The driver object behind a connection or transaction of @databases/mysql. */
function driverOf(connection: Queryable): object | undefined {
  const driver: unknown = Reflect.get(connection, '_driver');
  return typeof driver === 'object' && driver !== null ? driver : undefined;
}

/**
 * The database as one request sees it: reads (`query`, `task`, `tx`) run on the server
 * its route chose; everything else is the primary's.
 */
export function routedDatabase(primary: Database, route: RequestRoute): Database {
  const routedMethod =
    (name: 'query' | 'task' | 'tx') =>
    (...args: unknown[]) =>
      route.run((db) => {
        const method = Reflect.get(db, name) as (
          this: Database,
          ...a: unknown[]
        ) => Promise<unknown>;
        if (name === 'query') return method.apply(db, args);
        const [fn, ...rest] = args as [(connection: Queryable) => Promise<unknown>, ...unknown[]];
        const remembered = (connection: Queryable) => {
          const driver = driverOf(connection);
          if (driver) driverPools.set(driver, db);
          return fn(connection);
        };
        return method.call(db, remembered, ...rest);
      });
  const view = new Proxy(primary, {
    get(target, property) {
      if (property === 'query' || property === 'task' || property === 'tx') {
        return routedMethod(property);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  routes.set(view, route);
  return view;
}

/** The route behind a request's database, if it has one. */
export function routeOf(db: Database): RequestRoute | undefined {
  return routes.get(db);
}

/** The pool `connection` (or transaction) of a routed request's task belongs to. */
export function poolOfConnection(connection: Queryable): Database | undefined {
  const driver = driverOf(connection);
  return driver && driverPools.get(driver);
}
