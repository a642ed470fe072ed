/**
 * Direct Line activities as the native API redacts them: the user's on the way in, the bot's on
 * the way out — every field a person reads, whatever text stands in it (hostile text included),
 * judged by the reference with ids and the bot's data set aside; what is not text untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactActivitySet, redactBotActivity, redactUserActivity } from '../../src/native/directline-activities.js';
import { NativeText } from '../../src/native/native-text.js';
import { NativeRefusal } from '../../src/native/native-api.js';
import { createPolicy } from '../../src/redact/index.js';
import { chatText, formattedNumber } from '../support/arbitraries.js';
import { countJsonLeaks } from '../support/leak-judge.js';
import { countMarkdownLeaks } from '../support/markup-judge.js';

const policy = createPolicy();
const text = (): NativeText => new NativeText(policy);
/** Ids and the bot's data (written `data-…` in the fixtures): passed untouched, never judged. */
const UNJUDGED = new Set(['id', 'from', 'conversation', 'replyToId', 'channelData', 'data', 'entities']);
const judge = (value: unknown): number =>
  countJsonLeaks(value, (key, field) => UNJUDGED.has(key) || (typeof field === 'string' && field.startsWith('data-')));

/** A bot activity with `say` in every field a person reads. */
function botActivity(say: string): Record<string, unknown> {
  return {
    type: 'message',
    id: 'act-12345678',
    from: { id: 'bot-7734521980', role: 'bot' },
    text: say,
    speak: say,
    summary: say,
    channelData: { ref: '12345678901' },
    entities: [{ type: 'ClientCapabilities', ref: '98765432' }],
    suggestedActions: { actions: [{ type: 'imBack', title: say, value: say, displayText: say }, { type: 'postBack', title: say, value: 'data-12345678901' }] },
    attachments: [
      { contentType: 'application/vnd.microsoft.card.hero', content: { title: say, subtitle: say, text: say, images: [{ url: 'https://x.example/a.png', alt: say }], buttons: [{ type: 'openUrl', title: say, value: 'https://x.example/' }] } },
      { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: say, tap: { type: 'imBack', value: say } } },
      { contentType: 'application/vnd.microsoft.card.receipt', content: { title: say, facts: [{ key: say, value: say }], items: [{ title: say, price: say, quantity: say }], tax: say, vat: say, total: say } },
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          type: 'AdaptiveCard',
          speak: say,
          fallbackText: say,
          body: [
            { type: 'TextBlock', text: say },
            { type: 'RichTextBlock', inlines: [say, { type: 'TextRun', text: say }] },
            { type: 'FactSet', facts: [{ title: say, value: say }] },
            { type: 'Container', items: [{ type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'TextBlock', text: say }] }] }] },
            { type: 'Input.Text', id: 'a', label: say, placeholder: say, value: say, errorMessage: say },
            { type: 'Input.ChoiceSet', id: 'b', choices: [{ title: say, value: 'data-12345678' }] },
            { type: 'Input.Toggle', id: 'c', title: say, label: say, valueOn: 'data-87654321' },
            { type: 'Table', rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: say }] }] }] },
          ],
          actions: [
            { type: 'Action.Submit', title: say, tooltip: say, data: { ref: '12345678901' } },
            { type: 'Action.ShowCard', title: say, card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: say }] } },
          ],
        },
      },
      { contentType: 'application/vnd.example.unknown', content: { words: say, nested: [say] } },
      { contentType: 'text/markdown', content: say, name: say },
    ],
  };
}

