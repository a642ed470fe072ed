/**
 * Client addresses anonymised for the log (every "chat opened" line carries one): the IPv6
 * parse by splits, flatMap and spreads, against loops over the groups (as it is now). Both give
 * the same groups for every address here.
 *
 * `npm run build && node --expose-gc bench/micro/anonymize-ip.js`
 *
 * @module
 */
import { isIPv6 } from 'node:net';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { anonymizeIp } = await loadDistModule('observability/anonymize-ip.js');

/** The parse as it was, for the race. @param {string} ip @returns {number[]} */
function parseBySplits(ip) {
  const [head = '', tail] = ip.split('::');
  /** @param {string} part @returns {number[]} */
  const toGroups = (part) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = toGroups(head);
  const right = toGroups(tail ?? '');
  const zeros = tail === undefined ? [] : new Array(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/** The same answer anonymizeIp gives, from the old parse. @param {string} ip */
function anonymizeBySplits(ip) {
  if (!isIPv6(ip)) return 'unknown';
  const kept = parseBySplits(ip.split('%')[0] ?? ip).slice(0, 3);
  while (kept.at(-1) === 0) kept.pop();
  return `${kept.map((group) => group.toString(16)).join(':')}::`;
}

const ADDRESSES = ['2001:db8:abcd:12::1', '2001:0db8:00ab:0012:0000:0000:0000:0001', 'fe80::1%eth0', '2001:db8:0:0:1:0:0:1', '2a02:2121:1c4:0:a1b2:c3d4:e5f6:1'];
for (const ip of ADDRESSES) if (anonymizeIp(ip) !== anonymizeBySplits(ip)) throw new Error(`${ip}: the two parses differ`);
let next = 0;
await raceInProcess('anonymizeIp, IPv6 (five addresses in turn)', {
  'splits, flatMap and spreads': () => anonymizeBySplits(ADDRESSES[next++ % ADDRESSES.length] ?? ''),
  'loops over the groups': () => anonymizeIp(ADDRESSES[next++ % ADDRESSES.length]),
}, { iterations: 200_000 });
