import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may connect (server-side request forgery defence). A webhook's URL is typed by
 * a workspace admin, not by the installation's operator: it must not reach the installation's
 * own network (databases, cloud metadata at 169.254.169.254, admin ports on loopback). Only
 * public unicast addresses are allowed, unless the operator allows a network
 * (`WEBHOOK_ALLOW_NETWORKS`). The check runs on the address actually connected to (the lookup
 * of every connection, redirects too), so a name that resolves differently later gains nothing.
 */
export type AddressPolicy = (address: string) => boolean;

export function addressPolicy(allowNetworks: readonly string[]): AddressPolicy {
  const allowed = allowNetworks.map((entry) =>
    entry.includes('/') ? ipaddr.parseCIDR(entry) : ([ipaddr.parse(entry), entry.includes(':') ? 128 : 32] as const),
  );
  return (address) => {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.parse(address);
    } catch {
      return false;
    }
    // ::ffff:10.0.0.1 is 10.0.0.1.
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    if (allowed.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return true;
    return ip.range() === 'unicast';
  };
}

/** A target the policy refuses: an error a delivery's log shows, never retried sooner. */
export class RefusedTargetError extends Error {
  readonly code = 'EWEBHOOKTARGET';
  constructor(message: string) {
    super(message);
    this.name = 'RefusedTargetError';
  }
}

const refusal = (host: string, address: string) =>
  new RefusedTargetError(
    `${host === address ? address : `${host} resolves to ${address}, which`} is a private, loopback or link-local address; webhooks may not reach it`,
  );

/** A `lookup` for http.request that connects only to addresses the policy allows. */
export function guardedLookup(mayConnect: AddressPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      // Every address, not only the first: the connection may fall back to any of them.
      const refused = addresses.find((a) => !mayConnect(a.address));
      if (refused) return callback(refusal(hostname, refused.address), '', 0);
      if (addresses.length === 0) return callback(new RefusedTargetError(`${hostname} has no address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, all: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The host of a URL as `net` sees it: an IPv6 literal without its brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why webhooks may not use this URL, or null: checked when an admin saves it, for a clear
 * answer then (every delivery checks again).
 */
export async function urlProblem(url: string, mayConnect: AddressPolicy): Promise<string | null> {
  const host = hostOf(new URL(url));
  if (net.isIP(host)) return mayConnect(host) ? null : refusal(host, host).message;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch {
    return `${host} does not resolve to an address`;
  }
  const refused = addresses.find((a) => !mayConnect(a.address));
  return refused ? refusal(host, refused.address).message : null;
}
