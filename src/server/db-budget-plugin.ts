/**
 * Gives each executed operation its database budget (REQUEST_DB_BUDGET_MS; see
 * src/db/request-budget.ts): every read it makes, in any resolver or DataLoader, is
 * counted against it. 0 turns the budget off.
 */
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { RequestDbBudget, withDbBudget } from '../db/request-budget.js';

/** The plugin; `budgetMs` is the database time one request may use (0: unlimited). */
export function dbBudgetPlugin(budgetMs: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      if (budgetMs <= 0) return;
      setExecuteFn((args) =>
        withDbBudget(
          new RequestDbBudget(budgetMs),
          () => executeFn(args) as ExecutionResult | Promise<ExecutionResult>,
        ),
      );
    },
  };
}
