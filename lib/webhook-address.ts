/**
 * Where webhooks may be sent (SSRF; MLPS level 3 GB/T 22239-2019 8.1.3 boundary
 * protection): a receiver is judged by the addresses its host name resolves to — at subscription
 * (api/routes/webhooks.ts) and again at every connection (lib/webhooks.ts passes `guardedLookup` to
 * the socket), so a name that later resolves elsewhere (DNS rebinding) is refused too, before a byte
 * is sent.
 *
 * - always refused: loopback, link-local (169.254.0.0/16 holds cloud metadata services), unspecified,
 *   multicast and broadcast addresses, this machine's own addresses, and the system's own endpoints
 *   (Temporal, its UI, PostgreSQL, the S3 store — by address and port);
 * - private ranges (RFC 1918, RFC 4193, 100.64.0.0/10): only inside an administrator's allow-list
 *   (WEBHOOK_ALLOWED_NETWORKS) — government intranets use them;
 * - everything else (public addresses): allowed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import os from 'node:os';

export type AddressRefusal =
  | 'loopback'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'own-address'
  | 'system-endpoint'
  | 'private'
  | 'unresolvable';

export interface WebhookAddressPolicy {
  /** CIDR ranges (or addresses) the administrator allows besides public addresses (validated by lib/config.ts). */
  allowedNetworks: readonly string[];
  /** The system's own endpoints, `host:port` (host a name or an address). */
  systemEndpoints: readonly string[];
}

const ranges = (entries: Array<[string, number, 'ipv4' | 'ipv6']>) => {
  const list = new BlockList();
  for (const [address, prefix, family] of entries) list.addSubnet(address, prefix, family);
  return list;
};

const LOOPBACK = ranges([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const LINK_LOCAL = ranges([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const UNSPECIFIED = ranges([
  ['0.0.0.0', 8, 'ipv4'],
  ['::', 128, 'ipv6'],
]);
const MULTICAST = ranges([
  ['224.0.0.0', 3, 'ipv4'], // multicast, reserved and the broadcast address
  ['ff00::', 8, 'ipv6'],
]);
const PRIVATE = ranges([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
]);

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** `::ffff:127.0.0.1` → `127.0.0.1` (an IPv4 address written as IPv6 is judged as IPv4). */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address.replace(/^\[|\]$/g, '');
}

/** A BlockList of CIDR entries (`10.0.0.0/8`, `192.0.2.7`, `fd00::/8`). */
export function networkList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    if (prefix === undefined) list.addAddress(address, familyOf(address));
    else list.addSubnet(address, Number(prefix), familyOf(address));
  }
  return list;
}

/** The ranges an allow-list may never open (lib/config.ts refuses them in WEBHOOK_ALLOWED_NETWORKS). */
export function alwaysRefusedRange(address: string): AddressRefusal | undefined {
  const a = plainAddress(address);
  const family = familyOf(a);
  if (LOOPBACK.check(a, family)) return 'loopback';
  if (LINK_LOCAL.check(a, family)) return 'link-local';
  if (UNSPECIFIED.check(a, family)) return 'unspecified';
  if (MULTICAST.check(a, family)) return 'multicast';
  return undefined;
}

/** This machine's own addresses (every interface). */
const ownAddresses = (): Set<string> =>
  new Set(
    Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => i !== undefined)
      .map((i) => plainAddress(i.address)),
  );

type Lookup = (hostname: string) => Promise<string[]>;

const systemLookup: Lookup = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) =>
      err ? reject(err) : resolve(addresses.map((a) => plainAddress(a.address))),
    ),
  );

/** Judges addresses against one policy; `lookup` resolves names (tests may pass their own). */
export function createAddressGuard(policy: WebhookAddressPolicy, lookup: Lookup = systemLookup) {
  const allowed = networkList(policy.allowedNetworks);
  let endpoints: Promise<Set<string>> | undefined;
  /** `address|port` of the system's endpoints, resolved once. */
  const systemEndpoints = () =>
    (endpoints ??= Promise.all(
      policy.systemEndpoints.map(async (endpoint) => {
        const at = endpoint.lastIndexOf(':');
        const host = endpoint.slice(0, at);
        const port = endpoint.slice(at + 1);
        const addresses = isIP(plainAddress(host))
          ? [plainAddress(host)]
          : await lookup(host).catch(() => [] as string[]);
        return addresses.map((a) => `${a}|${port}`);
      }),
    ).then((lists) => new Set(lists.flat())));

  /** Why `address`:`port` is refused, or undefined when a webhook may connect to it. */
  async function refusalOf(address: string, port: number): Promise<AddressRefusal | undefined> {
    const a = plainAddress(address);
    const family = familyOf(a);
    const always = alwaysRefusedRange(a);
    if (always && !allowed.check(a, family)) return always;
    if (ownAddresses().has(a) && !allowed.check(a, family)) return 'own-address';
    if ((await systemEndpoints()).has(`${a}|${port}`)) return 'system-endpoint';
    if (PRIVATE.check(a, family) && !allowed.check(a, family)) return 'private';
    return undefined;
  }

  /** Resolves a URL's host and judges every address it resolves to: the first refusal, or undefined. */
  async function checkUrl(value: string): Promise<{ refusal: AddressRefusal; address: string | null } | undefined> {
    const url = new URL(value);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [plainAddress(host)] : await lookup(host);
    } catch {
      return { refusal: 'unresolvable', address: null };
    }
    if (addresses.length === 0) return { refusal: 'unresolvable', address: null };
    for (const address of addresses) {
      const refusal = await refusalOf(address, port);
      if (refusal) return { refusal, address };
    }
    return undefined;
  }

  /**
   * A `lookup` for node:http(s) requests to `port`: resolves like dns.lookup and fails with
   * WebhookAddressRefused when any address is refused, so the socket never connects there.
   */
  function guardedLookup(port: number) {
    return (
      hostname: string,
      options: { all?: boolean; family?: number | string },
      callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
    ) => {
      const host = hostname.replace(/^\[|\]$/g, '');
      (isIP(host) ? Promise.resolve([plainAddress(host)]) : lookup(host))
        .then(async (addresses) => {
          for (const address of addresses) {
            const refusal = await refusalOf(address, port);
            if (refusal) throw new WebhookAddressRefused(refusal, address);
          }
          if (addresses.length === 0) throw new WebhookAddressRefused('unresolvable', null);
          if (options.all)
            callback(
              null,
              addresses.map((address) => ({ address, family: isIP(address) })),
            );
          else callback(null, addresses[0]!, isIP(addresses[0]!));
        })
        .catch((err: Error) => callback(err, options.all ? [] : ''));
    };
  }

  return { refusalOf, checkUrl, guardedLookup };
}

export type AddressGuard = ReturnType<typeof createAddressGuard>;

export class WebhookAddressRefused extends Error {
  constructor(
    readonly refusal: AddressRefusal,
    readonly address: string | null,
  ) {
    super(`webhook receiver refused: ${refusal}${address ? ` address ${address}` : ''}`);
    this.name = 'WebhookAddressRefused';
  }
}
