/**
 * A streamed Chat Completions answer as the native API passes it on, event by event: what is
 * held comes out with the finish reason or before the end, usage and ids pass untouched, an
 * in-stream error is passed on redacted, what cannot be read fails closed, and the event stream
 * may be cut anywhere on the wire. Leaks judged by the reference.
 */
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VendorResponse } from '../../src/chatbot/vendor-exchange.js';
import { NativeText } from '../../src/native/native-text.js';
import { redactCompletionStream } from '../../src/native/openai-stream-redaction.js';
import { createPolicy } from '../../src/redact/index.js';
import { rawCuts } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';
import { splitBytes } from '../support/vendor-stub.js';

const LIMITS = { limitBytes: 1_048_576, maxArgumentChars: 1_048_576 };
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'chatcmpl-12345678', object: 'chat.completion.chunk', created: 1726650000, model: 'm', choices, ...extra });
const sse = (events: unknown[], done = true): string =>
  events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');

function responseOf(wire: Uint8Array[]): VendorResponse {
  return { statusCode: 200, headers: { 'content-type': 'text/event-stream' }, body: Readable.from(wire.map((bytes) => Buffer.from(bytes))) } as unknown as VendorResponse;
}

/** The events passed on, each `data` parsed (`[DONE]` as a string). */
async function passOn(wire: string | Uint8Array[], limits = LIMITS): Promise<unknown[]> {
  const text = new NativeText(createPolicy());
  let out = '';
  for await (const piece of redactCompletionStream(responseOf(typeof wire === 'string' ? [Buffer.from(wire)] : wire), text, limits)) out += piece;
  return out
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      const data = event.split('\n').find((line) => line.startsWith('data: '))!.slice('data: '.length);
      return data === '[DONE]' ? data : (JSON.parse(data) as unknown);
    });
}

const contentOf = (events: unknown[]): string =>
  events.flatMap((event) => (typeof event === 'string' ? [] : (event as { choices: Array<{ delta?: { content?: string } }> }).choices.map((c) => c.delta?.content ?? ''))).join('');

describe('redactCompletionStream', () => {
  it('passes ids and usage untouched, holds an open number and releases what it holds with the finish reason', async () => {
    const events = await passOn(
      sse([
        chunk([{ index: 0, delta: { role: 'assistant', content: 'Ring 98 7' } }]),
        chunk([{ index: 0, delta: { content: '6 54 32 nå' }, finish_reason: null }]),
        chunk([{ index: 0, delta: { content: ' 12 3' }, finish_reason: 'stop' }]),
        chunk([], { usage: { prompt_tokens: 1234567, completion_tokens: 8, total_tokens: 1234575 } }),
      ]),
    );
    expect(events).toEqual([
      chunk([{ index: 0, delta: { role: 'assistant', content: 'Ring ' } }]),
      chunk([{ index: 0, delta: { content: ' nå' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: ' 12 3' }, finish_reason: 'stop' }]),
      chunk([], { usage: { prompt_tokens: 1234567, completion_tokens: 8, total_tokens: 1234575 } }),
      '[DONE]',
    ]);
  });

  it('releases what a choice holds in a chunk of its own when no finish reason came, before [DONE] or the end', async () => {
    for (const done of [true, false]) {
      const events = await passOn(sse([chunk([{ index: 0, delta: { content: 'kode 12 34' } }])], done));
      expect(events).toEqual([
        chunk([{ index: 0, delta: { content: 'kode ' } }]),
        { id: 'chatcmpl-12345678', object: 'chat.completion.chunk', created: 1726650000, model: 'm', choices: [{ index: 0, delta: { content: '12 34' }, finish_reason: null }] },
        ...(done ? ['[DONE]'] : []),
      ]);
    }
  });

  it('passes an error on redacted, drops log probabilities and fields it does not know', async () => {
    const events = await passOn(
      sse([
        chunk([{ index: 0, delta: { content: 'hei', audio: { transcript: 'ring 98 76 54 32' } }, logprobs: { content: [{ token: '98765432' }] } }]),
        { error: { message: 'bad input 98765432', type: 'invalid_request_error' } },
      ]),
    );
    expect(events[0]).toEqual(chunk([{ index: 0, delta: { content: 'hei' }, logprobs: null }]));
    expect(events[1]).toEqual({ error: { message: 'bad input ', type: 'invalid_request_error' } });
  });

  it('fails closed on data that is no JSON, and past its text limit', async () => {
    await expect(passOn(sse(['{"choices":[{"delta":{"content":"98 76 54 32']))).rejects.toMatchObject({ code: 'vendor_error', reason: 'malformed' });
    const long = sse([chunk([{ index: 0, delta: { content: 'x'.repeat(600) } }]), chunk([{ index: 0, delta: { content: 'x'.repeat(600) } }])]);
    await expect(passOn(long, { ...LIMITS, limitBytes: 1_000 })).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('passes on the events of one read as soon as it is read, a token without a digit at once, and the events before a failure first', async () => {
    const body = new PassThrough();
    const response = { statusCode: 200, headers: { 'content-type': 'text/event-stream' }, body } as unknown as VendorResponse;
    const pieces = redactCompletionStream(response, new NativeText(createPolicy()), LIMITS);
    body.write(sse([chunk([{ index: 0, delta: { role: 'assistant', content: '' } }]), chunk([{ index: 0, delta: { content: 'Hei' } }])], false));
    // One read, one piece: both events, the vendor's stream still open.
    expect((await pieces.next()).value).toBe(sse([chunk([{ index: 0, delta: { role: 'assistant', content: '' } }]), chunk([{ index: 0, delta: { content: 'Hei' } }])], false));
    body.write(sse([chunk([{ index: 0, delta: { content: '! Ring 22 0' } }])], false));
    expect((await pieces.next()).value).toBe(sse([chunk([{ index: 0, delta: { content: '! Ring ' } }])], false));
    body.end(sse([chunk([{ index: 0, delta: { content: '0 00 00 i dag' } }]), 'no JSON'], false));
    expect((await pieces.next()).value).toBe(sse([chunk([{ index: 0, delta: { content: ' i dag' } }])], false));
    await expect(pieces.next()).rejects.toMatchObject({ code: 'vendor_error', reason: 'malformed' });
  });

  it('gives the same text, and leaks nothing, however the wire is cut (property)', async () => {
    const wire = sse([
      chunk([{ index: 0, delta: { role: 'assistant', content: 'Kort ４１１１ １１' } }]),
      chunk([{ index: 0, delta: { content: '１１ 1111 1111, tlf 22 33' } }]),
      chunk([{ index: 0, delta: { content: ' 44 55 — takk' }, finish_reason: 'stop' }]),
    ]);
    await fc.assert(
      fc.asyncProperty(rawCuts(12), async (cuts) => {
        const events = await passOn(splitBytes(wire, cuts));
        expect(contentOf(events)).toBe('Kort , tlf  — takk');
        for (const event of events) if (typeof event !== 'string') expect(countLeaks(contentOf([event]))).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
