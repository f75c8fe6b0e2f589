/**
 * DateTime: ISO-8601 in UTC with milliseconds (graphql-scalars' RFC 3339 scalar).
 * BigInt: a JSON string of decimal digits, so byte sums stay exact past 2^53.
 */
import { GraphQLError, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { builder } from './builder.js';

builder.addScalarType('DateTime', DateTimeResolver);

const DIGITS = /^-?\d+$/;

function parseBigInt(value: unknown): string {
  if (typeof value === 'string' && DIGITS.test(value)) return BigInt(value).toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new GraphQLError(`BigInt expects a string of digits, got ${JSON.stringify(value)}`);
}

builder.scalarType('BigInt', {
  description: 'An exact integer of any size, sent as a JSON string of decimal digits.',
  serialize: (value) => {
    if (typeof value === 'bigint') return value.toString();
    return parseBigInt(value);
  },
  parseValue: parseBigInt,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseBigInt(ast.value);
    throw new GraphQLError('BigInt expects a string of digits');
  },
});
