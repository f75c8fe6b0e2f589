/** The one Pothos SchemaBuilder. Fields are non-null unless declared nullable. */
import SchemaBuilder from '@pothos/core';
import type { GatewayContext } from '../server/context.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    BigInt: { Input: string; Output: string | number | bigint };
    JSON: { Input: unknown; Output: unknown };
  };
}>({ defaultFieldNullability: false });

builder.queryType({});
