/**
 * What of an OpenAI message is text, both ways, and a stream choice's split safety: whatever the
 * cuts, a choice's text comes out as the reference redacts it whole, no piece on the way holds a
 * sensitive combination, and held tool-call arguments come out as valid JSON. Judged by the
 * reference in `test/support`, never by the engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NativeRefusal } from '../../src/native/native-api.js';
import { NativeText } from '../../src/native/native-text.js';
import { ChoiceStream, redactAnswerMessage, redactRequestMessage } from '../../src/native/openai-message.js';
import { createPolicy } from '../../src/redact/index.js';
import { chatText, cutAt, denseText, formattedNumber, rawCuts } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';

const policy = createPolicy();
const text = (): NativeText => new NativeText(policy);
const hostileText = fc.oneof(chatText, denseText);

describe('a request message', () => {
  it('redacts string content, text parts and tool results, and leaves ids, names and roles', () => {
    const inbound = text();
    expect(redactRequestMessage({ role: 'user', name: 'kari4711234', content: 'fnr 010190 12345' }, 0, inbound)).toEqual({
      role: 'user',
      name: 'kari4711234',
      content: 'fnr ',
    });
    expect(redactRequestMessage({ role: 'user', content: [{ type: 'text', text: 'ring 98 76 54 32' }] }, 1, inbound)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'ring ' }],
    });
    expect(redactRequestMessage({ role: 'tool', tool_call_id: 'call_12345678', content: 'konto 7694.05.20300' }, 2, inbound)).toEqual({
      role: 'tool',
      tool_call_id: 'call_12345678',
      content: 'konto ',
    });
    expect(inbound.tally.redactions).toBe(3);
    expect(inbound.tally.kinds).toMatchObject({ phone: 1, bank_account: 1 });
  });

  it('leaves no sensitive combination in any text it passes on, hostile text too (property)', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (content, part) => {
        const out = redactRequestMessage({ role: 'user', content: [{ type: 'text', text: part }] }, 0, text());
        const plain = redactRequestMessage({ role: 'tool', content }, 1, text());
        expect(plain.content).toBe(referenceRedact(content.toWellFormed()).text);
        // Judged as text, not as JSON: an escape (`\u0000`) is digits only in the JSON text, never in what it stands for.
        const [first] = out.content as Array<{ text: string }>;
        expect(first!.text).toBe(referenceRedact(part.toWellFormed()).text);
        expect(countLeaks(first!.text)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    [{ type: 'image_url', image_url: { url: 'https://x.no/a.png' } }],
    [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }],
    [{ type: 'file', file: { file_id: 'file-1' } }],
    [{ type: 'text', text: 42 }],
    ['bare string part'],
  ])('refuses the part %j, naming where it is', (part) => {
    const refuse = () => redactRequestMessage({ role: 'user', content: [{ type: 'text', text: 'hei' }, part] }, 3, text());
    expect(refuse).toThrow(NativeRefusal);
    expect(refuse).toThrow(expect.objectContaining({ code: 'unsupported_content', param: 'messages[3].content[1]', status: 400 }));
  });
});

describe('an answer message', () => {
  it('redacts content, refusal and reasoning, keeps tool-call JSON valid, and drops fields it does not know', () => {
    const message = {
      role: 'assistant',
      content: 'Ring 22 33 44 55',
      refusal: null,
      reasoning_content: 'brukeren har fnr 01019012345',
      audio: { id: 'audio_1', transcript: 'ring 98 76 54 32' },
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":"98 76 54 32","b":[12345678,5]}' } }],
    };
    expect(redactAnswerMessage(message, text())).toEqual({
      role: 'assistant',
      content: 'Ring ',
      refusal: null,
      reasoning_content: 'brukeren har fnr ',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":"","b":[null,5]}' } }],
    });
  });
});

/** Stream `whole` through one choice, cut at `cuts`, in the field `field`; what each delta carried. */
function streamChoice(whole: string, cuts: number[], field = 'content'): string[] {
  const choice = new ChoiceStream(text(), 1_000_000);
  const pieces = cutAt(whole, cuts).map((piece) => String(choice.redactDelta({ [field]: piece })[field]));
  const last = choice.flushInto({})[field];
  return [...pieces, typeof last === 'string' ? last : ''];
}

describe('a stream choice', () => {
  it('gives, for any cuts of any text, the reference output, and no piece on the way leaks (property)', () => {
    fc.assert(
      fc.property(hostileText, rawCuts(12), fc.constantFrom('content', 'refusal', 'reasoning_content', 'reasoning'), (whole, cuts, field) => {
        const pieces = streamChoice(whole, cuts, field);
        expect(pieces.join('')).toBe(referenceRedact(whole).text);
        for (const piece of pieces) expect(countLeaks(piece)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('releases text at once, holding back only a number still open', () => {
    expect(streamChoice('Hei, ring 98 76 54 32 nå', [10, 15])).toEqual(['Hei, ring ', '', ' nå', '']);
    expect(streamChoice('Svar: 12 34', [6])).toEqual(['Svar: ', '', '12 34']);
  });

  it('keeps two fields of one choice apart: a number does not run from content into reasoning', () => {
    const choice = new ChoiceStream(text(), 1_000);
    const first = choice.redactDelta({ reasoning: '98 76', content: '54 32' });
    const rest = choice.flushInto({});
    expect(`${String(first.reasoning)}${String(rest.reasoning)}`).toBe('98 76');
    expect(`${String(first.content)}${String(rest.content)}`).toBe('54 32');
  });

  it('holds tool-call arguments and releases them once, as valid redacted JSON, however they were cut (property)', () => {
    const args = fc.dictionary(fc.constantFrom('phone', 'note', 'id', 'n'), fc.oneof(formattedNumber, chatText, fc.integer()), { maxKeys: 4 });
    fc.assert(
      fc.property(args, rawCuts(8), (value, cuts) => {
        const json = JSON.stringify(value);
        const choice = new ChoiceStream(text(), 1_000_000);
        const first = choice.redactDelta({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] });
        expect(first).toEqual({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] });
        for (const piece of cutAt(json, cuts)) {
          expect(choice.redactDelta({ tool_calls: [{ index: 0, function: { arguments: piece } }] })).toEqual({
            tool_calls: [{ index: 0, function: { arguments: '' } }],
          });
        }
        const flushed = choice.flushInto({}) as { tool_calls: Array<{ index: number; function: { arguments: string } }> };
        expect(flushed.tool_calls).toHaveLength(1);
        const parsed = JSON.parse(flushed.tool_calls[0]!.function.arguments) as Record<string, unknown>;
        expect(Object.keys(parsed).length).toBe(Object.keys(value).length);
        for (const inner of Object.values(parsed)) if (typeof inner === 'string') expect(countLeaks(inner)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses arguments past its bound, and more tool calls than it keeps', () => {
    const choice = new ChoiceStream(text(), 10);
    expect(() => choice.redactDelta({ tool_calls: [{ index: 0, function: { arguments: 'x'.repeat(11) } }] })).toThrow(
      expect.objectContaining({ code: 'vendor_error', reason: 'too_large' }),
    );
    const many = new ChoiceStream(text(), 1_000);
    const calls = Array.from({ length: 129 }, (_, index) => ({ index, function: { arguments: '' } }));
    expect(() => many.redactDelta({ tool_calls: calls })).toThrow(expect.objectContaining({ reason: 'too_large' }));
  });
});
