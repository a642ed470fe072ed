/**
 * Client IP anonymisation for logs: IPv4 keeps its /16 (`203.0.x.x`), IPv6 its /48
 * (`2001:db8:abcd:x`). What is dropped is written `x`, never `0`: the address is written so that
 * it holds no number combination the service's own redaction would delete. A /24 cannot be
 * written that way: `203.0.113.0` is seven digits joined by dots, the separator of
 * `7694.05.20300`, and so would be every dotted /24 from `100.0.0` up; a /16 holds at most six
 * (`255.255.x.x`). The groups of an IPv6 address are joined by colons, which separate no digits,
 * so its /48 holds at most four in a row.
 *
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';

/** What stands for each dropped part. */
const DROPPED = 'x';
/** Octets of an IPv4 address kept: 16 bits, a provider's block, never one subscriber. */
const IPV4_KEPT_OCTETS = 2;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const GROUP = '(?:0|[1-9a-f][\\da-f]{0,3})';
/** An address exactly as this module writes it: anonymising it again changes nothing. */
const ANONYMISED = new RegExp(`^(?:${OCTET}\\.${OCTET}\\.x\\.x|${GROUP}:${GROUP}:${GROUP}:x)$`);
const IPV6_GROUPS = 8;
/** 48 bits: the routing prefix a provider assigns to a site, never one subscriber's device. */
const IPV6_KEPT_GROUPS = 3;
const HEX = 16;
/** `::ffff:0:0/96`: an IPv4 address seen through an IPv6 socket (RFC 4291 §2.5.5.2). */
const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0xffff] as const;
const BYTE = 0xff;
const BITS_PER_BYTE = 8;

/**
 * Addresses already anonymised, and how: a service sees the same clients again and again (every
 * request line and every chat opened carries one), and an address costs Node's address patterns,
 * splits and joins otherwise. Bounded, as addresses come from outside: dropped whole when full,
 * and only strings as long as an address can be are kept. Remembered — together with the
 * remembered strings of `log-fields.ts` — the request log line took 1.33 against 2.37 µs of CPU
 * on Node 20 and 1.47 against 2.44 on Node 26, "chat opened" 0.85 against 1.83 and 0.99 against
 * 1.85 (bench/micro/log-builds.js, interleaved, machine loaded by other work).
 */
const anonymised = new Map<string, string>();
const MAX_REMEMBERED = 1024;
/** `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255` is 45 characters; a zone id may follow. */
const MAX_REMEMBERED_LENGTH = 64;

function anonymizeIPv4(ip: string): string {
  return writeIPv4(ip.split('.', IPV4_KEPT_OCTETS).map(Number));
}

/** The kept octets, then `x` for each dropped one. */
function writeIPv4(octets: readonly number[]): string {
  return `${octets.slice(0, IPV4_KEPT_OCTETS).join('.')}.${DROPPED}.${DROPPED}`;
}

/** Push the 16-bit groups of `part` (groups between colons; an IPv4 tail is two) onto `groups`. */
function readGroups(part: string, groups: number[]): void {
  if (part === '') return;
  for (let start = 0; start <= part.length; ) {
    const colon = part.indexOf(':', start);
    const end = colon === -1 ? part.length : colon;
    const group = part.slice(start, end);
    if (group.includes('.')) {
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
      groups.push((a << BITS_PER_BYTE) | b, (c << BITS_PER_BYTE) | d);
    } else {
      groups.push(Number.parseInt(group, HEX));
    }
    start = end + 1;
  }
}

/**
 * The 16-bit groups of a valid IPv6 address without zone id. Loops rather than splits, maps and
 * spreads: 1.5 µs an address against 5.6 µs (bench/micro/anonymize-ip.js), on every chat opened.
 */
function parseIPv6(ip: string): number[] {
  const groups: number[] = [];
  const gap = ip.indexOf('::');
  readGroups(gap === -1 ? ip : ip.slice(0, gap), groups);
  if (gap === -1) return groups;
  const tail: number[] = [];
  readGroups(ip.slice(gap + 2), tail);
  while (groups.length + tail.length < IPV6_GROUPS) groups.push(0);
  groups.push(...tail);
  return groups;
}

function isMapped(groups: readonly number[]): boolean {
  return MAPPED_PREFIX.every((group, k) => groups[k] === group);
}

/**
 * Anonymise a client address for logging; anything that is not an IP address (nor one this
 * function wrote) becomes `"unknown"`, so no raw input reaches the log through this field. IPv6
 * groups are written as RFC 5952 writes them (lower case, no leading zeros); IPv4-mapped IPv6
 * addresses, as a dual-stack socket reports IPv4 clients, are treated as the IPv4 address they
 * carry.
 *
 * @example
 * ```ts
 * anonymizeIp('203.0.113.45'); // '203.0.x.x'
 * anonymizeIp('::ffff:203.0.113.45'); // '203.0.x.x'
 * anonymizeIp('2001:db8:abcd:12::1'); // '2001:db8:abcd:x'
 * anonymizeIp('fe80::1%eth0'); // 'fe80:0:0:x'
 * anonymizeIp('203.0.x.x'); // '203.0.x.x'
 * anonymizeIp('not an ip'); // 'unknown'
 * ```
 */
export function anonymizeIp(ip: string | undefined): string {
  if (typeof ip !== 'string') return 'unknown';
  const known = anonymised.get(ip);
  if (known !== undefined) return known;
  const written = anonymizeAddress(ip);
  if (ip.length <= MAX_REMEMBERED_LENGTH) {
    if (anonymised.size >= MAX_REMEMBERED) anonymised.clear();
    anonymised.set(ip, written);
  }
  return written;
}

function anonymizeAddress(ip: string): string {
  if (isIPv4(ip)) return anonymizeIPv4(ip);
  if (!isIPv6(ip)) return ANONYMISED.test(ip) ? ip : 'unknown';
  const groups = parseIPv6(ip.split('%')[0] ?? ip);
  if (isMapped(groups)) {
    const [high = 0] = groups.slice(MAPPED_PREFIX.length);
    return writeIPv4([high >> BITS_PER_BYTE, high & BYTE]);
  }
  return `${groups
    .slice(0, IPV6_KEPT_GROUPS)
    .map((group) => group.toString(HEX))
    .join(':')}:${DROPPED}`;
}
