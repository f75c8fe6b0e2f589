/**
 * The client a request comes from, for per-address rate limits: the socket's peer
 * address, or, behind `TRUST_PROXY` proxies, the address the outermost trusted proxy
 * saw (counted from the right of X-Forwarded-For, since clients can write anything on
 * its left). IPv6 clients are grouped by their /64, which a single host usually owns.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { bearerToken, type Caller } from './auth.js';

/** What node:http puts in yoga's server context; absent for in-process `yoga.fetch`. */
interface NodeServerContext {
  req?: { socket?: { remoteAddress?: string } };
}

/** The first four groups of an IPv6 address, expanded: its /64 network. */
function ipv6Network(address: string): string {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  // An embedded IPv4 tail (64:ff9b::1.2.3.4) stands for two groups.
  const groups = (part: string | undefined) =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : [];
  const left = groups(head);
  const right = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const full = [...left, ...zeros, ...right];
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** One client's identity: an IPv4 address, or an IPv6 /64; undefined when not an address. */
export function normalizeAddress(raw: string | undefined): string | undefined {
  const address = raw?.trim();
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  switch (net.isIP(address)) {
    case 4:
      return address;
    case 6:
      return ipv6Network(address);
    default:
      return undefined;
  }
}

/**
 * The client's address, or undefined when the request came without a socket (an
 * in-process call) and no trusted proxy named it.
 */
export function clientAddress(
  request: Request,
  serverContext: unknown,
  trustProxyHops: number,
): string | undefined {
  const socket = normalizeAddress(
    (serverContext as NodeServerContext | undefined)?.req?.socket?.remoteAddress,
  );
  if (trustProxyHops === 0) return socket;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return socket;
  // The nearest proxy appended what it saw; each further trusted proxy one more to the left.
  const entry = forwarded[Math.max(0, forwarded.length - trustProxyHops)];
  return normalizeAddress(entry) ?? socket;
}

/** One client: the API key it sent when valid, else its address. */
export type Client = { kind: 'key'; token: string } | { kind: 'address'; address: string };

/**
 * The client a request counts against (rate limits, stream caps): its API key when it
 * sent a valid one, else its address (so made-up keys buy nothing); undefined for an
 * in-process call without either.
 */
export function clientOf(
  request: Request,
  serverContext: unknown,
  caller: Caller,
  trustProxyHops: number,
): Client | undefined {
  if (caller.role !== 'anonymous') return { kind: 'key', token: bearerToken(request) ?? '' };
  const address = clientAddress(request, serverContext, trustProxyHops);
  return address === undefined ? undefined : { kind: 'address', address };
}

/** A client as a name for counts kept in this process (a key only as its hash). */
export function clientName(client: Client): string {
  return client.kind === 'key'
    ? `key ${createHash('sha256').update(client.token).digest('base64url')}`
    : `address ${client.address}`;
}
