/**
 * DateTime: ISO-8601 in UTC with milliseconds (graphql-scalars' RFC 3339 scalar),
 * limited on input to the instants a DATETIME column holds (years 1000 to 9999).
 * BigInt: a JSON string of decimal digits, so byte sums stay exact past 2^53.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { DATETIME_RANGE_TEXT, isStorableDate } from '../views/datetime-range.js';
import { builder } from './builder.js';

/** An input date outside the DATETIME range is refused where it is parsed, naming its path. */
function storable(date: Date): Date {
  if (!isStorableDate(date)) {
    throw new GraphQLError(`DateTime must lie ${DATETIME_RANGE_TEXT}`);
  }
  return date;
}

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType({
    ...DateTimeResolver.toConfig(),
    parseValue: (value) => storable(DateTimeResolver.parseValue(value)),
    parseLiteral: (ast, variables) => storable(DateTimeResolver.parseLiteral(ast, variables)),
  }),
);

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
