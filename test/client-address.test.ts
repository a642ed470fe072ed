import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClientAddress } from '../src/client-address.js';

function requestFrom(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers } as unknown as IncomingMessage;
}

describe('createClientAddress', () => {
  it('without TRUST_PROXY: the socket’s peer, whatever the headers say', () => {
    const of = createClientAddress(undefined);
    expect(of(requestFrom('10.1.2.3', { 'x-forwarded-for': '203.0.113.7', forwarded: 'for=203.0.113.8' }))).toBe('10.1.2.3');
  });

  it('with hops: the address that many proxies in, from the right', () => {
    const one = createClientAddress({ hops: 1 });
    expect(one(requestFrom('10.1.2.3', { 'x-forwarded-for': '192.0.2.1, 203.0.113.7' }))).toBe('203.0.113.7');
    expect(one(requestFrom('10.1.2.3'))).toBe('10.1.2.3');
    const two = createClientAddress({ hops: 2 });
    expect(two(requestFrom('10.1.2.3', { 'x-forwarded-for': '192.0.2.1, 203.0.113.7, 10.9.9.9' }))).toBe('203.0.113.7');
    expect(two(requestFrom('10.1.2.3', { 'x-forwarded-for': '203.0.113.7' }))).toBe('203.0.113.7');
  });

  it('with addresses: as far as trusted proxies vouch; an untrusted peer’s header is ignored', () => {
    const of = createClientAddress({ addresses: ['10.0.0.0/8'] });
    expect(of(requestFrom('10.1.2.3', { 'x-forwarded-for': '192.0.2.1, 203.0.113.7, 10.4.4.4' }))).toBe('203.0.113.7');
    expect(of(requestFrom('198.51.100.9', { 'x-forwarded-for': '203.0.113.7' }))).toBe('198.51.100.9');
    expect(of(requestFrom('::ffff:10.1.2.3', { 'x-forwarded-for': '203.0.113.7' }))).toBe('203.0.113.7');
    // Garbage where an address should be ends the chain at the last trusted hop.
    expect(of(requestFrom('10.1.2.3', { 'x-forwarded-for': '203.0.113.7, not-an-ip' }))).toBe('10.1.2.3');
  });

  it('reads RFC 7239 Forwarded when there is no X-Forwarded-For', () => {
    const of = createClientAddress({ hops: 1 });
    expect(of(requestFrom('10.1.2.3', { forwarded: 'for=192.0.2.60;proto=https, for="[2001:db8:cafe::17]:4711"' }))).toBe('2001:db8:cafe::17');
    expect(of(requestFrom('10.1.2.3', { forwarded: 'for=unknown' }))).toBe('10.1.2.3');
    expect(of(requestFrom('10.1.2.3', { forwarded: 'proto=https;for=203.0.113.7:8443' }))).toBe('203.0.113.7');
  });

  it('never returns anything but the peer or an address a header held, for any header text', () => {
    const of = createClientAddress({ hops: 3 });
    fc.assert(
      fc.property(fc.string(), fc.string(), (xff, forwarded) => {
        const address = of(requestFrom('10.1.2.3', { 'x-forwarded-for': xff, forwarded }));
        expect(address === '10.1.2.3' || xff.includes(address!) || forwarded.includes(address!)).toBe(true);
      }),
    );
  });
});
