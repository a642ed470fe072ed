import { describe, expect, it } from 'vitest';
import { activitySchema, clickFields, partsOfMessage, textOf, validActivities, type Activity } from '../../src/chatbot/directline-activity.js';
import { longestCombination } from '../support/reference.js';

const message = (fields: Record<string, unknown>): Activity => activitySchema.parse({ type: 'message', ...fields });

describe('direct line activities: text', () => {
  it('reads markdown (the default), xml as HTML, and plain text as it is', () => {
    expect(textOf('Ring **21 49** 60 00', undefined)).toBe('Ring 21 49 60 00');
    expect(textOf('Ring *21* 49 60 00', 'markdown')).toBe('Ring 21 49 60 00');
    expect(textOf('<p>Ring 21 <b>49</b> 60&nbsp;00</p>', 'xml')).toBe('Ring 21 49 60\u00a000');
    expect(textOf('a **b** <i>c</i>', 'plain')).toBe('a **b** <i>c</i>');
  });

  it('joins the text of a message and of its cards, and sets a later message off by a blank line', () => {
    const activity = message({
      text: 'Her er saken:',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: 'Sak', subtitle: 'Åpen', text: 'Ring 22 **33** 44 55' } },
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Kort' }, { type: 'Container', items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '4111 1111' }] }] }] } },
      ],
    });
    const [first] = partsOfMessage(activity, 'user-a', true);
    expect(first).toEqual({ type: 'text', text: 'Her er saken:\nSak\nÅpen\nRing 22 33 44 55\nKort\n4111 1111' });
    expect(longestCombination((first as { text: string }).text, 3)).toBe(8);
    expect(partsOfMessage(activity, 'user-a', false)[0]).toMatchObject({ text: expect.stringMatching(/^\n\nHer er/) });
  });

  it('says a message whose role is not the bot\'s is a person\'s (a human agent); the bot\'s, or one without a role, is not', () => {
    expect(partsOfMessage(message({ text: 'Hei, Kari her', from: { id: 'agent-kari', role: 'user' } }), 'user-a', true)).toEqual([
      { type: 'author', from: 'agent' },
      { type: 'text', text: 'Hei, Kari her' },
    ]);
    expect(partsOfMessage(message({ text: 'Hei', from: { id: 'bot', role: 'bot' } }), 'user-a', true)).toEqual([{ type: 'text', text: 'Hei' }]);
    expect(partsOfMessage(message({ text: 'Hei', from: { id: 'bot' } }), 'user-a', true)).toEqual([{ type: 'text', text: 'Hei' }]);
  });

  it('gives no parts for a message with nothing to show, and skips activities of the wrong shape', () => {
    expect(partsOfMessage(message({ attachments: [{ contentType: 'application/vnd.contoso.unknown', content: {} }] }), 'user-a', true)).toEqual([]);
    expect(validActivities([{ type: 'message', text: 'ok' }, { text: 'no type' }, 'junk', null]).map((a) => a.text)).toEqual(['ok']);
  });
});

describe('direct line activities: actions', () => {
  it('maps suggested actions for this user, card buttons, adaptive card actions and media to actions', () => {
    const activity = message({
      attachments: [
        { contentType: 'application/vnd.microsoft.card.hero', content: { buttons: [{ type: 'openUrl', title: 'Les', value: 'https://x.example/les' }, { type: 'call', title: 'Ring', value: 'tel:+4721496000' }, { type: 'postBack', value: 'uten tittel' }] } },
        { contentType: 'application/vnd.microsoft.card.signin', content: { text: 'Logg inn', buttons: [{ type: 'signin', title: 'Logg inn', value: 'https://login.example/a' }] } },
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { actions: [{ type: 'Action.OpenUrl', title: 'Vilkår', url: 'https://x.example/v' }, { type: 'Action.Submit', title: 'Send', data: { choice: 'b' } }] } },
        { contentType: 'image/png', contentUrl: 'https://x.example/bilde.png' },
        { contentType: 'application/pdf', contentUrl: 'https://x.example/vilkar.pdf' },
        { contentType: 'application/pdf', contentUrl: 'https://x.example/pris.pdf', name: 'Prisliste' },
      ],
      suggestedActions: { actions: [{ type: 'imBack', value: 'Ja' }, { type: 'postBack', title: 'Nei', value: 'no' }] },
    });
    const actions = partsOfMessage(activity, 'user-a', true).find((part) => part.type === 'actions');
    expect(actions).toEqual({
      type: 'actions',
      actions: [
        { label: 'Les', url: 'https://x.example/les' },
        { label: 'Logg inn', url: 'https://login.example/a' },
        { label: 'Vilkår', url: 'https://x.example/v' },
        { label: 'Send', payload: { k: 'submit', v: { choice: 'b' } } },
        // Nameless: the widget says "Image" and "File" in the user's language; a named one is its name.
        { label: 'Image', url: 'https://x.example/bilde.png', attachment: 'image' },
        { label: 'File', url: 'https://x.example/vilkar.pdf', attachment: 'file' },
        { label: 'Prisliste', url: 'https://x.example/pris.pdf' },
        { label: 'Ja', payload: { k: 'imBack', v: 'Ja' } },
        { label: 'Nei', payload: { k: 'postBack', v: 'no' } },
      ],
    });
  });

  it('leaves out suggested actions meant for someone else', () => {
    const activity = message({ suggestedActions: { to: ['user-b'], actions: [{ type: 'imBack', title: 'Ja', value: 'ja' }] } });
    expect(partsOfMessage(activity, 'user-a', true)).toEqual([]);
  });

  it('sends a click back as Web Chat does for each kind', () => {
    expect(clickFields({ k: 'imBack', v: 'ja takk' })).toEqual({ text: 'ja takk' });
    expect(clickFields({ k: 'postBack', v: 'pay' })).toEqual({ text: 'pay', channelData: { postBack: true } });
    expect(clickFields({ k: 'postBack', v: { id: 'INV-5521904417' } })).toEqual({ value: { id: 'INV-5521904417' }, channelData: { postBack: true } });
    expect(clickFields({ k: 'messageBack', x: 'nei', v: { a: 1 }, d: 'Nei takk' })).toEqual({ text: 'nei', value: { a: 1 }, channelData: { messageBack: { displayText: 'Nei takk' } } });
    expect(clickFields({ k: 'submit', v: { choice: 'b' } })).toEqual({ value: { choice: 'b' }, channelData: { postBack: true } });
    expect(clickFields('/rasa_payload')).toBeUndefined();
  });
});

describe('activity sets from servers other than Microsoft’s', () => {
  it('take a watermark written as a JSON number, as a string', async () => {
    const { activitySetSchema } = await import('../../src/chatbot/directline-activity.js');
    expect(activitySetSchema.parse({ activities: [], watermark: 7 }).watermark).toBe('7');
    expect(activitySetSchema.parse({ activities: [], watermark: '0012' }).watermark).toBe('0012');
    expect(activitySetSchema.parse({ activities: [], watermark: null }).watermark).toBeNull();
    expect(activitySetSchema.safeParse({ activities: [], watermark: 1.5 }).success).toBe(false);
    expect(activitySetSchema.safeParse({ activities: [], watermark: -1 }).success).toBe(false);
  });
});