describe('redactBotActivity', () => {
  it('leaves no sensitive combination in any field a person reads, whatever the text (property)', () => {
    fc.assert(
      fc.property(chatText, (say) => {
        expect(judge(redactBotActivity(botActivity(say), text()))).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps ids, channelData, entities and the bot’s data as they came, and text without numbers unchanged', () => {
    const activity = botActivity('Hei, takk for sist!');
    expect(redactBotActivity(activity, text())).toEqual(activity);
  });

  it('drops what opens a number: an openUrl button, an Action.OpenUrl, an image, an attachment’s link', () => {
    const out = redactBotActivity(
      {
        type: 'message',
        suggestedActions: { actions: [{ type: 'openUrl', title: 'Ring', value: 'https://bank.example/?tlf=98%2076%2054%2032' }, { type: 'call', title: 'Ring', value: 'tel:+4798765432' }] },
        attachments: [
          { contentType: 'image/png', contentUrl: 'https://bank.example/kvittering/98765432.png' },
          { contentType: 'application/vnd.microsoft.card.hero', content: { images: [{ url: 'https://bank.example/98765432.png' }], tap: { type: 'openUrl', value: 'https://bank.example/1234567' } } },
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              type: 'AdaptiveCard',
              backgroundImage: 'https://bank.example/bg/12345678.png',
              body: [{ type: 'Image', url: 'https://bank.example/12345678.png' }, { type: 'TextBlock', text: 'ok', selectAction: { type: 'Action.OpenUrl', url: 'https://bank.example/12345678' } }],
              actions: [{ type: 'Action.OpenUrl', title: 'Åpne', url: 'https://bank.example/12345678' }, { type: 'Action.OpenUrl', title: 'Hjelp', url: 'https://bank.example/hjelp' }],
            },
          },
        ],
      },
      text(),
    );
    expect(out).toEqual({
      type: 'message',
      suggestedActions: { actions: [] },
      attachments: [
        { contentType: 'application/vnd.microsoft.card.hero', content: { images: [] } },
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'ok' }], actions: [{ type: 'Action.OpenUrl', title: 'Hjelp', url: 'https://bank.example/hjelp' }] },
        },
      ],
    });
  });

  it('redacts Markdown as it is shown: a number split by marks or escapes goes', () => {
    const marks = fc.constantFrom('**', '*', '_', '__', '~~', '`', '\\');
    fc.assert(
      fc.property(formattedNumber, fc.array(fc.tuple(fc.nat(), marks), { maxLength: 4 }), (number, cuts) => {
        let marked = number;
        for (const [at, mark] of cuts) marked = marked.slice(0, at % (marked.length + 1)) + mark + marked.slice(at % (marked.length + 1));
        const out = redactBotActivity({ type: 'message', text: `Ring ${marked} nå` }, text()) as { text: string };
        // Judged as Web Chat's renderer (markdown-it) shows it, its links and the source as sent.
        expect(countMarkdownLeaks(out.text)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('redactUserActivity', () => {
  it('redacts text, speak and a string value; a value object and the rest pass', () => {
    const inbound = text();
    const out = redactUserActivity({ type: 'message', from: { id: 'user-12345678' }, text: 'fnr 010190 12345', speak: 'tlf 98 76 54 32', value: 'konto 1234.56.78901', channelData: { n: '12345678' } }, inbound);
    expect(out).toEqual({ type: 'message', from: { id: 'user-12345678' }, text: 'fnr ', speak: 'tlf ', value: 'konto ', channelData: { n: '12345678' } });
    expect(inbound.tally.redactions).toBe(3);
    const submit = { type: 'message', value: { account: '12345678901' } };
    expect(redactUserActivity(submit, text())).toEqual(submit);
  });

  it('refuses what is no activity, and attachments', () => {
    expect(() => redactUserActivity({ text: 'hei' }, text())).toThrow(NativeRefusal);
    expect(() => redactUserActivity([], text())).toThrow(NativeRefusal);
    expect(() => redactUserActivity({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'data:,' }] }, text())).toThrow(
      expect.objectContaining({ code: 'unsupported_content' }),
    );
    expect(redactUserActivity({ type: 'message', attachments: [] }, text())).toEqual({ type: 'message', attachments: [] });
  });
});

describe('redactActivitySet', () => {
  it('redacts each activity and keeps the watermark; what is no activity set is refused', () => {
    expect(redactActivitySet({ activities: [{ type: 'message', text: 'tlf 98765432' }], watermark: '4000012' }, text())).toEqual({
      activities: [{ type: 'message', text: 'tlf ' }],
      watermark: '4000012',
    });
    expect(redactActivitySet({ watermark: '1' }, text())).toBeUndefined();
    expect(redactActivitySet('activities', text())).toBeUndefined();
  });
});
