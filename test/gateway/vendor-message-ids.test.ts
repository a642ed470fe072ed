import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VendorMessageIds } from '../../src/gateway/vendor-message-ids.js';
import { createPolicy } from '../../src/redact/index.js';
import { countLeaks } from '../support/leak-judge.js';

/** What an HTTP header value may carry without any encoding: visible ASCII. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

describe('VendorMessageIds', () => {
  it('passes plain ids without a number unchanged', () => {
    const ids = new VendorMessageIds(createPolicy());
    for (const id of ['a', 'msg-7', 'k3j9x2', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'A.b_c~d-123456']) {
      expect(ids.idFor(id)).toBe(id);
    }
  });

  it('replaces ids with a number, or that a header cannot carry, by letters-only stand-ins', () => {
    const ids = new VendorMessageIds(createPolicy());
    expect(ids.idFor('a-1234567')).toBe('@a');
    expect(ids.idFor('a-7654321')).toBe('@b');
    expect(ids.idFor('\u0000')).toBe('@c');
    expect(ids.idFor('😀')).toBe('@d');
    expect(ids.idFor('hei der')).toBe('@e');
    expect(ids.idFor('a-1234567')).toBe('@a');
  });

  it('follows the policy: with minDigits 3, a three-digit id is a number', () => {
    const ids = new VendorMessageIds(createPolicy({ minDigits: 3 }));
    expect(ids.idFor('m12')).toBe('m12');
    expect(ids.idFor('m123')).toBe('@a');
  });

  it('keeps stand-ins for a session token under a digest of fixed size, whatever the id, and takes them up again', () => {
    const ids = new VendorMessageIds(createPolicy());
    const widgetIds = ['fnr 01019012345', '\u0001'.repeat(64), '漢'.repeat(64), '😀'.repeat(32), '\ud800', '\udc00'];
    const standIns = widgetIds.map((id) => ids.idFor(id));
    expect(new Set(standIns).size).toBe(widgetIds.length);
    const saved = ids.save(64);
    expect(saved.issued).toBe(widgetIds.length);
    for (const [digest] of saved.standIns) expect(digest).toMatch(/^[\w-]{22}$/);
    expect(JSON.stringify(saved)).not.toMatch(/01019012345|漢|😀|\\u/);
    const resumed = new VendorMessageIds(createPolicy());
    resumed.restore(saved);
    expect(widgetIds.map((id) => resumed.idFor(id))).toEqual(standIns);
    expect(resumed.idFor('another one')).toBe('@g');
  });

  it('counts on past z in letters: the 28th stand-in is @ab', () => {
    const ids = new VendorMessageIds(createPolicy());
    const standIns = Array.from({ length: 28 }, (_, i) => ids.idFor(`${i} ${i}`));
    expect(standIns.slice(24)).toEqual(['@y', '@z', '@aa', '@ab']);
  });

  it('property: distinct ids get distinct vendor ids, the same id the same, all header-safe and without a number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }), fc.stringMatching(/^[a-z0-9-]{1,12}$/)), {
          maxLength: 40,
        }),
        (widgetIds) => {
          const ids = new VendorMessageIds(createPolicy());
          const first = new Map<string, string>();
          for (const id of [...widgetIds, ...widgetIds]) {
            const vendorId = ids.idFor(id);
            expect(vendorId).toMatch(HEADER_SAFE);
            expect(countLeaks(vendorId)).toBe(0);
            expect(first.get(id) ?? vendorId).toBe(vendorId);
            first.set(id, vendorId);
          }
          expect(new Set(first.values()).size).toBe(first.size);
        },
      ),
      { numRuns: 300 },
    );
  });
});
