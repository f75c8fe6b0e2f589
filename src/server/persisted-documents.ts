/**
 * Persisted documents (the GraphQL-over-HTTP convention): a client sends `documentId`
 * ("sha256:<hex>", in the JSON body or the query string) instead of a document's text,
 * and the gateway runs the text it knows under that hash. The known texts are the
 * dashboard's, extracted by GraphQL Code Generator into persisted-documents.json; with
 * PERSISTED_DOCUMENTS_ONLY=1 they are all that viewer keys and anonymous clients may run.
 *
 * Written here rather than with yoga's persisted-operations plugin because that plugin
 * refuses every request without a known id, which would end automatic persisted queries
 * (persisted-queries.ts) for the analyst and admin keys that keep them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { ApiKey } from '../config.js';
import { authenticate, maySendAnyDocument, unauthenticated, type Caller } from './auth.js';

/** The dashboard's documents, written by `npm run codegen`. */
export const DASHBOARD_DOCUMENTS = new URL(
  '../../dashboard/src/gql/persisted-documents.json',
  import.meta.url,
);

const DOCUMENT_ID = /^(?:sha256:)?([0-9a-f]{64})$/;

/** Reads a hash → text manifest, refusing any entry whose text does not have its hash. */
export function loadPersistedDocuments(file: URL): ReadonlyMap<string, string> {
  const entries = Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  for (const [hash, text] of entries) {
    if (createHash('sha256').update(text).digest('hex') !== hash) {
      throw new Error(`${file.pathname}: the document under ${hash} does not have that hash`);
    }
  }
  return new Map(entries);
}

function badRequest(message: string, code = 'BAD_REQUEST', status = 400) {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** The request's documentId: the JSON body's, else the query string's (GET). */
function documentIdOf(params: GraphQLParams, request: Request): unknown {
  const sent = (params as { documentId?: unknown }).documentId;
  if (sent !== undefined && sent !== null) return sent;
  if (request.method !== 'GET') return undefined;
  return new URL(request.url).searchParams.get('documentId') ?? undefined;
}

const hashOf = (id: unknown) => (typeof id === 'string' ? DOCUMENT_ID.exec(id)?.[1] : undefined);

export interface PersistedDocuments {
  documents: ReadonlyMap<string, string>;
  /** PERSISTED_DOCUMENTS_ONLY: refuse other documents from viewer keys and anonymous clients. */
  only: boolean;
  apiKeys: readonly ApiKey[];
}

/**
 * The text a request body would run, for a look-up before it is parsed (the response
 * cache): its documentId's, or its own query when its caller may send one; undefined
 * whenever the request is to be refused or has no text.
 */
export function textToRun(
  persisted: PersistedDocuments,
  body: { query?: unknown; documentId?: unknown },
  caller: Caller,
): string | undefined {
  if (body.documentId !== undefined && body.documentId !== null) {
    const hash = hashOf(body.documentId);
    return body.query || !hash ? undefined : persisted.documents.get(hash);
  }
  if (typeof body.query !== 'string') return undefined;
  return persisted.only && !maySendAnyDocument(caller) ? undefined : body.query;
}

export function persistedDocumentsPlugin({ documents, only, apiKeys }: PersistedDocuments): Plugin {
  return {
    onParams({ params, request, setParams }) {
      const id = documentIdOf(params, request);
      if (id !== undefined) {
        if (params.query) throw badRequest('Send documentId or query, not both.');
        const hash = hashOf(id);
        if (!hash) {
          throw badRequest(
            `documentId must be "sha256:" and 64 lower-case hex digits, got ${JSON.stringify(id)}.`,
          );
        }
        const query = documents.get(hash);
        if (query === undefined) {
          throw badRequest(
            `No persisted document has the id sha256:${hash}.`,
            'PERSISTED_DOCUMENT_NOT_FOUND',
            404,
          );
        }
        const { operationName, variables, extensions } = params;
        setParams({ query, operationName, variables, extensions });
        return;
      }
      if (!only) return;
      const caller = authenticate(request, apiKeys);
      if (caller.invalidKey) throw unauthenticated('The API key is not valid.');
      if (!maySendAnyDocument(caller)) {
        throw badRequest(
          'This gateway runs only persisted documents for viewer keys and anonymous clients ' +
            '(PERSISTED_DOCUMENTS_ONLY): send the documentId ("sha256:<hex>") of an allow-listed ' +
            'document, or use an analyst or admin key to send your own.',
          'PERSISTED_DOCUMENT_REQUIRED',
          403,
        );
      }
    },
  };
}
