/**
 * Client IP anonymisation for logs: IPv4 keeps its /24 (last octet zeroed), IPv6 its /48.
 *
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';

const IPV6_GROUPS = 8;
const IPV6_KEPT_GROUPS = 3; // 48 bits
const MAPPED_IPV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

function anonymizeIPv4(ip: string): string {
  return `${ip.slice(0, ip.lastIndexOf('.'))}.0`;
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail counts as two groups.
  const last = right.at(-1) ?? left.at(-1);
  const extra = last !== undefined && last.includes('.') ? 1 : 0;
  const zeros = tail === undefined ? [] : new Array<string>(IPV6_GROUPS - left.length - right.length - extra).fill('0');
  return [...left, ...zeros, ...right];
}

/**
 * Anonymise a client address for logging; anything that is not an IP address becomes
 * `"unknown"`, so no raw input reaches the log through this field.
 *
 * @example
 * ```ts
 * anonymizeIp('203.0.113.45'); // '203.0.113.0'
 * anonymizeIp('2001:db8:abcd:12::1'); // '2001:db8:abcd::'
 * ```
 */
export function anonymizeIp(ip: string | undefined): string {
  if (ip === undefined) return 'unknown';
  const mapped = MAPPED_IPV4.exec(ip);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return anonymizeIPv4(mapped[1]);
  if (isIPv4(ip)) return anonymizeIPv4(ip);
  if (isIPv6(ip)) {
    const groups = expandIPv6(ip.split('%')[0] ?? ip);
    const kept = groups.slice(0, IPV6_KEPT_GROUPS).map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
    return `${kept.join(':')}::`;
  }
  return 'unknown';
}
