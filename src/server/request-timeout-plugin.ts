/**
 * The request timeout: a query still executing after `timeoutMs` is answered with a
 * REQUEST_TIMEOUT error instead of leaving the client waiting. Its unfinished work
 * runs out unobserved, bounded by the statement and queue timeouts of the pool, and
 * its result is dropped (error results are never cached). Mutations are not timed:
 * a batch insert, maintenance or a backup may rightly take minutes, and answering
 * before it ends would hide whether it was written.
 */
import {
  GraphQLError,
  OperationTypeNode,
  getOperationAST,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

type PromiseOrValue<T> = T | Promise<T>;

function isPromise<T>(value: PromiseOrValue<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The error sent when a request ran out of time. */
export function requestTimeoutError(timeoutMs: number): GraphQLError {
  return new GraphQLError(
    `The request took longer than ${Number((timeoutMs / 1000).toFixed(3))} s and was stopped. ` +
      'Ask for less in one request, or try again later.',
    { extensions: { code: 'REQUEST_TIMEOUT', timeoutMs } },
  );
}

/** Stops waiting for a query after `timeoutMs` (0: never). */
export function requestTimeoutPlugin(timeoutMs: number): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (timeoutMs <= 0) return;
      const { document, operationName } = args as ExecutionArgs;
      const operation = getOperationAST(document, operationName);
      if (operation?.operation !== OperationTypeNode.QUERY) return;
      setExecuteFn((executionArgs) => {
        const result = executeFn(executionArgs) as PromiseOrValue<ExecutionResult>;
        if (!isPromise(result)) return result;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(
            () => resolve({ data: null, errors: [requestTimeoutError(timeoutMs)] }),
            timeoutMs,
          );
        });
        // race() also observes a late failure of the abandoned execution: nothing is unhandled.
        return Promise.race([result, timeout]).finally(() => clearTimeout(timer));
      });
    },
  };
}
