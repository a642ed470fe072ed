import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../src/errors.js';
import { StreamRedactor, redact } from '../../src/redact/index.js';
import { DEMO_PHONE_NUMBER, composeDemoReply, createDemoBot, detectLanguage, splitIntoWords } from '../../src/chatbot/demo-bot.js';
import { drainReply, type TestRequest } from './adapter-harness.js';

/** What the gateway hands the bot: the user's text after redaction. */
function requestFor(userText: string): TestRequest {
  return { conversationId: 'demo', messageId: '1', text: redact(userText).text };
}

describe('demo bot', () => {
  it('quotes the redacted text it received, so the user sees the number is gone', async () => {
    const bot = createDemoBot({ delayMs: 0 });
    const { deltas, error } = await drainReply(bot, requestFor('Hei, fnr 010190 12345, kan jeg få utsettelse?'));
    expect(error).toBeUndefined();
    const reply = deltas.join('');
    expect(reply).toContain('«Hei, fnr , kan jeg få utsettelse?»');
    expect(reply).not.toMatch(/12345/u);
  });

  it('streams its reply in several word-sized deltas that add up to the whole reply', async () => {
    const request = requestFor('Hello, can I pay my invoice in instalments?');
    const { deltas } = await drainReply(createDemoBot({ delayMs: 0 }), request);
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join('')).toBe(composeDemoReply(request.text));
    for (const delta of deltas) expect(delta).toMatch(/^\S+\s*$/u);
  });

  it('property: whatever it is sent, its deltas are the words of its whole reply, each word with the whitespace after it', async () => {
    const text = fc.array(fc.constantFrom('Hei', 'hello', ' ', '\n', '\t', 'faktura', 'phone', 'æ', '«', '.', '22 00'), { maxLength: 12 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, async (userText) => {
        const request = requestFor(userText);
        const { deltas, error } = await drainReply(createDemoBot({ delayMs: 0 }), request);
        expect(error).toBeUndefined();
        expect(deltas).toEqual(splitIntoWords(composeDemoReply(request.text)));
      }),
      { numRuns: 60 },
    );
  });

  it('answers in the language it was written to, on the topic asked', () => {
    expect(detectLanguage('Hvordan betaler jeg fakturaen?')).toBe('nb');
    expect(detectLanguage('How do I pay the invoice?')).toBe('en');
    expect(composeDemoReply(redact('Hei!').text)).toContain('Jeg er demoassistenten');
    expect(composeDemoReply(redact('Hello there').text)).toContain('I am the demo assistant');
    expect(composeDemoReply(redact('Can I get a payment plan?').text)).toContain('payment plans');
    expect(composeDemoReply(redact('Kan jeg få betalingsutsettelse?').text)).toContain('betalingsavtaler');
    expect(composeDemoReply(redact('Tell me a joke').text)).toContain('only a demo assistant');
  });

  it('gives a made-up phone number when asked, which the outbound redaction then removes', async () => {
    for (const question of ['Hva er telefonnummeret deres?', 'How can I contact you?']) {
      const { deltas } = await drainReply(createDemoBot({ delayMs: 0 }), requestFor(question));
      expect(deltas.join('')).toContain(DEMO_PHONE_NUMBER);
      const redactor = new StreamRedactor();
      const shown = deltas.map((delta) => redactor.push(delta)).join('') + redactor.end();
      expect(redactor.kinds).toEqual({ phone: 1 });
      expect(shown).not.toContain(DEMO_PHONE_NUMBER);
    }
  });

  it('never asks for what will be deleted: an invoice is named by what it was for and its month, not its date', () => {
    for (const question of ['I have a question about an invoice', 'Jeg lurer på en faktura']) {
      const reply = composeDemoReply(redact(question).text);
      expect(reply).not.toMatch(/by its date|med dato/);
      expect(reply).toMatch(/month|måneden/);
    }
  });

  it('shortens a long quote', () => {
    const reply = composeDemoReply(redact(`${'ord '.repeat(200)}slutt`).text);
    expect(reply).toContain('…');
    expect(reply).not.toContain('slutt');
  });

  it('splits words with the whitespace after them', () => {
    expect(splitIntoWords('Hei der,\n\nhvordan  går det?')).toEqual(['Hei ', 'der,\n\n', 'hvordan  ', 'går ', 'det?']);
  });

  it('pauses between words, and stops promptly when the signal aborts', async () => {
    const bot = createDemoBot({ delayMs: 40 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    const { deltas, error, elapsedMs } = await drainReply(bot, requestFor('Hei'), controller.signal);
    const words = splitIntoWords(composeDemoReply(redact('Hei').text)).length;
    expect(words).toBeGreaterThan(20);
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(deltas.length).toBeLessThan(words / 2);
    expect((error as Error).name).toBe('AbortError');
    expect(elapsedMs).toBeLessThan((words * 40) / 2);
  });

  it('with no pause, stops at the word where the signal aborted or the bot closed', async () => {
    const controller = new AbortController();
    let seen = 0;
    const aborted = await drainReply(createDemoBot({ delayMs: 0 }), requestFor('Hei'), controller.signal, () => {
      seen += 1;
      if (seen === 3) controller.abort();
    });
    expect((aborted.error as Error).name).toBe('AbortError');
    expect(aborted.deltas).toHaveLength(3);
    const bot = createDemoBot({ delayMs: 0 });
    const closed = await drainReply(bot, requestFor('Hei'), undefined, () => void bot.close());
    expect(closed.deltas).toHaveLength(1);
    expect((closed.error as CodedError).code).toBe('vendor_unavailable');
  });

  it('ends pending replies with vendor_unavailable when closed', async () => {
    const bot = createDemoBot({ delayMs: 20 });
    const pending = drainReply(bot, requestFor('Hei'));
    setTimeout(() => void bot.close(), 30);
    const { deltas, error } = await pending;
    expect(deltas.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe('vendor_unavailable');
  });
});
