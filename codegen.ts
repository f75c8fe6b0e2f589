/**
 * GraphQL Code Generator: typed documents for the operations in test/operations and for
 * the dashboard's, generated from the committed schema.graphql (`npm run codegen`;
 * `npm run check` fails on drift). The dashboard's documents are persisted: its bundle
 * holds only their SHA-256 hashes, and persisted-documents.json (hash → text) is the
 * gateway's allow-list (src/server/persisted-documents.ts).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const typesConfig = {
  scalars: { DateTime: 'string', BigInt: 'string' },
  enumsAsTypes: true,
  useTypeImports: true,
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  // ESM with NodeNext resolution: generated imports need their .js extensions.
  emitLegacyCommonJSImports: false,
  generates: {
    'test/gql/': {
      documents: ['test/operations/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typesConfig,
    },
    'dashboard/src/gql/': {
      documents: ['dashboard/src/operations/*.graphql'],
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: 'replaceDocumentWithHash', hashAlgorithm: 'sha256' },
      },
      config: typesConfig,
    },
  },
};

export default config;
