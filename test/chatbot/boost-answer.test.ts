import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boostAnswerSchema, isClientEcho, partsOfResponses, responsesOf, type BoostResponse } from '../../src/chatbot/boost-answer.js';
import { countLeaks } from '../support/leak-judge.js';
import { DEFAULTS, longestCombination } from '../support/reference.js';
import { redact } from '../../src/redact/index.js';
import { formattedNumber } from '../support/arbitraries.js';

const conversation = { id: 'nxa5G6sK1HNdLNla2LMZcjHOmwwRrQqs9D1nDddtwYyX1KSMC==', state: { chat_status: 'virtual_agent', max_input_chars: 110 } };
const read = (answer: unknown) => boostAnswerSchema.parse(answer);
const bot = (...elements: unknown[]): BoostResponse => read({ conversation, response: { id: '1683979', source: 'bot', elements } }).response!;

describe('boost answers: the shape', () => {
  it('reads a real START answer (from the iOS SDK’s tests): ids, state, elements', () => {
    const answer = read({
      conversation: { ...conversation, reference: '98cef0ca', state: { allow_delete_conversation: true, chat_status: 'virtual_agent', max_input_chars: 110, privacy_policy_url: 'https://www.boost.ai/privacy-policy' } },
      posted_id: 1683982,
      response: { avatar_url: null, date_created: '2020-06-25T10:50:22.703025', id: 1683983, language: 'no-NO', source: 'bot', elements: [{ payload: { html: '<p>Hva lurer du på?</p>' }, type: 'html' }] },
    });
    expect(answer.conversation.state?.max_input_chars).toBe(110);
    expect(answer.response?.id).toBe('1683983');
    expect(partsOfResponses(responsesOf(answer))).toEqual([{ type: 'text', text: 'Hva lurer du på?' }]);
    // Written while a human agent has the chat (or marked source "human"): a person's, said first.
    expect(partsOfResponses(responsesOf(answer), 'agent')).toEqual([{ type: 'author', from: 'agent' }, { type: 'text', text: 'Hva lurer du på?' }]);
    expect(partsOfResponses([{ id: '7', source: 'human', elements: [{ type: 'text', payload: { text: 'Kari her' } }] }] as BoostResponse[])).toEqual([
      { type: 'author', from: 'agent' },
      { type: 'text', text: 'Kari her' },
    ]);
  });

  it('needs the conversation; everything else may be missing or null', () => {
    expect(boostAnswerSchema.safeParse({ response: { id: '1', elements: [] } }).success).toBe(false);
    expect(boostAnswerSchema.safeParse({ conversation: { id: null, state: null }, response: null, responses: null }).success).toBe(true);
    expect(boostAnswerSchema.safeParse({ conversation: {}, response: { id: '', elements: [] } }).success).toBe(false);
  });

  it('takes responses in the order the SDKs do: `responses`, then `response`; echoes are marked', () => {
    const answer = read({
      conversation,
      responses: [{ id: '10', source: 'client', elements: [] }, { id: '11', source: 'bot', elements: [] }],
      response: { id: '12', elements: [] },
    });
    expect(responsesOf(answer).map((response) => [response.id, isClientEcho(response)])).toEqual([
      ['10', true],
      ['11', false],
      ['12', false],
    ]);
  });
});

describe('boost answers: what the widget sees', () => {
  it('texts and HTML with a blank line between them, links as actions after their text', () => {
    const parts = partsOfResponses([
      bot({ type: 'html', payload: { html: '<p>Jeg forstår dessverre ikke.</p>' } }, { type: 'text', payload: { text: 'Vil du snakke med et menneske?' } }),
      bot({ type: 'links', payload: { links: [{ id: '184712', text: 'Ja', type: 'action_link' }, { id: '184713', text: 'Nei', type: 'action_link', function: 'DENY' }] } }),
    ]);
    expect(parts).toEqual([
      { type: 'text', text: 'Jeg forstår dessverre ikke.' },
      { type: 'text', text: '\n\nVil du snakke med et menneske?' },
      {
        type: 'actions',
        actions: [
          { label: 'Ja', payload: { type: 'action_link', id: '184712' } },
          { label: 'Nei', payload: { type: 'action_link', id: '184713' } },
        ],
      },
    ]);
  });

  it('an external link keeps its URL; one without a URL, of another kind or malformed is dropped', () => {
    const parts = partsOfResponses([
      bot({
        type: 'links',
        payload: {
          links: [
            { id: '7', text: 'Personvern', type: 'external_link', url: 'https://www.boost.ai/privacy-policy' },
            { id: '8', text: 'Uten adresse', type: 'external_link', url: null },
            { id: '9', text: 'Ukjent', type: 'van_link' },
            { text: 'Uten id', type: 'action_link' },
          ],
        },
      }),
    ]);
    expect(parts).toEqual([
      { type: 'actions', actions: [{ label: 'Personvern', url: 'https://www.boost.ai/privacy-policy', payload: { type: 'external_link', id: '7' } }] },
    ]);
  });

  it('image, video, json, unknown and malformed elements show nothing; an empty text is no part', () => {
    const parts = partsOfResponses([
      bot(
        { type: 'image', payload: { url: 'https://stub.boost.ai/a.png' } },
        { type: 'video', payload: { url: 'https://vimeo.com/1' } },
        { type: 'json', payload: { json: { emitEvent: { type: 'x' } } } },
        { type: 'carousel', payload: { text: 'skjult' } },
        { type: 'html', payload: { text: 'feil felt' } },
        { type: 'text', payload: { text: '' } },
        { payload: { text: 'uten type' } },
      ),
    ]);
    expect(parts).toEqual([]);
  });

  it('HTML is reduced to its text, so a number split by tags, entities and invisible characters is one number', () => {
    const [part] = partsOfResponses([bot({ type: 'html', payload: { html: '<p>Ring 21 <b>49</b>&nbsp;60<span>&#8203;00</span> i dag</p>' } })]);
    expect(part).toEqual({ type: 'text', text: 'Ring 21 49\u00a060 00 i dag' });
    expect(redact((part as { text: string }).text).text).toBe('Ring  i dag');
  });

  it('property: tags anywhere inside a number never cut it: the text holds it whole, as long or longer', () => {
    const tags = fc.constantFrom('', '<b>', '</b>', '<i>', '</i>', '<span>', '</span>', '<strong>', '</strong>', '<!-- x -->');
    fc.assert(
      fc.property(formattedNumber, fc.array(tags, { minLength: 20, maxLength: 20 }), (number, inserted) => {
        const chars = Array.from(number);
        const html = `<p>Nummer: ${chars.map((ch, index) => ch + (inserted[index % inserted.length] ?? '')).join('')} takk</p>`;
        const text = partsOfResponses([bot({ type: 'html', payload: { html } })]).map((part) => (part.type === 'text' ? part.text : '')).join('');
        expect(text).not.toMatch(/[<>]/);
        // White space may be folded, which only joins digits; nothing may part them.
        expect(longestCombination(text, DEFAULTS.maxGap)).toBeGreaterThanOrEqual(longestCombination(number, DEFAULTS.maxGap));
        expect(countLeaks(redact(text).text)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
