/**
 * The client's address : the socket's peer, or — only when that
 * peer is a trusted proxy (TRUSTED_PROXIES, lib/config.ts; default: none) — the address the proxies
 * recorded in X-Forwarded-For: read from the right, the first address that is not itself a trusted
 * proxy. Anyone can send X-Forwarded-For, so from any other peer it is ignored. Sign-in is limited
 * per this address (api/rate-limit.ts) and the accounts' security trail records it.
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getConnInfo } from '@hono/node-server/conninfo';

export type ClientAddressEnv = { Variables: { clientAddress: string | null } };

/** A BlockList of the trusted proxies' addresses and CIDR ranges (validated by lib/config.ts). */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) → `192.0.2.1`. */
const plain = (address: string) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address);

const isTrusted = (trusted: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
};

/** The client address of a request from `peer` carrying `forwardedFor` (pure; see the module comment). */
export function clientAddressOf(
  peer: string | null,
  forwardedFor: string | undefined,
  trusted: BlockList,
): string | null {
  if (peer === null) return null;
  let client = plain(peer);
  if (!forwardedFor || !isTrusted(trusted, client)) return client;
  const hops = forwardedFor.split(',').map((h) => plain(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return client; // not an address: stop at the last proxy we trust
    client = hop;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return client;
}

/** The env @hono/node-server gives a request: its IncomingMessage, directly or under `server`. */
type NodeBindings = { incoming?: { socket?: unknown }; server?: { incoming?: { socket?: unknown } } };

function peerAddress(c: Context): string | null {
  const env = c.env as NodeBindings | undefined;
  // No socket: an in-process app.request() (asked first: getConnInfo would throw, and an Error's
  // stack costs more than the rest of this middleware).
  if (!(env?.server ?? env)?.incoming?.socket) return null;
  return getConnInfo(c).remote.address ?? null;
}

/** Puts the client address on the context (`clientAddress`) for the limits and the trail. */
export function clientAddress(trustedProxies: readonly string[]) {
  const trusted = trustedProxyList(trustedProxies);
  return createMiddleware<ClientAddressEnv>(async (c, next) => {
    c.set('clientAddress', clientAddressOf(peerAddress(c), c.req.header('x-forwarded-for'), trusted));
    await next();
  });
}

/** The client address of the request (set by clientAddress; the peer when that did not run). */
export const clientAddressOfRequest = (c: Context): string | null =>
  (c.get('clientAddress' as never) as string | null | undefined) ?? peerAddress(c);
