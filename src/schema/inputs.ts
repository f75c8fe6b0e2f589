/** Input types shared by the views: time windows and filters. */
import { builder } from './builder.js';
import { ExecutionStatus, Provider, ReportCategory, UserRole } from './enums.js';

export const TimeWindow = builder.inputType('TimeWindow', {
  description:
    'A half-open interval [from, to) on startedAt. Give `from` or `last` (an ISO-8601 duration ' +
    'such as "P90D"), not both; `to` defaults to now. At most 5 years.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
    last: t.string({ required: false }),
  }),
});

export const ReportFilter = builder.inputType('ReportFilter', {
  description: 'Reports matching every given condition; an empty list matches nothing.',
  fields: (t) => ({
    reportIds: t.idList({ required: false }),
    categories: t.field({ type: [ReportCategory], required: false }),
    providers: t.field({ type: [Provider], required: false }),
    ownerIds: t.idList({ required: false }),
    active: t.boolean({ required: false }),
  }),
});

export const ExecutionFilter = builder.inputType('ExecutionFilter', {
  description: 'Executions matching every given condition; an empty list matches nothing.',
  fields: (t) => ({
    reportIds: t.idList({ required: false }),
    executedByIds: t.idList({ required: false }),
    statuses: t.field({ type: [ExecutionStatus], required: false }),
    providers: t.field({ type: [Provider], required: false }),
    categories: t.field({ type: [ReportCategory], required: false }),
  }),
});

export const UserFilter = builder.inputType('UserFilter', {
  description: 'Users matching every given condition; an empty list matches nothing.',
  fields: (t) => ({
    userIds: t.idList({ required: false }),
    roles: t.field({ type: [UserRole], required: false }),
  }),
});
