/**
 * Enums whose GraphQL values are the column values in upper case (AWS ↔ 'aws'):
 * resolvers and SQL work with the column values, clients see the upper-case names.
 */
import { CATEGORIES, PROVIDERS, ROLES, STATUSES } from '../views/rows.js';
import { builder } from './builder.js';

function columnEnum<const T extends string>(
  name: string,
  values: readonly T[],
  description: string,
) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((value) => [value.toUpperCase(), { value }])) as Record<
      Uppercase<T>,
      { value: T }
    >,
  });
}

export const ReportCategory = columnEnum('ReportCategory', CATEGORIES, 'What a report is about.');
export const Provider = columnEnum('Provider', PROVIDERS, 'The cloud a report covers.');
export const ExecutionStatus = columnEnum(
  'ExecutionStatus',
  STATUSES,
  'Where an execution stands; success, failed and cancelled count as completed.',
);
export const UserRole = columnEnum('UserRole', ROLES, "A user's role.");

export const PerformanceCategory = builder.enumType('PerformanceCategory', {
  description: 'FAST < 1 s ≤ NORMAL < 10 s ≤ SLOW < 60 s ≤ VERY_SLOW, by duration.',
  values: ['FAST', 'NORMAL', 'SLOW', 'VERY_SLOW'] as const,
});

export const OutputSizeClass = builder.enumType('OutputSizeClass', {
  description: 'NONE (null or 0), SMALL < 1 MiB, MEDIUM < 100 MiB, LARGE ≥ 100 MiB.',
  values: ['NONE', 'SMALL', 'MEDIUM', 'LARGE'] as const,
});

export const SortDirection = builder.enumType('SortDirection', {
  values: ['ASC', 'DESC'] as const,
});
