/**
 * What of Boost's Chat API v2 is user text, both ways: a command's `value` (a text POST,
 * HUMANCHATPOST) and `custom_payload` strings in; `text` and `html` elements, links' `text` and
 * the DOWNLOAD transcript out. Ids, other commands' values and other element types pass as they
 * came. Judged by the reference in `test/support`, never by the engine.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { VendorResponse } from '../../src/chatbot/vendor-exchange.js';
import { createBoostNativeApi } from '../../src/native/boost-native.js';
import { NativeRefusal, type NativePiece } from '../../src/native/native-api.js';
import { NativeText } from '../../src/native/native-text.js';
import { createPolicy } from '../../src/redact/index.js';
import { chatText, denseText } from '../support/arbitraries.js';
import { countJsonLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';

const policy = createPolicy();
const api = createBoostNativeApi({ baseUrl: 'https://acme.boost.ai', answerLimitBytes: 1_048_576 });
const route = api.routes[0]!;
const hostileText = fc.oneof(chatText, denseText);
const CONVERSATION = 'nxa5G6sK1HNdLNla2LMZcjHOmwwRrQqs9D1nDddtwYyX1KSMCHKC9';

const prepare = (body: unknown) => route.prepare({ body, headers: {}, params: {}, search: '', origin: 'https://chat.example.no' }, new NativeText(policy));
const sent = (body: unknown) => prepare(body).spec.json as Record<string, unknown>;

function responseOf(body: string, contentType = 'application/json'): VendorResponse {
  return { statusCode: 200, headers: { 'content-type': contentType }, body: Readable.from([Buffer.from(body)]) } as unknown as VendorResponse;
}

async function answerTo(command: unknown, body: string, contentType?: string): Promise<{ head: NativePiece; text: string }> {
  const pieces: NativePiece[] = [];
  for await (const piece of prepare(command).read(responseOf(body, contentType), new AbortController().signal, new NativeText(policy))) pieces.push(piece);
  return { head: pieces[0]!, text: pieces.slice(1).join('') };
}

describe('a Boost command on its way to the bot', () => {
  it('redacts the value of a text POST and of HUMANCHATPOST, and custom payload strings; ids untouched', () => {
    expect(sent({ command: 'POST', type: 'text', conversation_id: CONVERSATION, value: 'fnr 010190 12345', clean: true })).toEqual({
      command: 'POST',
      type: 'text',
      conversation_id: CONVERSATION,
      value: 'fnr ',
      clean: true,
    });
    expect(sent({ command: 'HUMANCHATPOST', conversation_id: CONVERSATION, value: 'ring 98 76 54 32' })).toMatchObject({ value: 'ring ' });
    expect(sent({ command: 'START', custom_payload: { kunde: { nr: '1234 5678 901', n: 12345678901 }, rolle: 'privat' } })).toEqual({
      command: 'START',
      custom_payload: { kunde: { nr: '', n: null }, rolle: 'privat' },
    });
    expect(sent({ command: 'START', custom_payload: '{"kontonr":"1234.56.78903"}' })).toEqual({ command: 'START', custom_payload: '{"kontonr":""}' });
  });

  it('passes ids and the values of other commands as they came (a POLL value, an action link)', () => {
    expect(sent({ command: 'POLL', conversation_id: CONVERSATION, value: '1683985' })).toEqual({ command: 'POLL', conversation_id: CONVERSATION, value: '1683985' });
    expect(sent({ command: 'POST', type: 'action_link', conversation_id: CONVERSATION, id: '18471234' })).toMatchObject({ id: '18471234' });
  });

  it('refuses files and a body that is no command', () => {
    expect(() => prepare({ command: 'POST', type: 'files', value: [] })).toThrow(NativeRefusal);
    expect(() => prepare({ value: 'hei' })).toThrow(NativeRefusal);
    expect(() => prepare(['START'])).toThrow(NativeRefusal);
    expect(api.errorBody({ status: 400, code: 'invalid_request', message: 'Nope.' })).toEqual({ error: 'Nope.' });
  });

  it('sends nothing a person wrote with a sensitive combination, whatever it is', () => {
    fc.assert(
      fc.property(hostileText, hostileText, fc.constantFrom('POST', 'HUMANCHATPOST'), (value, payload, command) => {
        const json = sent({ command, type: 'text', value, custom_payload: { note: payload, list: [payload] } });
        expect(json.value).toBe(referenceRedact(value.toWellFormed()).text);
        expect(countJsonLeaks(json)).toBe(0);
      }),
    );
  });
});

describe('a Boost answer on its way to the client', () => {
  const answer = {
    conversation: { id: CONVERSATION, state: { poll: true, chat_status: 'assigned_to_human', max_input_chars: 110 } },
    posted_id: 1683980,
    response: {
      id: '1683981',
      source: 'bot',
      elements: [
        { type: 'text', payload: { text: 'Ring 98 76 54 32' } },
        { type: 'html', payload: { html: '<p>Konto <b>7694</b>.05.<i>20300</i></p>' } },
        {
          type: 'links',
          payload: {
            links: [
              { id: '184712', text: 'Betal 1234 5678 901', type: 'action_link' },
              { id: '184713', text: 'Hjelp', type: 'action_link' },
              { id: '184714', text: 'Saken din', type: 'external_link', url: 'https://bank.example/sak/98765432' },
            ],
          },
        },
        { type: 'image', payload: { url: 'https://cdn.example/12345678.png' } },
      ],
    },
    responses: [{ id: '1683982', source: 'bot', elements: [{ type: 'html', payload: { html: '<p>KID 12&#8203;34 56 78</p>' } }] }],
  };

  it('redacts text and html elements and links’ text, drops a link with a number, and passes ids, state and other elements', async () => {
    const { head, text } = await answerTo({ command: 'POLL', conversation_id: CONVERSATION, value: '1683979' }, JSON.stringify(answer));
    expect(head).toEqual({ status: 200, contentType: 'application/json' });
    const out = JSON.parse(text) as typeof answer;
    expect(out.conversation).toEqual(answer.conversation);
    expect(out.posted_id).toBe(1683980);
    expect(out.response.id).toBe('1683981');
    const [plain, html, links, image] = out.response.elements;
    expect(plain).toEqual({ type: 'text', payload: { text: 'Ring ' } });
    expect(DomUtils.textContent(parseDocument(String(html!.payload.html)))).toMatch(/^Konto\s*$/);
    expect(links).toEqual({ type: 'links', payload: { links: [{ id: '184712', text: 'Betal ', type: 'action_link' }, { id: '184713', text: 'Hjelp', type: 'action_link' }] } });
    expect(image).toEqual(answer.response.elements[3]);
    expect(DomUtils.textContent(parseDocument(String(out.responses[0]!.elements[0]!.payload.html)))).toMatch(/^KID\s*$/);
  });

  it('redacts the DOWNLOAD transcript as text', async () => {
    const { head, text } = await answerTo({ command: 'DOWNLOAD', conversation_id: CONVERSATION }, 'Du: fnr 010190 12345\nBot: Takk.\n', 'text/plain; charset=utf-8');
    expect(head).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8' });
    expect(text).toBe('Du: fnr \nBot: Takk.\n');
  });
});
