/**
 * The database budget of one request (REQUEST_DB_BUDGET_MS): the time all its reads
 * spend in the server added up, reads running side by side each counting. While reads
 * run, a timer fires when their sum reaches the budget and stops every one of them on
 * the server (`KILL QUERY`); where the pool has a statement timeout, a read also gets
 * what is left of the budget as its timeout when that is less. Once the budget is spent, the
 * request's remaining reads are refused with DB_BUDGET_EXCEEDED before they start.
 * The request's context holds the pool under an identity of its own that carries the
 * budget (withDbBudget), so every read made with it is counted without being passed
 * around (AsyncLocalStorage would do it too, but on Node 20 it slows every promise of
 * the process).
 */
import { GraphQLError } from 'graphql';
import type { Database } from './pool.js';

/** A running read: when it started, and how to stop it on the server. */
interface Running {
  startedAt: number;
  stop: () => void;
}

/** The error of a request whose reads used up its database budget. */
export function dbBudgetExceededError(budgetMs: number): GraphQLError {
  return new GraphQLError(
    `The request used up its database time of ${Number((budgetMs / 1000).toFixed(3))} s ` +
      '(REQUEST_DB_BUDGET_MS) and its reads were stopped. Ask for fewer or smaller views in ' +
      'one request.',
    { extensions: { code: 'DB_BUDGET_EXCEEDED', budgetMs } },
  );
}

export class RequestDbBudget {
  private spentMs = 0;
  private readonly running = new Set<Running>();
  private timer: NodeJS.Timeout | undefined;
  /** True once the sum reached the budget: every later read is refused. */
  exhausted = false;

  constructor(readonly budgetMs: number) {}

  private consumedMs(now: number): number {
    let consumed = this.spentMs;
    for (const read of this.running) consumed += now - read.startedAt;
    return consumed;
  }

  /** What is left, in ms; throws DB_BUDGET_EXCEEDED when nothing is. */
  remainingMs(): number {
    const left = this.budgetMs - this.consumedMs(performance.now());
    if (this.exhausted || left <= 0) {
      this.exhausted = true;
      throw dbBudgetExceededError(this.budgetMs);
    }
    return left;
  }

  /** Counts a read from now on; `stop` cuts it short. Call the returned function when it ends. */
  started(stop: () => void): () => void {
    const read: Running = { startedAt: performance.now(), stop };
    this.running.add(read);
    this.schedule();
    return () => {
      this.spentMs += performance.now() - read.startedAt;
      this.running.delete(read);
      this.schedule();
    };
  }

  /** Arms the timer for the moment the running reads together reach the budget. */
  private schedule() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running.size === 0) return;
    const left = this.budgetMs - this.consumedMs(performance.now());
    this.timer = setTimeout(() => this.check(), Math.max(0, left / this.running.size));
    this.timer.unref();
  }

  private check() {
    if (this.budgetMs - this.consumedMs(performance.now()) > 0) return this.schedule();
    this.exhausted = true;
    for (const read of this.running) read.stop();
  }
}

// A request's view of the pool, and the budget and pool behind it.
const budgeted = new WeakMap<Database, { pool: Database; budget: RequestDbBudget }>();

/**
 * The pool as one request sees it: the same pool (every method runs on it), under
 * another identity that carries the request's budget, so every read made with it,
 * DataLoader batches included, is counted.
 */
export function withDbBudget(pool: Database, budget: RequestDbBudget): Database {
  const view = new Proxy(pool, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  budgeted.set(view, { pool, budget });
  return view;
}

/** The pool behind `db` and the budget of the request it serves, if any. */
export function budgetOf(db: Database): { pool: Database; budget?: RequestDbBudget } {
  return budgeted.get(db) ?? { pool: db };
}
