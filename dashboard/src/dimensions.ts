/** The providers and categories, in the order the filters list them and colours follow. */
import type { Provider, ReportCategory } from './gql/graphql';

export const PROVIDERS: readonly Provider[] = ['AWS', 'AZURE', 'GCP', 'OCI', 'MULTI'];
export const CATEGORIES: readonly ReportCategory[] = [
  'COST',
  'SECURITY',
  'COMPLIANCE',
  'PERFORMANCE',
  'INFRASTRUCTURE',
  'CUSTOM',
];
