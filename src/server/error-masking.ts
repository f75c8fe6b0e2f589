/**
 * Unexpected errors (a failed SQL statement, a bug) reach the client as
 * "Unexpected error." with `extensions.code` INTERNAL_SERVER_ERROR and the request
 * id, never with SQL, table names or a stack; the log line keeps all of that under
 * the same request id. Client errors (a GraphQLError thrown on purpose, with a code
 * and a message a person can act on) pass unchanged, and so does a privilege the
 * database account lacks (DATABASE_PRIVILEGE, naming the privilege and the table).
 */
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { privilegeErrorOf } from '../db/privileges.js';
import { log } from '../logger.js';
import { requestIdOf } from './request-id-plugin.js';

/** Masked error → the error it replaced, until the request's result is logged. */
const originals = new WeakMap<Error, unknown>();
/** The errors that were masked: logged here with their request id, not by yoga. */
const masked = new WeakSet<object>();

/**
 * For yoga's `maskedErrors.maskError`: a privilege the database account lacks is
 * named (DATABASE_PRIVILEGE: an operator can act on it, and it holds no SQL);
 * anything else gets yoga's own masking, remembering the original.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const cause = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const missing = privilegeErrorOf(cause);
  if (missing) {
    log.warn('the database account lacks a privilege', details(error));
    // Logged here once: yoga's logger skips it like a masked error.
    if (typeof error === 'object' && error !== null) masked.add(error);
    return new GraphQLError(missing.message, {
      ...(error instanceof GraphQLError
        ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path }
        : {}),
      extensions: { code: 'DATABASE_PRIVILEGE', privilege: missing.privilege, on: missing.object },
    });
  }
  const replacement = yogaMaskError(error, message, isDev);
  if (replacement !== error) {
    originals.set(replacement, error);
    if (typeof error === 'object' && error !== null) masked.add(error);
  }
  return replacement;
}

/**
 * True for an error that maskError replaced: yoga logs those without the request
 * id, so its logger skips them and maskedErrorLogPlugin logs them instead.
 */
export function isMaskedOriginal(value: unknown): boolean {
  return typeof value === 'object' && value !== null && masked.has(value);
}

/** What the log keeps of an error: message, stack, SQL and driver code when present. */
function details(error: unknown): Record<string, unknown> {
  // A resolver's error arrives wrapped in a GraphQLError that knows the field path.
  const cause = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (!(cause instanceof Error)) return { error: String(cause) };
  const { sql, code, sqlMessage } = cause as Error & Record<string, unknown>;
  return {
    error: cause.message,
    ...(error instanceof GraphQLError && error.path ? { path: error.path.join('.') } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof sqlMessage === 'string' && sqlMessage !== cause.message ? { sqlMessage } : {}),
    ...(typeof sql === 'string' ? { sql } : {}),
    stack: cause.stack,
  };
}

/** Logs each masked error of a result with the request id and puts the id on the error. */
export function maskedErrorLogPlugin(): Plugin {
  return {
    onExecutionResult(payload) {
      const { request, result } = payload;
      if (!result || Symbol.asyncIterator in result || !result.errors) return;
      let requestId: string | undefined;
      const errors = result.errors.map((error) => {
        if (!originals.has(error)) return error;
        requestId ??= requestIdOf(request);
        log.error('unexpected error (the client saw it masked)', {
          requestId,
          ...details(originals.get(error)),
        });
        originals.delete(error);
        return new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          extensions: { ...error.extensions, requestId },
        });
      });
      if (requestId !== undefined) payload.setResult({ ...result, errors });
    },
  };
}
