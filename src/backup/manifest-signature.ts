/**
 * The manifest's HMAC-SHA256: a backup is trusted only when its manifest was signed
 * with this gateway's BACKUP_SIGNING_KEY. The signature covers the canonical JSON of
 * every other field (the data file's SHA-256 included), so neither the manifest nor,
 * through the digest, the data file can change without the key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Separates this use of the key from any other it might be put to. */
const CONTEXT = 'analytics-gateway backup manifest\n';
const HEX_SHA256 = /^[0-9a-f]{64}$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON with object keys in code-point order at every level: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Json>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The HMAC-SHA256 (hex) of a manifest's fields other than `signature`. */
export function manifestSignature(manifest: object, key: string): string {
  const signed = Object.fromEntries(
    Object.entries(manifest).filter(([field]) => field !== 'signature'),
  );
  return createHmac('sha256', key).update(CONTEXT).update(canonicalJson(signed)).digest('hex');
}

/** True when `manifest.signature` is the HMAC of its other fields; compared in constant time. */
export function hasValidSignature(manifest: object, key: string): boolean {
  const claimed = (manifest as { signature?: unknown }).signature;
  if (typeof claimed !== 'string' || !HEX_SHA256.test(claimed)) return false;
  const expected = Buffer.from(manifestSignature(manifest, key), 'hex');
  return timingSafeEqual(expected, Buffer.from(claimed, 'hex'));
}
