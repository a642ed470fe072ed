import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeIp } from '../../src/observability/anonymize-ip.js';

const RUNS = { numRuns: 500 };

/** The 8 groups of an IPv6 address written with hex groups only (as anonymizeIp writes them). */
function groupsOf(ipv6: string): number[] {
  const [head = '', tail] = ipv6.split('::');
  const part = (text: string) => (text === '' ? [] : text.split(':').map((group) => Number.parseInt(group, 16)));
  const left = part(head);
  const right = part(tail ?? '');
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The canonical text of an IPv6 address, as the WHATWG URL serializer writes it (RFC 5952). */
const canonicalIPv6 = (groups: readonly number[]) =>
  new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1);

describe('anonymizeIp: IPv4', () => {
  it.each([
    ['203.0.113.45', '203.0.113.0'],
    ['10.0.0.1', '10.0.0.0'],
    ['255.255.255.255', '255.255.255.0'],
    ['0.0.0.0', '0.0.0.0'],
    ['192.168.1.0', '192.168.1.0'],
  ])('%s → %s', (ip, expected) => {
    expect(anonymizeIp(ip)).toBe(expected);
  });

  it('keeps the /24 and zeroes the host octet (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const octets = ip.split('.');
        expect(anonymizeIp(ip)).toBe(`${octets.slice(0, 3).join('.')}.0`);
      }),
      RUNS,
    );
  });
});

describe('anonymizeIp: IPv6', () => {
  it.each([
    ['2001:db8:abcd:12::1', '2001:db8:abcd::'],
    ['2001:DB8:ABCD:12:0:0:0:1', '2001:db8:abcd::'],
    ['2001:0db8:00ab:0012:0000:0000:0000:0001', '2001:db8:ab::'],
    ['2001:db8::', '2001:db8::'],
    ['2001::1', '2001::'],
    ['0:db8:0:1::1', '0:db8::'],
    ['2001:0:abcd:1::', '2001:0:abcd::'],
    ['::1', '::'],
    ['::', '::'],
    ['1:2:3:4:5:6:7:8', '1:2:3::'],
    ['fe80::1%eth0', 'fe80::'],
    ['fe80::abcd:1234%25', 'fe80::'],
    ['2001:db8:abcd:12::1%wlan0', '2001:db8:abcd::'],
    ['64:ff9b::192.0.2.33', '64:ff9b::'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3::'],
  ])('%s → %s', (ip, expected) => {
    expect(anonymizeIp(ip)).toBe(expected);
  });

  it.each([
    ['::ffff:1.2.3.4', '1.2.3.0'],
    ['::FFFF:203.0.113.45', '203.0.113.0'],
    ['0:0:0:0:0:ffff:198.51.100.7', '198.51.100.0'],
    ['::ffff:cb00:712d', '203.0.113.0'],
    ['::ffff:1.2.3.4%eth0', '1.2.3.0'],
  ])('IPv4-mapped %s → %s', (ip, expected) => {
    expect(anonymizeIp(ip)).toBe(expected);
  });

  const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
  const groups = fc.array(group, { minLength: 8, maxLength: 8 }).filter((g) => !(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff));
  const spellings = (g: readonly number[]) => {
    const hex = g.map((x) => x.toString(16));
    const ipv4Tail = `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
    return [
      hex.join(':'),
      g.map((x) => x.toString(16).padStart(4, '0')).join(':'),
      canonicalIPv6(g),
      canonicalIPv6(g).toUpperCase(),
      `${canonicalIPv6(g)}%eth0`,
      `${hex.slice(0, 6).join(':')}:${ipv4Tail}`,
    ];
  };

  it('keeps exactly the /48, in canonical form, however the address is written (property)', () => {
    fc.assert(
      fc.property(groups, (g) => {
        const expected = canonicalIPv6([g[0]!, g[1]!, g[2]!, 0, 0, 0, 0, 0]);
        for (const ip of spellings(g)) {
          const out = anonymizeIp(ip);
          expect(out).toBe(expected);
          // The interface identifier and subnet (bits 48–127) are gone, whatever they were.
          expect(groupsOf(out).slice(3)).toEqual([0, 0, 0, 0, 0]);
          expect(groupsOf(out).slice(0, 3)).toEqual(g.slice(0, 3));
        }
      }),
      RUNS,
    );
  });

  it('an IPv4-mapped address in any spelling gives the anonymised IPv4 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ipv4) => {
        const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
        const expected = `${a}.${b}.${c}.0`;
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        for (const ip of [`::ffff:${ipv4}`, `::FFFF:${ipv4}`, `0:0:0:0:0:ffff:${ipv4}`, `::ffff:${hex}`]) {
          expect(anonymizeIp(ip)).toBe(expected);
        }
      }),
      RUNS,
    );
  });

  it('output is always a valid address or "unknown", and anonymising twice changes nothing (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string()), (ip) => {
        const out = anonymizeIp(ip);
        expect(out === 'unknown' || /^\d+\.\d+\.\d+\.0$/.test(out) || /^[0-9a-f:]*::$/.test(out)).toBe(true);
        expect(anonymizeIp(out)).toBe(out === 'unknown' ? 'unknown' : out);
      }),
      RUNS,
    );
  });
});

describe('anonymizeIp: anything else', () => {
  it.each([
    undefined,
    '',
    'garbage',
    'localhost',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4:8080',
    '[::1]',
    '[::1]:8080',
    '::1::',
    'fe80::1%',
    '12345:1::',
    'fnr 01019012345',
  ])('%j → unknown', (value) => {
    expect(anonymizeIp(value)).toBe('unknown');
  });

  it('never echoes input that is not an address (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const out = anonymizeIp(text);
        if (out === 'unknown') return;
        // It was an address after all: then only its network part is kept.
        expect(out.endsWith('.0') || out.endsWith('::')).toBe(true);
      }),
      RUNS,
    );
  });

  it('is not fooled by a value that is not a string', () => {
    expect(anonymizeIp(1234 as unknown as string)).toBe('unknown');
    expect(anonymizeIp(null as unknown as string)).toBe('unknown');
  });
});
