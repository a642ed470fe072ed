import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../../src/errors.js';
import { redact } from '../../src/redact/index.js';
import { useApp } from './start-app.js';

const JSON_TYPE = { 'content-type': 'application/json' };
/** A synthetic fødselsnummer (01.01.90) with both check digits right; no real person's. */
const NATIONAL_ID = '01019010046';
const MIB = 1024 * 1024;

const app = useApp();

async function postRedact(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = JSON_TYPE): Promise<Response> {
  return fetch(`${app().baseUrl}/v1/redact`, { method: 'POST', headers, body });
}

async function expectError(response: Response, code: keyof typeof ERROR_CODES): Promise<string> {
  expect(response.status).toBe(ERROR_CODES[code].status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error.message;
}

describe('POST /v1/redact', () => {
  it.each([
    ['fnr 010190 12345, takk', 'fnr , takk'],
    ['Kontonummer: 7694.05.20300', 'Kontonummer: '],
    ['Telefon +47 21 49 60 00', 'Telefon +'],
    ['Postboks 450 Alnabru, 0614 Oslo', 'Postboks 450 Alnabru, 0614 Oslo'],
    ['ring ٩١٢٣٤٥٦٧ nå', 'ring  nå'],
    ['fnr 0101\u200b9012345', 'fnr '],
    ['tlf ９８ ７６ ５４ ３２!', 'tlf !'],
    ['line one 123\nline two 4567', 'line one 123\nline two 4567'],
  ])('redacts %j to %j', async (input, expected) => {
    const response = await postRedact(JSON.stringify({ text: input }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; redactions: number };
    expect(body.text).toBe(expected);
    expect(body.redactions).toBe(redact(input).redactions);
  });

  it('counts deletions by kind', async () => {
    const text = `fnr ${NATIONAL_ID}, konto 7694.05.20300, kort 4111 1111 1111 1111, ring 98 76 54 32 eller 22 33 44 55`;
    const response = await postRedact(JSON.stringify({ text }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      text: 'fnr , konto , kort , ring  eller ',
      redactions: 5,
      kinds: { national_id: 1, bank_account: 1, payment_card: 1, phone: 2 },
      allowed: 0,
      kept: 0,
      keptClasses: {},
    });
  });

  it('accepts a charset parameter and upper-case media type', async () => {
    const response = await postRedact('{"text":"98765432"}', { 'content-type': 'Application/JSON; charset=UTF-8' });
    expect(await response.json()).toEqual({ text: '', redactions: 1, kinds: { phone: 1 }, allowed: 0, kept: 0, keptClasses: {} });
  });

  it('answers 400 invalid_request for bodies that are not {"text": string}', async () => {
    const cases = ['{"text": 98765432}', '{"text":"a","extra":"b"}', '[]', '{}', 'null', '"text"', '{"text":"a"'];
    for (const body of cases) await expectError(await postRedact(body), 'invalid_request');
  });

  it('never echoes the body in an error message', async () => {
    const body = '{"text": "hemmelig 98765432", oops}';
    const message = await expectError(await postRedact(body), 'invalid_request');
    expect(message).toBe('The body is not valid JSON.');
    const extra = await expectError(await postRedact('{"text":"a","secretKeyName":1}'), 'invalid_request');
    expect(extra).not.toContain('secretKeyName');
  });

  it('answers 415 unsupported_media_type for other content types', async () => {
    await expectError(await postRedact('{"text":"a"}', { 'content-type': 'text/plain' }), 'unsupported_media_type');
    await expectError(await postRedact('text=a', { 'content-type': 'application/x-www-form-urlencoded' }), 'unsupported_media_type');
    await expectError(await postRedact('{"text":"a"}', { 'content-type': 'application/json; charset=latin1' }), 'unsupported_media_type');
    const untyped = await fetch(`${app().baseUrl}/v1/redact`, { method: 'POST', body: new Uint8Array([123, 125]) });
    await expectError(untyped, 'unsupported_media_type');
  });

  it('inflates a gzip body, and answers 400 (not 500) when it does not inflate', async () => {
    const gzipped = new Uint8Array(gzipSync('{"text":"ring 98765432"}'));
    const ok = await postRedact(gzipped, { ...JSON_TYPE, 'content-encoding': 'gzip' });
    expect(await ok.json()).toEqual({ text: 'ring ', redactions: 1, kinds: { phone: 1 }, allowed: 0, kept: 0, keptClasses: {} });
    const corrupt = await postRedact('{"text":"not gzip"}', { ...JSON_TYPE, 'content-encoding': 'gzip' });
    await expectError(corrupt, 'invalid_request');
  });

  it('answers 413 message_too_large above 1 MiB, and 200 just below', async () => {
    const big = JSON.stringify({ text: 'a'.repeat(MIB) });
    const message = await expectError(await postRedact(big), 'message_too_large');
    expect(message).toContain('1 MiB');
    expect(message).not.toMatch(/\d{7}/);
    const fits = JSON.stringify({ text: `${'a'.repeat(MIB - 64)} 98765432` });
    const response = await postRedact(fits);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { redactions: number }).redactions).toBe(1);
  });

  it('property: any body and content type gets a well-formed JSON answer, and the server stays up', async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-16le',
        'application/json; charset=latin1',
        'application/ld+json',
        'text/plain',
        'multipart/form-data; boundary=x',
        '',
      ),
      printable,
    );
    const body = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.record({ text: fc.string({ unit: 'binary' }) }).map((value) => JSON.stringify(value)),
      fc.record({ text: fc.jsonValue() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
      fc.uint8Array({ maxLength: 200 }),
    );
    const encoding = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'x-unknown');
    // Random requests are rarely right; a share of well-formed ones keeps the success path in play.
    const wellFormed = fc.tuple(
      fc.constant('application/json'),
      fc.string({ unit: 'binary' }).map((text) => JSON.stringify({ text })),
      fc.constant(undefined),
    );
    const request = fc.oneof({ arbitrary: wellFormed, weight: 1 }, { arbitrary: fc.tuple(contentType, body, encoding), weight: 3 });
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async ([type, payload, contentEncoding]) => {
        const headers: Record<string, string> = {};
        if (type.trim() !== '') headers['content-type'] = type;
        if (contentEncoding !== undefined) headers['content-encoding'] = contentEncoding;
        const response = await postRedact(payload, headers);
        seen.add(response.status);
        expect(response.headers.get('content-type')).toMatch(/^application\/json; charset=utf-8$/);
        const answer = (await response.json()) as Record<string, unknown>;
        if (response.status === 200) {
          expect(Object.keys(answer).sort()).toEqual(['allowed', 'kept', 'keptClasses', 'kinds', 'redactions', 'text']);
          expect(typeof answer.text).toBe('string');
          return;
        }
        const error = answer.error as { code: unknown; message: unknown };
        expect(Object.keys(answer)).toEqual(['error']);
        expect(isErrorCode(error.code)).toBe(true);
        expect(ERROR_CODES[error.code as keyof typeof ERROR_CODES].status).toBe(response.status);
        expect(typeof error.message).toBe('string');
        const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
        if (text.length >= 12) expect(error.message).not.toContain(text);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
    // The generators must reach every kind of answer, or the property proves little.
    expect([...seen].sort()).toEqual([200, 400, 415]);
    const health = await fetch(`${app().baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});
