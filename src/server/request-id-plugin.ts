/**
 * A request id for every request: the caller's own `X-Request-Id` when it is a sane
 * token (at most 64 of A–Z, a–z, 0–9, `.`, `_`, `-`), else a new UUID. It goes back in
 * the `X-Request-Id` response header of every answer (cache hits and refusals too),
 * and masked errors carry it, so a client's report finds its log lines.
 */
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;

const ids = new WeakMap<Request, string>();

/** The request's id, fixed on first use: the sane incoming header or a new UUID. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    const sent = request.headers.get(REQUEST_ID_HEADER);
    // Anything else (too long, spaces, control characters) could forge or break log lines.
    id = sent !== null && SANE_ID.test(sent) ? sent : randomUUID();
    ids.set(request, id);
  }
  return id;
}

export function requestIdPlugin(): Plugin {
  return {
    onResponse({ request, response }) {
      try {
        response.headers.set(REQUEST_ID_HEADER, requestIdOf(request));
      } catch {
        // A response with immutable headers (Response.error()) goes out without it.
      }
    },
  };
}
