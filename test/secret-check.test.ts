import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Every call of `timingSafeEqual` and of a hash (`createHmac`, `hash`) the module makes, with what it was given. */
const calls = vi.hoisted(() => ({ compared: [] as Array<[number, number]>, hashed: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.compared.push([a.byteLength, b.byteLength]);
      return crypto.timingSafeEqual(a, b);
    },
    createHmac: (...args: Parameters<typeof crypto.createHmac>) => {
      calls.hashed += 1;
      return crypto.createHmac(...args);
    },
    hash: (...args: Parameters<typeof crypto.hash>) => {
      calls.hashed += 1;
      return crypto.hash(...args);
    },
  };
});

const { createSecretCheck } = await import('../src/secret-check.js');

afterEach(() => {
  calls.compared.length = 0;
  calls.hashed = 0;
});

describe('createSecretCheck', () => {
  it('accepts exactly the secret and nothing near it', () => {
    const isSecret = createSecretCheck('s3cret-Tøken');
    expect(isSecret('s3cret-Tøken')).toBe(true);
    for (const guess of ['', 's3cret-Tøke', 's3cret-Tøken ', ' s3cret-Tøken', 'S3cret-Tøken', 's3cret-To\u0308ken', 's3cret-Tøken\0']) {
      expect(isSecret(guess), JSON.stringify(guess)).toBe(false);
    }
  });

  it('an empty secret accepts only the empty string', () => {
    const isSecret = createSecretCheck('');
    expect(isSecret('')).toBe(true);
    expect(isSecret('a')).toBe(false);
  });

  it('property: a check says yes exactly when the strings are equal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), (secret, guess) => {
        const isSecret = createSecretCheck(secret);
        expect(isSecret(guess)).toBe(guess === secret);
        expect(isSecret(secret)).toBe(true);
      }),
    );
  });

  it('compares 32-byte digests whatever the lengths, so no length is given away', () => {
    const lengths = [0, 1, 8, 31, 32, 33, 64, 1000];
    for (const secretLength of lengths) {
      const isSecret = createSecretCheck('k'.repeat(secretLength));
      for (const guessLength of lengths) expect(isSecret('k'.repeat(guessLength))).toBe(guessLength === secretLength);
    }
    expect(calls.compared).toHaveLength(lengths.length ** 2);
    expect(new Set(calls.compared.map(([a, b]) => `${a}/${b}`))).toEqual(new Set(['32/32']));
  });

  it('hashes the secret once, when the check is made, and only the presented value per call', () => {
    const isSecret = createSecretCheck('x'.repeat(4096));
    expect(calls.hashed).toBe(1);
    for (let k = 0; k < 5; k++) isSecret('guess');
    expect(calls.hashed).toBe(6);
  });
});
