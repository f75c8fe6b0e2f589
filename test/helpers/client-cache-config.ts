/**
 * The normalized-cache set-up of Apollo Client and urql graphcache for this API, as the
 * README's Clients section gives it: rows of views are keyed by their nodeId (which
 * holds the view, its arguments and the row's key), entities by their id; Apollo merges
 * connection objects instead of replacing them.
 */
import type { TypePolicies } from '@apollo/client';
import type { KeyingConfig } from '@urql/exchange-graphcache';
import { isObjectType, type GraphQLSchema } from 'graphql';

/** Object types implementing Node that have no `id` of their own: the rows of views. */
export function viewRowTypes(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => type.getInterfaces().some((i) => i.name === 'Node'))
    .filter((type) => !('id' in type.getFields()))
    .map((type) => type.name);
}

/** Apollo Client's `typePolicies` for InMemoryCache. */
export function apolloTypePolicies(schema: GraphQLSchema): TypePolicies {
  const connections = Object.keys(schema.getTypeMap()).filter((name) =>
    name.endsWith('Connection'),
  );
  return {
    ...Object.fromEntries(viewRowTypes(schema).map((name) => [name, { keyFields: ['nodeId'] }])),
    ...Object.fromEntries(connections.map((name) => [name, { merge: true }])),
  };
}

/** urql graphcache's `keys`. */
export function urqlKeys(schema: GraphQLSchema): KeyingConfig {
  return Object.fromEntries(
    viewRowTypes(schema).map((name) => [name, (data) => data.nodeId as string]),
  );
}
