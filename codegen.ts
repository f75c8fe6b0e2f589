/**
 * GraphQL Code Generator: typed documents for the operations in test/operations,
 * generated from the committed schema.graphql (`npm run codegen`; `npm run check` fails on drift).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/operations/*.graphql'],
  // ESM with NodeNext resolution: generated imports need their .js extensions.
  emitLegacyCommonJSImports: false,
  generates: {
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', BigInt: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
