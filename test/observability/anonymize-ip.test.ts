import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeIp } from '../../src/observability/anonymize-ip.js';
import { countLeaks } from '../support/leak-judge.js';

const RUNS = { numRuns: 500 };

/** The canonical text of an IPv6 address, as the WHATWG URL serializer writes it (RFC 5952). */
const canonicalIPv6 = (groups: readonly number[]) =>
  new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1);

/** How anonymizeIp writes an address: the kept part, then `x` for what was dropped. */
const WRITTEN = /^(?:\d+\.\d+\.x\.x|[0-9a-f]+:[0-9a-f]+:[0-9a-f]+:x)$/;

describe('anonymizeIp: IPv4', () => {
  it.each([
    ['203.0.113.45', '203.0.x.x'],
    ['10.0.0.1', '10.0.x.x'],
    ['255.255.255.255', '255.255.x.x'],
    ['0.0.0.0', '0.0.x.x'],
    ['192.168.1.0', '192.168.x.x'],
  ])('%s → %s', (ip, expected) => {
    expect(anonymizeIp(ip)).toBe(expected);
  });

  it('answers the same however often an address comes, past the bound of the remembered ones', () => {
    const addresses = Array.from({ length: 3000 }, (_, k) => `${1 + (k % 223)}.${Math.floor(k / 223)}.113.${k % 7}`);
    for (const ip of [...addresses, ...addresses.slice(0, 10)]) expect(anonymizeIp(ip)).toBe(`${ip.split('.').slice(0, 2).join('.')}.x.x`);
    expect(anonymizeIp(`${'1'.repeat(70)}`)).toBe('unknown');
    expect(anonymizeIp(`${'1'.repeat(70)}`)).toBe('unknown');
  });

  it('keeps the /16 and writes x for the rest (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const octets = ip.split('.');
        expect(anonymizeIp(ip)).toBe(`${octets.slice(0, 2).join('.')}.x.x`);
      }),
      RUNS,
    );
  });
});

describe('anonymizeIp: IPv6', () => {
  it.each([
    ['2001:db8:abcd:12::1', '2001:db8:abcd:x'],
    ['2001:DB8:ABCD:12:0:0:0:1', '2001:db8:abcd:x'],
    ['2001:0db8:00ab:0012:0000:0000:0000:0001', '2001:db8:ab:x'],
    ['2001:db8::', '2001:db8:0:x'],
    ['2001::1', '2001:0:0:x'],
    ['0:db8:0:1::1', '0:db8:0:x'],
    ['2001:0:abcd:1::', '2001:0:abcd:x'],
    ['::1', '0:0:0:x'],
    ['::', '0:0:0:x'],
    ['1:2:3:4:5:6:7:8', '1:2:3:x'],
    ['fe80::1%eth0', 'fe80:0:0:x'],
    ['fe80::abcd:1234%25', 'fe80:0:0:x'],
    ['2001:db8:abcd:12::1%wlan0', '2001:db8:abcd:x'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:x'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:x'],
  ])('%s → %s', (ip, expected) => {
    expect(anonymizeIp(ip)).toBe(expected);
  });

  it.each([
    ['::ffff:1.2.3.4', '1.2.x.x'],
    ['::FFFF:203.0.113.45', '203.0.x.x'],
    ['0:0:0:0:0:ffff:198.51.100.7', '198.51.x.x'],
    ['::ffff:cb00:712d', '203.0.x.x'],
    ['::ffff:1.2.3.4%eth0', '1.2.x.x'],
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

  it('keeps exactly the /48, its groups as RFC 5952 writes them, however the address is written (property)', () => {
    fc.assert(
      fc.property(groups, (g) => {
        const expected = `${g.slice(0, 3).map((x) => x.toString(16)).join(':')}:x`;
        for (const ip of spellings(g)) {
          const out = anonymizeIp(ip);
          expect(out).toBe(expected);
          // The interface identifier and subnet (bits 48–127) are gone, whatever they were.
          expect(out.split(':').map((group) => Number.parseInt(group, 16)).slice(0, 3)).toEqual(g.slice(0, 3));
          expect(out.split(':')).toHaveLength(4);
        }
      }),
      RUNS,
    );
  });

  it('an IPv4-mapped address in any spelling gives the anonymised IPv4 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ipv4) => {
        const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
        const expected = `${a}.${b}.x.x`;
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
        expect(out === 'unknown' || WRITTEN.test(out)).toBe(true);
        expect(anonymizeIp(out)).toBe(out === 'unknown' ? 'unknown' : out);
      }),
      RUNS,
    );
  });

  it('writes no number combination that redaction would delete, by the reference (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), groups.map((g) => canonicalIPv6(g))), (ip) => {
        expect(countLeaks(anonymizeIp(ip)), ip).toBe(0);
      }),
      RUNS,
    );
    for (const ip of ['127.100.100.1', '203.0.113.45', '255.255.255.255', '::ffff:255.255.255.255', '9999:9999:9999:9999::9']) {
      expect(countLeaks(anonymizeIp(ip)), ip).toBe(0);
    }
    // A /24 written the usual way would not do: its three octets read as one number.
    expect(countLeaks('127.100.100.0')).toBe(1);
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
    '256.0.x.x',
    '203.0.113.x',
    '2001:db8:x',
    '02001:db8:abcd:x',
  ])('%j → unknown', (value) => {
    expect(anonymizeIp(value)).toBe('unknown');
  });

  it('never echoes input that is not an address (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const out = anonymizeIp(text);
        if (out === 'unknown') return;
        // It was an address (or one written by anonymizeIp) after all: then only its network part is kept.
        expect(out).toMatch(WRITTEN);
      }),
      RUNS,
    );
  });

  it('is not fooled by a value that is not a string', () => {
    expect(anonymizeIp(1234 as unknown as string)).toBe('unknown');
    expect(anonymizeIp(null as unknown as string)).toBe('unknown');
  });
});
