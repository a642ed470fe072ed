import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LETTER_ALPHABET, decodeLetters, encodeLetters } from '../../src/session/letter-codec.js';
import { MIN_SECRET_BYTES, createSessionSealer } from '../../src/session/session-sealer.js';

const SECRET = 'correct-horse-battery-staple-secret-one';
const OLD_SECRET = 'an-older-secret-of-the-deployment-xyz';
const STATE = { c: 'qwertyuiopasdfghjklz', v: { conversation: 'boost-1234567890', watermark: '17' } };

/** A clock the test moves by hand, in ms since the epoch. */
function handClock(start = Date.UTC(2026, 11, 1, 8, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('session sealer', () => {
  it('opens what it sealed, within the TTL', () => {
    const clock = handClock();
    const sealer = createSessionSealer({ secrets: [SECRET], ttlSeconds: 1800, now: clock.now });
    const token = sealer.seal(STATE);
    clock.advance(1799_000);
    expect(sealer.open(token)).toEqual({ ok: true, state: STATE });
  });

  it('writes tokens in letters only and shows nothing of what they carry', () => {
    const sealer = createSessionSealer({ secrets: [SECRET], ttlSeconds: 60 });
    const token = sealer.seal(STATE);
    expect(token).toMatch(/^[a-zA-Z]+$/);
    for (const readable of ['qwerty', 'boost', 'watermark', 'conversation']) expect(token).not.toContain(readable);
    // The same state sealed twice gives two different tokens (a fresh IV each time).
    expect(sealer.seal(STATE)).not.toBe(token);
  });

  it('refuses a token past its expiry as expired (hand-moved clock)', () => {
    const clock = handClock();
    const sealer = createSessionSealer({ secrets: [SECRET], ttlSeconds: 1800, now: clock.now });
    const token = sealer.seal(STATE);
    clock.advance(1800_000);
    expect(sealer.open(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rotates: tokens of the old secret still open when it is listed second; new ones use the first', () => {
    const clock = handClock();
    const old = createSessionSealer({ secrets: [OLD_SECRET], ttlSeconds: 600, now: clock.now });
    const rotated = createSessionSealer({ secrets: [SECRET, OLD_SECRET], ttlSeconds: 600, now: clock.now });
    const fresh = createSessionSealer({ secrets: [SECRET], ttlSeconds: 600, now: clock.now });
    const oldToken = old.seal(STATE);
    expect(rotated.open(oldToken)).toEqual({ ok: true, state: STATE });
    const newToken = rotated.seal(STATE);
    expect(fresh.open(newToken)).toEqual({ ok: true, state: STATE });
    // Once the old secret is dropped, its tokens no longer open.
    expect(fresh.open(oldToken)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a token of another secret, and of a random per-process key', () => {
    const token = createSessionSealer({ secrets: [OLD_SECRET], ttlSeconds: 600 }).seal(STATE);
    expect(createSessionSealer({ secrets: [SECRET], ttlSeconds: 600 }).open(token)).toEqual({ ok: false, reason: 'invalid' });
    expect(createSessionSealer({ secrets: [], ttlSeconds: 600 }).open(token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(MIN_SECRET_BYTES).toBe(32);
    expect(() => createSessionSealer({ secrets: ['x'.repeat(31)], ttlSeconds: 60 })).toThrow(/at least 32 bytes/);
    expect(() => createSessionSealer({ secrets: [SECRET, 'short'], ttlSeconds: 60 })).toThrow(RangeError);
  });

  it('property: changing any bit of a token makes it invalid (tampering, truncation, extension)', () => {
    const sealer = createSessionSealer({ secrets: [SECRET], ttlSeconds: 600 });
    const bytes = decodeLetters(sealer.seal(STATE))!;
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 7 }), (index, bit) => {
        const tampered = Uint8Array.from(bytes);
        tampered[index]! ^= 1 << bit;
        expect(sealer.open(encodeLetters(tampered))).toEqual({ ok: false, reason: 'invalid' });
      }),
      { numRuns: 300 },
    );
    expect(sealer.open(encodeLetters(bytes.subarray(0, bytes.length - 1)))).toEqual({ ok: false, reason: 'invalid' });
    expect(sealer.open(encodeLetters(Uint8Array.from([...bytes, 0])))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('property: random and mutated strings never open and never throw', () => {
    const sealer = createSessionSealer({ secrets: [SECRET], ttlSeconds: 600 });
    const token = sealer.seal(STATE);
    const mutated = fc
      .tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...LETTER_ALPHABET, '0', '=', 'é', ''))
      .map(([at, letter]) => token.slice(0, at) + letter + token.slice(at + 1))
      .filter((text) => text !== token);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.stringMatching(/^[a-zA-F]{0,400}$/), mutated), (text) => {
        const result = sealer.open(text);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
