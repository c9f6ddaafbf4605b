import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../shared/errors.ts';

/**
 * Where a webhook may post. A subscription that names a loopback, private, link-local (the cloud
 * metadata address among them) or otherwise non-public address would let whoever manages webhooks
 * make the server call into its own network, so such targets are refused unless the site allows them
 * (HUTONG_WEBHOOK_ALLOW_PRIVATE, for a receiver on the same machine or LAN). A host name is judged by
 * every address it resolves to, at subscription and again when each delivery connects.
 */

const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Is this IP address outside the public internet? IPv4 written inside IPv6 is judged as IPv4. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return NOT_PUBLIC.check(bare, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^(?:0{0,4}:){0,5}(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(bare.replace(/^::/, ''));
  if (mapped && isIP(mapped[1]!) === 4) return NOT_PUBLIC.check(mapped[1]!, 'ipv4');
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(bare);
  if (hexMapped) {
    const hi = Number.parseInt(hexMapped[1]!, 16);
    const lo = Number.parseInt(hexMapped[2]!, 16);
    return NOT_PUBLIC.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return NOT_PUBLIC.check(bare, 'ipv6');
}

export type Resolve = (host: string) => Promise<string[]>;

/** Every address a host name resolves to, as the operating system resolves it for a connection. */
export const systemResolve: Resolve = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface TargetPolicy {
  allowPrivate: boolean;
  resolve?: Resolve;
}

/**
 * The reason a webhook URL may not be posted to, or null when it may. A name that does not resolve is
 * refused too: nothing could be delivered to it, and it might later resolve inside the network.
 */
export async function targetRefusal(url: string, policy: TargetPolicy): Promise<string | null> {
  if (policy.allowPrivate) return null;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return 'not a URL';
  }
  if (isIP(host)) {
    return isNonPublicAddress(host) ? `${host} is a loopback or private address` : null;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is the server itself`;
  let addresses: string[];
  try {
    addresses = await (policy.resolve ?? systemResolve)(host);
  } catch (err) {
    return `${host} does not resolve${err instanceof Error && 'code' in err ? ` (${String(err.code)})` : ''}`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  const inside = addresses.find(isNonPublicAddress);
  return inside ? `${host} resolves to ${inside}, a loopback or private address` : null;
}

/** Refuses a subscription's URL that may not be posted to, naming the field. */
export async function assertTargetAllowed(url: string, policy: TargetPolicy): Promise<void> {
  const refusal = await targetRefusal(url, policy);
  if (refusal) {
    throw AppError.validation([
      {
        field: 'url',
        message: `${refusal}: webhooks post only to public addresses unless HUTONG_WEBHOOK_ALLOW_PRIVATE is on`,
      },
    ]);
  }
}

/**
 * A `lookup` for node:http that connects only to public addresses: the addresses checked are the ones
 * connected to, so a name that resolved to a public address at subscription and to a private one now
 * (DNS rebinding) is refused at delivery.
 */
export function publicOnlyLookup(policy: TargetPolicy): (
  hostname: string,
  options: dns.LookupOptions,
  // biome-ignore lint/suspicious/noExplicitAny: node's lookup callback is overloaded by `all`.
  callback: (err: NodeJS.ErrnoException | null, address: any, family?: number) => void,
) => void {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, undefined);
      const list = addresses as dns.LookupAddress[];
      const inside = policy.allowPrivate ? undefined : list.find((a) => isNonPublicAddress(a.address));
      if (inside) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to ${inside.address}, a loopback or private address`,
        );
        refused.code = 'EADDRNOTPUBLIC';
        return callback(refused, undefined);
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} does not resolve`), undefined);
      return callback(null, first.address, first.family);
    });
  };
}

export class DeliveryTimeout extends Error {
  override name = 'TimeoutError';
}

/**
 * Posts a body and answers the status code. Redirects are not followed (a redirect would carry a
 * signed body somewhere nobody subscribed); the answer's body is not read. The target is checked
 * before connecting: a literal address here, a name's resolved addresses in the lookup (so `localhost`
 * too).
 */
export async function postToTarget(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; policy: TargetPolicy },
): Promise<number> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // Node connects to a literal address without a lookup: judge it here.
  if (!options.policy.allowPrivate && isIP(host)) {
    const refusal = await targetRefusal(url, { allowPrivate: false });
    if (refusal) throw new Error(refusal);
  }
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<number>((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: publicOnlyLookup(options.policy),
        agent: false,
      },
      (res) => {
        clearTimeout(timer);
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new DeliveryTimeout(`no answer within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}
