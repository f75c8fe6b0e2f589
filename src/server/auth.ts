/**
 * Who is calling: API keys from API_KEYS (`Authorization: Bearer <key>`), roles
 * viewer < analyst < admin. Keys are compared in constant time (their SHA-256
 * digests, every configured key checked) and never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { ApiKey, Role } from '../config.js';

export type CallerRole = Role | 'anonymous';

export interface Caller {
  role: CallerRole;
  /** A key was sent but matches none: every operation is refused. */
  invalidKey: boolean;
}

const RANK: Record<CallerRole, number> = { anonymous: 0, viewer: 1, analyst: 2, admin: 3 };

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The key of `Authorization: Bearer <key>`, or undefined without a well-formed one. */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
}

/** Identifies the caller of a request. */
export function authenticate(request: Request | undefined, keys: readonly ApiKey[]): Caller {
  if (!request?.headers.get('authorization')) return { role: 'anonymous', invalidKey: false };
  const token = bearerToken(request);
  if (!token) return { role: 'anonymous', invalidKey: true };
  const sent = digest(token);
  let role: Role | undefined;
  for (const key of keys) {
    // No early exit: the time taken does not depend on which key matched.
    if (timingSafeEqual(sent, digest(key.key)) && role === undefined) role = key.role;
  }
  return role ? { role, invalidKey: false } : { role: 'anonymous', invalidKey: true };
}

/**
 * The caller has no valid key: UNAUTHENTICATED, HTTP 401 with the challenge clients
 * expect (under both JSON media types).
 */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="analytics-gateway"' } },
    },
  });
}

/** Throws UNAUTHENTICATED (no or unknown key; 401) or FORBIDDEN (role too low; 403). */
export function requireRole(caller: Caller, needed: Role): void {
  if (caller.invalidKey || caller.role === 'anonymous') {
    throw unauthenticated('An API key is required: send Authorization: Bearer <key>.');
  }
  if (RANK[caller.role] < RANK[needed]) {
    throw new GraphQLError(`This needs the ${needed} role; your key has ${caller.role}.`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
}

/** True when the caller may read at all. */
export function mayRead(caller: Caller, readsNeedKey: boolean): boolean {
  return !caller.invalidKey && (!readsNeedKey || caller.role !== 'anonymous');
}

/**
 * True when the caller may ask for live numbers past the cache (Cache-Control:
 * no-cache): anyone while reads are open, else analyst and admin keys only, so that
 * a viewer key cannot turn every request into database work.
 */
export function mayBypassCache(caller: Caller, readsNeedKey: boolean): boolean {
  return !readsNeedKey || (!caller.invalidKey && RANK[caller.role] >= RANK.analyst);
}

/**
 * True when the caller may send documents of its own under PERSISTED_DOCUMENTS_ONLY:
 * analyst and admin keys; viewer keys and anonymous clients send allow-listed ones.
 */
export function maySendAnyDocument(caller: Caller): boolean {
  return !caller.invalidKey && RANK[caller.role] >= RANK.analyst;
}
