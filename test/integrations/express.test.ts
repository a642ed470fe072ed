/**
 * redactBody on a real express app on an ephemeral loopback port, talked to with fetch: the
 * handler sees only redacted fields, everything else as it came.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactBody } from '../../src/integrations/express.js';
import { PolicyError, redact } from '../../src/redact/index.js';
import { chatText, formattedNumber } from '../support/arbitraries.js';

/** What each route's handler saw: the body and the count the middleware left on res.locals. */
function echo(req: Request, res: Response): void {
  res.json({ body: req.body as unknown, redactions: res.locals.redactions as unknown });
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const app = express();
  app.post('/tickets', express.json(), redactBody({ fields: ['message', 'customer.note', 'items.*.text', 'tags.*'] }), echo);
  app.post('/custom', express.json(), redactBody({ fields: ['message'], policy: { minDigits: 8, replacement: '[fjernet]' } }), echo);
  app.post('/all-values', express.json(), redactBody({ fields: ['notes.*'] }), echo);
  app.post('/twice', express.json(), redactBody({ fields: ['a'] }), redactBody({ fields: ['b'] }), echo);
  app.post('/unparsed', redactBody({ fields: ['message'] }), echo);
  app.post('/form', express.urlencoded({ extended: false }), redactBody({ fields: ['message'] }), echo);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function post(path: string, body: unknown): Promise<{ body: unknown; redactions: unknown }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { body: unknown; redactions: unknown };
}

describe('redactBody on a real express app', () => {
  it('redacts the chosen string fields before the handler sees them, and nothing else', async () => {
    const answer = await post('/tickets', {
      message: 'fnr 010190 12345, takk',
      customer: { note: 'ring meg på 98 76 54 32', id: 12345678, phone: '98765432' },
      items: [{ text: 'konto 7694.05.20300' }, { text: 'ingen tall' }, { qty: 3 }, 'not an object'],
      tags: ['kort 4111 1111 1111 1111', 7, null],
      other: 'kundenr 11223344 stays: not a chosen field',
    });
    expect(answer).toEqual({
      body: {
        message: 'fnr , takk',
        customer: { note: 'ring meg på ', id: 12345678, phone: '98765432' },
        items: [{ text: 'konto ' }, { text: 'ingen tall' }, { qty: 3 }, 'not an object'],
        tags: ['kort ', 7, null],
        other: 'kundenr 11223344 stays: not a chosen field',
      },
      redactions: 4,
    });
  });

  it('ignores missing paths and leaves non-string values alone, counting 0', async () => {
    const body = { message: { nested: 'tlf 98765432' }, customer: 'a string, not an object', items: { text: 'x 12345678' } };
    expect(await post('/tickets', body)).toEqual({ body, redactions: 0 });
    expect(await post('/tickets', {})).toEqual({ body: {}, redactions: 0 });
    expect(await post('/tickets', [1, 2])).toEqual({ body: [1, 2], redactions: 0 });
  });

  it('uses the policy it was given', async () => {
    expect(await post('/custom', { message: 'kunde 1234567, tlf 98 76 54 32' })).toEqual({
      body: { message: 'kunde 1234567, tlf [fjernet]' },
      redactions: 1,
    });
  });

  it('a * segment covers every own property of an object, and never walks into the prototype', async () => {
    const answer = await post('/all-values', { notes: { first: 'a 98765432', second: 'b 12345678', n: 1 } });
    expect(answer).toEqual({ body: { notes: { first: 'a ', second: 'b ', n: 1 } }, redactions: 2 });
    // JSON.parse makes "__proto__" an own property: it is walked like any other, and nothing leaks
    // into Object.prototype.
    const polluting = await fetch(`${baseUrl}/all-values`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"notes":{"__proto__":"x 98765432"}}',
    });
    expect(await polluting.json()).toEqual({ body: { notes: { ['__proto__']: 'x ' } }, redactions: 1 });
    expect(Object.prototype).not.toHaveProperty('notes');
  });

  it('adds to res.locals.redactions when it runs more than once on a request', async () => {
    expect(await post('/twice', { a: 'tlf 98765432', b: '12345678 og 87654321' })).toEqual({
      body: { a: 'tlf ', b: ' og ' },
      redactions: 3,
    });
  });

  it('works with any body parser, and does nothing when no parser ran', async () => {
    const form = await fetch(`${baseUrl}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'message=tlf+98+76+54+32&keep=12345678',
    });
    expect(await form.json()).toEqual({ body: { message: 'tlf ', keep: '12345678' }, redactions: 1 });
    expect(await post('/unparsed', { message: 'tlf 98765432' })).toEqual({ redactions: 0 });
  });
});

describe('redactBody options', () => {
  it.each([
    [{ fields: [] }, /at least one dot path/],
    [{ fields: ['a..b'] }, /"a\.\.b" is not a dot path/],
    [{ fields: ['.a'] }, /is not a dot path/],
    [{ fields: [''] }, /is not a dot path/],
    [{ fields: [42] }, /42 is not a dot path/],
    [{ fields: 'message' }, /at least one dot path/],
  ])('rejects %j when the middleware is made', (options, message) => {
    expect(() => redactBody(options as never)).toThrow(TypeError);
    expect(() => redactBody(options as never)).toThrow(message);
  });

  it('rejects a bad policy when the middleware is made, listing the problem', () => {
    expect(() => redactBody({ fields: ['a'], policy: { minDigits: 1 } })).toThrow(PolicyError);
  });
});

describe('redactBody: no leak (property)', () => {
  const text = fc.oneof(formattedNumber, chatText, fc.string({ maxLength: 8 }));
  const body = fc.record({
    message: fc.oneof(text, fc.integer(), fc.constant(null)),
    customer: fc.record({ note: text, untouched: text }),
    items: fc.array(fc.record({ text, qty: fc.integer() }), { maxLength: 4 }),
  });

  it('every chosen string comes out as redact() makes it, every other value as it was', () => {
    const middleware = redactBody({ fields: ['message', 'customer.note', 'items.*.text'] });
    fc.assert(
      fc.property(body, (original) => {
        const req = { body: structuredClone(original) };
        const res = { locals: {} as Record<string, unknown> };
        let nextCalls = 0;
        middleware(req, res, () => nextCalls++);
        const strings = [original.message, original.customer.note, ...original.items.map((item) => item.text)];
        const expected = strings.filter((value) => typeof value === 'string').reduce((sum, value) => sum + redact(value).redactions, 0);
        const redactedText = (value: unknown) => (typeof value === 'string' ? redact(value).text : value);
        expect(nextCalls).toBe(1);
        expect(res.locals.redactions).toBe(expected);
        expect(req.body).toEqual({
          message: redactedText(original.message),
          customer: { note: redact(original.customer.note).text, untouched: original.customer.untouched },
          items: original.items.map((item) => ({ text: redact(item.text).text, qty: item.qty })),
        });
      }),
      { numRuns: 300, interruptAfterTimeLimit: 10_000 },
    );
  });
});
