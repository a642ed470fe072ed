/**
 * Whose request it is: the client address that logs (anonymised) and per-client limits see. With
 * no reverse proxy trusted it is the socket's peer. With `TRUST_PROXY` — a number of proxies in
 * front (`1` for an Ingress), or their addresses (CIDRs) — the address is read from
 * `X-Forwarded-For` (or, without it, RFC 7239 `Forwarded`), from the right: each address a
 * trusted proxy added is taken, up to the first one that no trusted proxy vouches for. What an
 * untrusted peer writes there is ignored, so a client cannot forge its way past a limit.
 *
 * The CIDR matching is `proxy-addr`'s (express's own); the reading of the two headers is here,
 * because `proxy-addr` reads `X-Forwarded-For` alone. Used for HTTP requests and WebSocket
 * upgrades alike; a leaf of the composition root.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';

/** Which reverse proxies may say who the client is: `hops` in front, or these `addresses` (CIDRs). */
export type TrustProxy = { readonly hops: number } | { readonly addresses: readonly string[] };

/** The client address of a request (an IP address as Node writes it, or `undefined` without a socket). */
export type ClientAddressOf = (request: IncomingMessage) => string | undefined;

/** Hops a `Forwarded`/`X-Forwarded-For` chain may hold; more are cut from the left (the client's end). */
const MAX_CHAIN = 32;
/** `for=` of one RFC 7239 element: a token or a quoted string, `[v6]:port` or `v4:port` allowed. */
const FORWARDED_FOR = /(?:^|;)\s*for\s*=\s*("[^"]*"|[^;,\s]*)/i;

/** The address a `Forwarded` `for=` names, without quotes, brackets or port; `undefined` for `unknown` or an obfuscated id. */
function readForwardedFor(value: string): string | undefined {
  const unquoted = value.replace(/^"|"$/g, '');
  const v6 = /^\[([^\]]+)\]/.exec(unquoted)?.[1];
  const address = v6 ?? unquoted.replace(/:\d+$/, '');
  return isIP(address) === 0 ? undefined : address;
}

/** The addresses proxies have added, nearest first (the right end of the header first). */
function forwardedChain(request: IncomingMessage): string[] {
  const xff = request.headers['x-forwarded-for'];
  if (xff !== undefined) {
    const entries = (Array.isArray(xff) ? xff.join(',') : xff).split(',');
    return entries.slice(-MAX_CHAIN).map((entry) => entry.trim()).reverse();
  }
  const forwarded = request.headers.forwarded;
  if (forwarded === undefined) return [];
  return forwarded
    .split(',')
    .slice(-MAX_CHAIN)
    .map((element) => {
      const value = FORWARDED_FOR.exec(element)?.[1];
      return value === undefined ? '' : (readForwardedFor(value) ?? '');
    })
    .reverse();
}

/**
 * The client address of each request, for `trust` (`undefined`: the socket's peer).
 *
 * @throws TypeError when an address of `trust` is not an IP address or CIDR (the configuration checks first)
 * @example
 * ```ts
 * const clientAddressOf = createClientAddress({ hops: 1 });
 * clientAddressOf(request); // '203.0.113.7' for X-Forwarded-For: 203.0.113.7 from the Ingress
 * ```
 */
export function createClientAddress(trust: TrustProxy | undefined): ClientAddressOf {
  if (trust === undefined) return (request) => request.socket?.remoteAddress;
  const isTrusted: (address: string, hop: number) => boolean =
    'hops' in trust ? (_address, hop) => hop < trust.hops : proxyAddr.compile([...trust.addresses]);
  return (request) => {
    const peer = request.socket?.remoteAddress;
    if (peer === undefined) return undefined;
    let client = peer;
    let hop = 0;
    for (const address of forwardedChain(request)) {
      if (!isTrusted(client, hop)) return client;
      // A hop that wrote no address (garbage, `unknown`) ends the chain at the last trusted one.
      if (isIP(address) === 0) return client;
      client = address;
      hop += 1;
    }
    return client;
  };
}

/**
 * Whether `entry` is what {@link TrustProxy} `addresses` may hold: an IP address, a CIDR, or one
 * of `proxy-addr`'s names (`loopback`, `linklocal`, `uniquelocal`).
 */
export function isTrustableAddress(entry: string): boolean {
  try {
    proxyAddr.compile(entry);
    return true;
  } catch {
    return false;
  }
}
