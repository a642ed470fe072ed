/**
 * Redaction on the device: the engine itself with the gateway's policy. Judged by the reference
 * reading of the policy, never by the engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalRedactor, fetchWidgetPolicy, readWidgetPolicy, WIDGET_POLICY_PATH } from '../../src/client/local-redaction.js';
import { PolicyError, createPolicy, defaultPolicy } from '../../src/redact/index.js';
import { chatText, policyArb } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';

const PROPERTY_TIME_MS = 4_000;

describe('createLocalRedactor', () => {
  it('sends what the reference leaves, counts what it removes, and leaks nothing (property)', () => {
    const local = createLocalRedactor();
    fc.assert(
      fc.property(chatText, (text) => {
        const result = local.redact(text);
        const reference = referenceRedact(text);
        expect(result.text).toBe(reference.text);
        expect(result.redactions).toBe(reference.spans.length);
        expect(Object.values(result.removed).reduce((sum, count) => sum + count, 0)).toBe(reference.spans.length);
        expect(countLeaks(result.text)).toBe(0);
      }),
      { interruptAfterTimeLimit: PROPERTY_TIME_MS, numRuns: 2_000 },
    );
  });

  it('follows any valid policy it is given (property)', () => {
    fc.assert(
      fc.property(policyArb, chatText, (options, text) => {
        const result = createLocalRedactor(createPolicy(options)).redact(text);
        expect(result.text).toBe(referenceRedact(text, options).text);
        expect(countLeaks(result.text, options)).toBe(0);
      }),
      { interruptAfterTimeLimit: PROPERTY_TIME_MS, numRuns: 1_000 },
    );
  });

  it('counts by kind', () => {
    expect(createLocalRedactor().redact('fnr 010190 12480, tlf 915 04 738, kort 4111 1111 1111 1111')).toEqual({
      text: 'fnr , tlf , kort ',
      redactions: 3,
      removed: { national_id: 1, phone: 1, payment_card: 1 },
      split: false,
    });
    expect(createLocalRedactor().redact('ingen tall her')).toEqual({ text: 'ingen tall her', redactions: 0, removed: {}, split: false });
  });

  it('deletes a number sent in pieces before it leaves, within two minutes, and says so', () => {
    let now = Date.UTC(2026, 11, 7, 12);
    const local = createLocalRedactor(defaultPolicy, () => now);
    expect(local.take!('fnr 010190').text).toBe('fnr 010190');
    now += 30_000;
    // While typing: said, nothing remembered.
    expect(local.redact('12345 takk')).toEqual({ text: ' takk', redactions: 1, removed: { split: 1 }, split: true });
    expect(local.redact('12345 takk').split).toBe(true);
    expect(local.take!('12345 takk')).toEqual({ text: ' takk', redactions: 1, removed: { split: 1 }, split: true });
    expect(local.take!('010190').split).toBe(false);
    now += 121_000;
    expect(local.redact('12345').split).toBe(false);
  });
});

describe('readWidgetPolicy', () => {
  it('reads the policy a gateway serves, and leaves out settings this engine does not know', () => {
    expect({ ...readWidgetPolicy({ minDigits: 8, maxGap: 1, replacement: '█' }) }).toEqual({ ...createPolicy({ minDigits: 8, maxGap: 1, replacement: '█' }) });
    expect({ ...readWidgetPolicy({ minDigits: 8, aNewerSetting: true }) }).toEqual({ ...createPolicy({ minDigits: 8 }) });
    expect({ ...readWidgetPolicy({}) }).toEqual({ ...defaultPolicy });
  });

  it('refuses a policy out of range or not an object', () => {
    expect(() => readWidgetPolicy({ minDigits: 1 })).toThrow(PolicyError);
    expect(() => readWidgetPolicy({ replacement: '0' })).toThrow(PolicyError);
    for (const value of [null, [], 'policy', 7]) expect(() => readWidgetPolicy(value)).toThrow('The widget policy is not a JSON object.');
  });
});

describe('fetchWidgetPolicy', () => {
  it(`asks ${WIDGET_POLICY_PATH} without credentials and reads the answer`, async () => {
    const asked: Array<{ url: string; init: RequestInit | undefined }> = [];
    const policy = await fetchWidgetPolicy('https://chat.example.no/some/page', async (url, init) => {
      asked.push({ url: String(url), init });
      return Response.json({ minDigits: 9, maxGap: 2, replacement: '' });
    });
    expect(asked).toEqual([{ url: 'https://chat.example.no/widget-policy.json', init: { credentials: 'omit', cache: 'no-cache' } }]);
    expect({ ...policy }).toEqual({ ...createPolicy({ minDigits: 9, maxGap: 2 }) });
  });

  it('fails with the status when the gateway does not answer 200', async () => {
    await expect(fetchWidgetPolicy('https://chat.example.no', async () => new Response('no', { status: 503 }))).rejects.toThrow(
      'The gateway answered 503 for its widget policy.',
    );
  });
});
