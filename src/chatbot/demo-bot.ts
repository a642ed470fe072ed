/**
 * The built-in demo bot, which answers when no `VENDOR_URL` is set so that the service works on
 * a laptop with no other setting. It shows what it received — the redacted text, so a person
 * sees that the number is gone — answers a few common questions in English or Norwegian, and
 * streams its answer word by word like a real chatbot, with quick replies for its topics and a
 * link. Asked for a phone number, it gives a made-up one, so the redaction of replies can be seen
 * too.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CodedError } from '../errors.js';
import type { RedactedText } from '../redact/index.js';
import type { Chatbot, ChatInput, ReplyPart, VendorAction } from './chatbot.js';
import { statelessConversation } from './stateless-conversation.js';

/** Settings of {@link createDemoBot}. */
export interface DemoBotOptions {
  /** Pause between two words of a reply, in ms (default 30; 0 in tests). */
  readonly delayMs?: number;
}

/** The languages the demo bot answers in: English and Norwegian bokmål (`nb`, as the widget names it). */
export type Language = 'en' | 'nb';
type Topic = 'contact' | 'invoice' | 'greeting' | 'other';
/** The topics a quick reply can ask about. */
const QUICK_TOPICS = ['invoice', 'contact'] as const;

/** Pause between two words when none is given: about the pace of a chatbot that streams tokens. */
export const DEFAULT_DEMO_DELAY_MS = 30;
/** Longer messages are quoted in part: the quote is a receipt, not an echo service. */
const QUOTE_LIMIT = 200;
const ELLIPSIS = '…';
/**
 * A made-up switchboard number in the format of a real Oslo one. The gateway deletes it on its
 * way to the widget, which is the point: the widget shows that replies are redacted too.
 */
export const DEMO_PHONE_NUMBER = '22 00 00 00';

const NORWEGIAN = /[æøå]|\b(hei|hallo|jeg|du|hva|hvordan|kan|ikke|takk|og|er|min|mitt|meg|faktura|betale|telefon|ringe?)\b/iu;
const TOPICS: ReadonlyArray<readonly [Topic, RegExp]> = [
  ['contact', /phone|telefon|contact|kontakt|call|ring|reach|nå dere/iu],
  ['invoice', /invoice|faktura|bill|pay|betal|regning|debt|gjeld|inkasso|instal|avdrag|utsett/iu],
  ['greeting', /^\s*(hi|hello|hey|hei|hallo|god (morgen|dag|kveld))\b/iu],
];

const RECEIPT: Record<Language, (quote: string) => string> = {
  en: (quote) => `This is what reached me: “${quote}”. Numbers of seven or more digits are removed before I see them.`,
  nb: (quote) => `Dette er det jeg fikk: «${quote}». Tall med sju eller flere sifre fjernes før jeg ser dem.`,
};

const ANSWERS: Record<Language, Record<Topic, string>> = {
  en: {
    contact: `You can call customer service on ${DEMO_PHONE_NUMBER}, weekdays 08–16. (A made-up number: you should not see it, because my replies are redacted too.)`,
    invoice:
      'I can help with invoices and payment plans. Tell me which invoice you mean by what it was for and the month it came (“the electricity bill from March”) — a full date, an account or an identity number would be removed before I see it.',
    greeting: 'Hello! I am the demo assistant. Ask me about an invoice, a payment plan or how to contact us.',
    other: 'I am only a demo assistant, but I can tell you about invoices, payment plans and how to contact us.',
  },
  nb: {
    contact: `Du kan ringe kundeservice på ${DEMO_PHONE_NUMBER}, hverdager 08–16. (Et oppdiktet nummer: du skal ikke se det, for svarene mine blir også renset.)`,
    invoice:
      'Jeg kan hjelpe med fakturaer og betalingsavtaler. Si hvilken faktura du mener med hva den gjelder og måneden den kom («strømregningen fra mars») — en hel dato, et konto- eller fødselsnummer blir fjernet før jeg ser det.',
    greeting: 'Hei! Jeg er demoassistenten. Spør meg om en faktura, en betalingsavtale eller hvordan du kontakter oss.',
    other: 'Jeg er bare en demoassistent, men jeg kan fortelle om fakturaer, betalingsavtaler og hvordan du kontakter oss.',
  },
};

const QUICK_LABELS: Record<Language, Record<(typeof QUICK_TOPICS)[number], string>> = {
  en: { invoice: 'Invoices and payment plans', contact: 'Contact us' },
  nb: { invoice: 'Faktura og betalingsavtale', contact: 'Kontakt oss' },
};
const PRIVACY_LINK: Record<Language, VendorAction> = {
  en: { label: 'Your privacy rights (Datatilsynet)', url: 'https://www.datatilsynet.no/en/' },
  nb: { label: 'Personvernet ditt (Datatilsynet)', url: 'https://www.datatilsynet.no/' },
};

/** The language of the message: Norwegian on its letters or common words, English otherwise. */
export function detectLanguage(text: string): Language {
  return NORWEGIAN.test(text) ? 'nb' : 'en';
}

function topicOf(text: string): Topic {
  return TOPICS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
}

/** The whole reply of the demo bot to one (redacted) message. */
export function composeDemoReply(text: RedactedText): string {
  return composeReply(text, detectLanguage(text), topicOf(text));
}

/** The reply to `text`, whose language and topic are known. */
function composeReply(text: RedactedText, language: Language, topic: Topic): string {
  return `${receiptOf(text, language)}${PARAGRAPH_BREAK}${ANSWERS[language][topic]}`;
}

/** Between the receipt and the answer. */
const PARAGRAPH_BREAK = '\n\n';

