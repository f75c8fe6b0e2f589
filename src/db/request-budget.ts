/**
 * The database budget of one request (REQUEST_DB_BUDGET_MS): the time all its reads
 * spend in the server added up, reads running side by side each counting. While reads
 * run, a timer fires when their sum reaches the budget and stops every one of them on
 * the server (`KILL QUERY`); where the pool has a statement timeout, a read also gets
 * what is left of the budget as its timeout when that is less. Once the budget is spent, the
 * request's remaining reads are refused with DB_BUDGET_EXCEEDED before they start.
 * The budget follows the request's execution through AsyncLocalStorage, so every read
 * made for it, DataLoader batches included, is counted without being passed around.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError } from 'graphql';

/** A running read: when it started, and how to stop it on the server. */
interface Running {
  startedAt: number;
  stop: () => void;
}

const active = new AsyncLocalStorage<RequestDbBudget>();

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

/** Runs `fn` (a request's execution) with `budget` counting every read it makes. */
export function withDbBudget<T>(budget: RequestDbBudget, fn: () => T): T {
  return active.run(budget, fn);
}

/** The budget of the request being executed, if it has one. */
export function currentDbBudget(): RequestDbBudget | undefined {
  return active.getStore();
}

/** Runs `fn` outside any request's budget: for work that reads no database (explain's recording). */
export function withoutDbBudget<T>(fn: () => T): T {
  return active.exit(fn);
}
