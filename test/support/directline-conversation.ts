/**
 * A Direct Line conversation with numbers in every place a person reads — Markdown text, a hero
 * card, an Adaptive Card, a receipt card, suggested actions — and the bot's data and ids that
 * must pass untouched; and the judge that sets those aside. Shared by the tests of the native
 * Direct Line API with DirectLineJS and with Web Chat.
 */
import type { BotStep } from './directline-stub.js';
import { countJsonLeaks } from './leak-judge.js';

/** Vendor fields that are ids, tokens, cursors, clocks or the bot's data: they pass untouched and are not judged. */
export const VENDOR_FIELDS = new Set(['id', 'conversation', 'conversationId', 'from', 'recipient', 'replyToId', 'watermark', 'timestamp', 'token', 'streamUrl', 'data', 'channelData']);
/** What the bot gets back when a button or choice is picked: its data, passed untouched, set aside like ids. */
export const BOT_DATA = new Set(['case-998877665544', 'acct-12345678901', '99887766554', '12345678901']);
/** Sensitive combinations in what a client or the bot got, ids and the bot's data aside (by the reference). */
export const judge = (value: unknown): number =>
  countJsonLeaks(value, (key, field) => VENDOR_FIELDS.has(key) || (typeof field === 'string' && BOT_DATA.has(field)));

/** An Adaptive Card with numbers in every kind of text it has, links with and without them, and submit data. */
export const ADAPTIVE_CARD = {
  type: 'AdaptiveCard',
  version: '1.5',
  speak: 'Saken 4455 6677 er klar',
  body: [
    { type: 'TextBlock', text: 'Kontonummer **7694**.05.20300', wrap: true },
    { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Ring 22 33 ' }, 'tekst 9988 7766', { type: 'TextRun', text: 'ok' }] },
    { type: 'FactSet', facts: [{ title: 'Telefon 98 76 54 32', value: 'Fødselsnummer 010190 12345' }] },
    { type: 'Input.Text', id: 'phone', label: 'Nummer (f.eks. 912 34 567)', placeholder: '912 34 567', value: '41 52 63 74' },
    { type: 'Input.ChoiceSet', id: 'choice', choices: [{ title: 'Konto 1234.56.78901', value: 'acct-12345678901' }] },
    { type: 'Image', url: 'https://bank.example/kvittering/98765432.png', altText: 'kvittering' },
    { type: 'Image', url: 'https://bank.example/logo.png', altText: 'logo 11223344' },
  ],
  actions: [
    { type: 'Action.OpenUrl', title: 'Åpne', url: 'https://bank.example/sak/12345678' },
    { type: 'Action.OpenUrl', title: 'Hjelp 55 44 33 22', url: 'https://bank.example/hjelp' },
    { type: 'Action.Submit', title: 'Send', data: { account: '12345678901' } },
    { type: 'Action.ShowCard', title: 'Mer', card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Skjult 1122 3344 55' }] } },
  ],
};
/** A hero card: numbers in its texts, an image and an openUrl button with a number, and a postBack. */
export const HERO_CARD = {
  title: 'Faktura nr 2233',
  subtitle: 'KID 1234567890123',
  text: 'Betal til 1234.56.78901',
  images: [{ url: 'https://bank.example/bilde/77665544.png', alt: 'bilde' }, { url: 'https://bank.example/ok.png', alt: 'Kvittering 99887766' }],
  buttons: [
    { type: 'imBack', title: 'Ring 90 80 70 60', value: 'Ring meg på 90 80 70 60' },
    { type: 'openUrl', title: 'Se saken', value: 'https://bank.example/?tlf=98%2076%2054%2032' },
    { type: 'postBack', title: 'Velg', value: 'case-998877665544' },
  ],
};
/** A receipt card with numbers in its facts, items and total. */
const RECEIPT_CARD = {
  title: 'Kvittering for 9876 5432',
  facts: [{ key: 'Ordre 1122334455', value: 'Konto 1234 56 78901' }],
  items: [{ title: 'Vare 4433 2211', price: 'kr 1 234 567 89' }],
  total: 'kr 12 345 678',
};
/** The bot's answer to any message: Markdown, a hero card, an Adaptive Card and a receipt, then a prompt with suggested actions. */
export const conversationBot = (): BotStep[] => [
  { text: 'Du skrev: «ok». Ring oss på **98** 76 54 32 eller _4152_ 6374.', speak: 'Ring 98 76 54 32', summary: 'Nummer 98765432' },
  { attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: HERO_CARD }] },
  { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: ADAPTIVE_CARD }, { contentType: 'application/vnd.microsoft.card.receipt', content: RECEIPT_CARD }] },
  {
    text: 'Velg:',
    inputHint: 'expectingInput',
    suggestedActions: {
      to: ['user-1'],
      actions: [
        { type: 'imBack', title: 'Nummer 41 52 63 74', value: '41 52 63 74', displayText: 'Vis 41 52 63 74' },
        { type: 'openUrl', title: 'Ring', value: 'https://bank.example/ring/98765432' },
        { type: 'postBack', title: 'Nei', value: { choice: 'no', ref: '99887766554' } },
      ],
    },
  },
];
