/**
 * Checks of one batch of executions before any SQL runs: a bad row fails the
 * whole call with BAD_USER_INPUT naming `rows[i].field`.
 */
import { badInput } from '../errors.js';
import { parseId } from '../views/ids.js';
import type { Status } from '../views/rows.js';

export interface ExecutionInput {
  reportId: string | number;
  executedBy?: string | number | null;
  status: Status;
  startedAt: Date;
  completedAt?: Date | null;
  durationMs?: number | null;
  outputSizeBytes?: string | null;
  rowCount?: number | null;
  errorMessage?: string | null;
}

export interface CheckedExecution {
  reportId: string;
  executedBy: string | null;
  status: Status;
  startedAt: Date;
  completedAt: Date | null;
  durationMs: number | null;
  outputSizeBytes: string | null;
  rowCount: number | null;
  errorMessage: string | null;
}

const MAX_UNSIGNED_INT = 4_294_967_295;
const MAX_UNSIGNED_BIGINT = 18_446_744_073_709_551_615n;
const MAX_TEXT_BYTES = 65_535;

function wholeNumber(field: string, value: number | null | undefined, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badInput(field, `must be a whole number from 0 to ${max}, got ${value}`);
  }
  return value;
}

/** Validates one row; `at` is its index in the call. */
function checkRow(row: ExecutionInput, at: number): CheckedExecution {
  const field = (name: string) => `rows[${at}].${name}`;
  const completedAt = row.completedAt ?? null;
  if (completedAt && completedAt < row.startedAt) {
    throw badInput(field('completedAt'), 'must not be before startedAt');
  }
  if ((row.status === 'queued' || row.status === 'running') && completedAt) {
    throw badInput(
      field('status'),
      `a ${row.status.toUpperCase()} execution cannot have completedAt`,
    );
  }
  if (row.status === 'queued' && row.durationMs !== null && row.durationMs !== undefined) {
    throw badInput(field('status'), 'a QUEUED execution cannot have durationMs');
  }
  let bytes: string | null = null;
  if (row.outputSizeBytes !== null && row.outputSizeBytes !== undefined) {
    const value = BigInt(row.outputSizeBytes);
    if (value < 0n || value > MAX_UNSIGNED_BIGINT) {
      throw badInput(field('outputSizeBytes'), `must be from 0 to ${MAX_UNSIGNED_BIGINT}`);
    }
    bytes = value.toString();
  }
  const message = row.errorMessage ?? null;
  if (message !== null && Buffer.byteLength(message) > MAX_TEXT_BYTES) {
    throw badInput(field('errorMessage'), `must be at most ${MAX_TEXT_BYTES} bytes`);
  }
  return {
    reportId: parseId(field('reportId'), row.reportId),
    executedBy:
      row.executedBy === null || row.executedBy === undefined
        ? null
        : parseId(field('executedBy'), row.executedBy),
    status: row.status,
    startedAt: row.startedAt,
    completedAt,
    durationMs: wholeNumber(field('durationMs'), row.durationMs, MAX_UNSIGNED_INT),
    outputSizeBytes: bytes,
    rowCount: wholeNumber(field('rowCount'), row.rowCount, MAX_UNSIGNED_INT),
    errorMessage: message,
  };
}

/** Validates a whole batch, refusing more than `maxRows` rows before looking at any. */
export function checkExecutions(
  rows: readonly ExecutionInput[],
  maxRows: number,
): CheckedExecution[] {
  if (rows.length > maxRows) {
    throw badInput('rows', `at most ${maxRows} rows per call, got ${rows.length}`);
  }
  return rows.map(checkRow);
}