/** What the bot says it received: `text`, quoted on one line, cut at {@link QUOTE_LIMIT}. */
function receiptOf(text: RedactedText, language: Language): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const quote = flat.length > QUOTE_LIMIT ? flat.slice(0, QUOTE_LIMIT) + ELLIPSIS : flat;
  return RECEIPT[language](quote);
}

/** Quick replies for the topics the answer was not about, and the privacy link. */
export function composeDemoActions(language: Language, answered: Topic): VendorAction[] {
  const quick = QUICK_TOPICS.filter((topic) => topic !== answered).map((topic) => ({
    label: QUICK_LABELS[language][topic],
    payload: { topic, language },
  }));
  return [...quick, PRIVACY_LINK[language]];
}

/** A word with the whitespace after it (and, for the first, any before it). */
const WORD = /\s*\S+\s*/g;

/** Split a reply into word-sized deltas, each word with the whitespace after it. */
export function splitIntoWords(reply: string): string[] {
  // A match of words: 3.2 µs a reply against 4.9 µs for a split at lookarounds (bench/micro/demo-bot.js).
  return reply.match(WORD) ?? [reply];
}

/**
 * The words of every fixed answer, split once: they are most of each reply's words. Every answer
 * begins with a letter, so the receipt's words (its last one holding the paragraph break) and
 * these are the words of the whole reply.
 */
const ANSWER_WORDS: Record<Language, Record<Topic, readonly string[]>> = {
  en: mapTopics((topic) => splitIntoWords(ANSWERS.en[topic])),
  nb: mapTopics((topic) => splitIntoWords(ANSWERS.nb[topic])),
};

function mapTopics<T>(make: (topic: Topic) => T): Record<Topic, T> {
  return { contact: make('contact'), invoice: make('invoice'), greeting: make('greeting'), other: make('other') };
}

/** What the bot says to a message, or to a click on one of its quick replies, word by word. */
function answerTo(input: ChatInput): { words: readonly string[]; language: Language; topic: Topic } {
  if (input.kind === 'text') {
    // Language and topic read once each, and only the receipt split: 1.7 µs a reply's words
    // against 2.9 µs for the whole reply split (bench/micro/demo-bot.js).
    const language = detectLanguage(input.text);
    const topic = topicOf(input.text);
    return { words: [...splitIntoWords(receiptOf(input.text, language) + PARAGRAPH_BREAK), ...ANSWER_WORDS[language][topic]], language, topic };
  }
  const { topic, language: sent } = input.payload as { topic: Topic; language: string };
  // A quick reply offered before Norwegian was called `nb` here may come back in a resumed chat's token.
  const language: Language = sent === 'en' ? 'en' : 'nb';
  return { words: ANSWER_WORDS[language][topic], language, topic };
}

/**
 * A reply's words, then its actions, with no pause between them (`delayMs: 0`): the checks of
 * the paced reply before each word, in a hand-made iterator — an async generator's yield and
 * resume cost 8.5 µs a reply against 4.6 µs on Node 26, 10.8 against 6.8 on Node 20 (bench/micro/demo-bot.js).
 */
function unpaced(words: readonly string[], actions: ReplyPart, signal: AbortSignal, isClosed: () => boolean): AsyncIterableIterator<ReplyPart> {
  let next = 0;
  const ended: IteratorResult<ReplyPart> = { done: true, value: undefined };
  const iterator: AsyncIterableIterator<ReplyPart> = {
    [Symbol.asyncIterator]: () => iterator,
    next() {
      if (next < words.length) {
        if (signal.aborted) return Promise.reject(signal.reason as Error);
        if (isClosed()) return Promise.reject(new CodedError('vendor_unavailable'));
        return Promise.resolve({ done: false, value: { type: 'text', text: words[next++]! } });
      }
      if (next++ === words.length) return Promise.resolve({ done: false, value: actions });
      return Promise.resolve(ended);
    },
    return() {
      next = words.length + 1;
      return Promise.resolve(ended);
    },
  };
  return iterator;
}

/**
 * Create the demo bot.
 *
 * @example
 * ```ts
 * const bot = createDemoBot({ delayMs: 0 });
 * const conversation = bot.open({ conversationId: 'c', onMessage: () => {} });
 * for await (const part of conversation.reply({ kind: 'text', messageId: '1', text }, signal)) show(part);
 * ```
 */
export function createDemoBot(options: DemoBotOptions = {}): Chatbot {
  const delayMs = options.delayMs ?? DEFAULT_DEMO_DELAY_MS;
  let closed = false;

  const isClosed = (): boolean => closed;

  async function* paced(words: readonly string[], actions: ReplyPart, signal: AbortSignal): AsyncGenerator<ReplyPart, void> {
    for (let index = 0; index < words.length; index += 1) {
      // Closing is seen after the current pause at the latest: AbortSignal.any over the bot's lifelong
      // closing signal cost 43 µs a streamed reply against 26 µs without (bench/micro/demo-bot.js).
      if (index > 0) await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw signal.reason;
      if (closed) throw new CodedError('vendor_unavailable');
      yield { type: 'text', text: words[index]! };
    }
    yield actions;
  }

  function reply(input: ChatInput, signal: AbortSignal): AsyncIterable<ReplyPart> {
    const { words, language, topic } = answerTo(input);
    const actions: ReplyPart = { type: 'actions', actions: composeDemoActions(language, topic) };
    return delayMs > 0 ? paced(words, actions, signal) : unpaced(words, actions, signal, isClosed);
  }

  return {
    kind: 'demo',
    inProcess: true,
    // The privacy notice is greeting enough.
    open: () => statelessConversation(reply),
    async close() {
      closed = true;
    },
  };
}
