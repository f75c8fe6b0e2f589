/**
 * Database failures a client can act on, as GraphQL errors with a code: a read
 * stopped by the statement timeout (QUERY_TIMEOUT), a server that refused or lost
 * the connection (DATABASE_UNAVAILABLE), a pool whose connections all stayed busy
 * past the queue timeout (DATABASE_BUSY). The message names no host, user or SQL;
 * the driver's detail goes to the log. Anything else stays unexpected (masked).
 */
import { GraphQLError } from 'graphql';

// MariaDB ER_STATEMENT_TIMEOUT, MySQL ER_QUERY_TIMEOUT.
const TIMEOUT_ERRNOS = new Set([1969, 3024]);
// ER_QUERY_INTERRUPTED, ER_FILSORT_ABORT: how a timeout may surface mid-sort or mid-scan.
const INTERRUPTED_ERRNOS = new Set([1317, 1028]);
// ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED (MariaDB), ER_CON_COUNT_ERROR, server gone / lost.
const LOST_ERRNOS = new Set([1053, 1927, 1040, 2006, 2013]);
const LOST_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'CONNECTION_POOL:OPEN_TIMEOUT',
]);
const QUEUE_TIMEOUT_CODE = 'CONNECTION_POOL:QUEUE_TIMEOUT';

interface DriverError {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
}

function fields(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? error : {};
}

/** `ms` as seconds for a person: 10000 → "10 s", 250 → "0.25 s". */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A statement stopped by the statement timeout (the gateway's, or the server's own). */
export function queryTimeoutError(timeoutMs?: number): GraphQLError {
  const limit = timeoutMs === undefined ? 'the server allows' : seconds(timeoutMs);
  return new GraphQLError(
    `The database query took longer than ${limit} and was stopped. ` +
      'Ask for a shorter window, a narrower filter or fewer rows.',
    { extensions: { code: 'QUERY_TIMEOUT', ...(timeoutMs === undefined ? {} : { timeoutMs }) } },
  );
}

/** The database could not be reached, or the connection broke during the statement. */
export function databaseUnavailableError(): GraphQLError {
  return new GraphQLError(
    'The database is unavailable right now (the connection was refused or lost). ' +
      'Try again in a few seconds.',
    { extensions: { code: 'DATABASE_UNAVAILABLE' } },
  );
}

/** Every pooled connection stayed busy for the whole queue timeout. */
export function databaseBusyError(): GraphQLError {
  return new GraphQLError(
    'Every database connection stayed busy too long to take this request. ' +
      'Try again in a few seconds.',
    { extensions: { code: 'DATABASE_BUSY' } },
  );
}

/** True when `error` says the connection to the server was refused, lost or killed. */
export function isConnectionError(error: unknown): boolean {
  const { code, errno, fatal, message } = fields(error);
  return (
    (typeof code === 'string' && LOST_CODES.has(code)) ||
    (typeof errno === 'number' && LOST_ERRNOS.has(errno)) ||
    fatal === true ||
    (typeof message === 'string' && /connection is in closed state/.test(message))
  );
}

/** True when the server stopped a statement for its time limit (or interrupted it). */
export function isStatementTimeout(error: unknown): boolean {
  const { errno } = fields(error);
  return typeof errno === 'number' && (TIMEOUT_ERRNOS.has(errno) || INTERRUPTED_ERRNOS.has(errno));
}

/**
 * The client error for a failed read, or undefined when it is unexpected. A read
 * interrupted after running for about its whole timeout counts as timed out.
 */
export function clientErrorOf(
  error: unknown,
  read: { timeoutMs?: number; elapsedMs: number },
): GraphQLError | undefined {
  if (error instanceof GraphQLError) return error;
  const { code, errno } = fields(error);
  const { timeoutMs } = read;
  if (typeof errno === 'number') {
    if (TIMEOUT_ERRNOS.has(errno)) return queryTimeoutError(timeoutMs);
    if (
      INTERRUPTED_ERRNOS.has(errno) &&
      timeoutMs !== undefined &&
      read.elapsedMs >= timeoutMs * 0.9
    ) {
      return queryTimeoutError(timeoutMs);
    }
  }
  if (code === QUEUE_TIMEOUT_CODE) return databaseBusyError();
  if (isConnectionError(error)) return databaseUnavailableError();
  return undefined;
}
