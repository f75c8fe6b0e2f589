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

const DOCUMENT_ID = /^sha256:([0-9a-f]{64})$/;

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

/** A sent value as an error message shows it: JSON, cut short (an id may be megabytes). */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} characters)` : text;
}

type Resolution =
  { byId: true; text: string } | { byId: false; text: unknown } | { refused: GraphQLError };

/**
 * What a request runs: the text of its documentId, or its own query when its caller may
 * send one; else why it is refused. The one owner of these rules, for the request itself
 * and for the response cache's look-up before it.
 */
function resolve(
  { documents, only }: PersistedDocuments,
  query: unknown,
  id: unknown,
  caller: () => Caller,
): Resolution {
  if (id !== undefined && id !== null) {
    if (query) return { refused: badRequest('Send documentId or query, not both.') };
    const hash = hashOf(id);
    if (!hash) {
      return {
        refused: badRequest(
          `documentId must be "sha256:" and 64 lower-case hex digits, got ${shown(id)}.`,
        ),
      };
    }
    const text = documents.get(hash);
    if (text === undefined) {
      return {
        refused: badRequest(
          `No persisted document has the id sha256:${hash}.`,
          'PERSISTED_DOCUMENT_NOT_FOUND',
          404,
        ),
      };
    }
    return { text, byId: true };
  }
  if (!only) return { text: query, byId: false };
  const who = caller();
  if (who.invalidKey) return { refused: unauthenticated('The API key is not valid.') };
  if (!maySendAnyDocument(who)) {
    return {
      refused: badRequest(
        'This gateway runs only persisted documents for viewer keys and anonymous clients ' +
          '(PERSISTED_DOCUMENTS_ONLY): send the documentId ("sha256:<hex>") of an allow-listed ' +
          'document, or use an analyst or admin key to send your own.',
        'PERSISTED_DOCUMENT_REQUIRED',
        403,
      ),
    };
  }
  return { text: query, byId: false };
}

/**
 * The text a JSON request body would run, for a look-up before it is parsed (the
 * response cache); undefined whenever the request is to be refused or has no text.
 */
export function textToRun(
  persisted: PersistedDocuments,
  body: { query?: unknown; documentId?: unknown },
  caller: Caller,
): string | undefined {
  const resolution = resolve(persisted, body.query, body.documentId, () => caller);
  return 'text' in resolution && typeof resolution.text === 'string' ? resolution.text : undefined;
}

export function persistedDocumentsPlugin(persisted: PersistedDocuments): Plugin {
  return {
    onParams({ params, request, setParams }) {
      const resolution = resolve(persisted, params.query, documentIdOf(params, request), () =>
        authenticate(request, persisted.apiKeys),
      );
      if ('refused' in resolution) throw resolution.refused;
      if (resolution.byId) {
        const { operationName, variables, extensions } = params;
        setParams({ query: resolution.text, operationName, variables, extensions });
      }
    },
  };
}
