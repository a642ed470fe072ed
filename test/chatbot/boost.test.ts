import { describe, expect, it } from 'vitest';
import { boostChatUrl, createBoostChatbot } from '../../src/chatbot/boost.js';
import { redact } from '../../src/redact/index.js';
import { LINKS, MAX_INPUT_CHARS, boostError, textElement } from '../support/boost-stub.js';
import { click, collect, GREETING, GREETING_ACTIONS, say, signal, textOf, useBoostSuite } from './boost-harness.js';
import { freePort } from '../support/ports.js';
import { FAST_RETRY, createHarness, expectFailure, readOutcomes } from './adapter-harness.js';

const { boost, createBoost, openChat } = useBoostSuite();

describe('boost adapter: the Chat API v2 commands', () => {
  it('starts with START (clean, no language: the bot’s own) and yields the greeting with its links as actions', async () => {
    createBoost();
    const { chat } = openChat();
    const { parts, error } = await collect(chat.start(signal()));
    expect(error).toBeUndefined();
    expect(parts).toEqual([{ type: 'text', text: GREETING }, { type: 'actions', actions: GREETING_ACTIONS }]);
    const [request] = boost.http.requests;
    expect(request!.path).toBe('/api/chat/v2');
    expect(request!.body).toEqual({ command: 'START', clean: true });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.idempotencyKey).toBeUndefined();
  });

  it('asks START for the configured language', async () => {
    createBoost({ language: 'nb-NO' });
    await collect(openChat().chat.start(signal()));
    expect(boost.commands()).toEqual([{ command: 'START', language: 'nb-NO', clean: true }]);
  });

  it('holds one conversation across messages: POST text with the conversation id and the redacted value', async () => {
    createBoost();
    const { chat } = openChat();
    await collect(chat.start(signal()));
    const first = await collect(chat.reply(say('Min konto er 1234.56.78903'), signal()));
    const second = await collect(chat.reply(say('og så?', 'm2'), signal()));
    expect(textOf(first.parts)).toBe('Du skrev: Min konto er');
    expect(textOf(second.parts)).toBe('Du skrev: og så?');
    const [id] = boost.conversationIds();
    expect(boost.conversationIds()).toHaveLength(1);
    expect(boost.commands().slice(1)).toEqual([
      { command: 'POST', type: 'text', value: 'Min konto er ', conversation_id: id, clean: true },
      { command: 'POST', type: 'text', value: 'og så?', conversation_id: id, clean: true },
    ]);
  });

  it('sends a click as POST action_link with the link id; HTML across tags and entities comes as one number', async () => {
    createBoost();
    const { chat } = openChat();
    await collect(chat.start(signal()));
    const { parts } = await collect(chat.reply(click({ type: 'action_link', id: LINKS.invoice.id }), signal()));
    expect(boost.commands()[1]).toEqual({ command: 'POST', type: 'action_link', id: LINKS.invoice.id, conversation_id: boost.conversationIds()[0], clean: true });
    expect(textOf(parts)).toBe('Betal til konto 7694.05.20300, KID 12 34 56 78.');
    expect(redact(textOf(parts)).text).toBe('Betal til konto , KID .');
  });

  it('tells Boost of an external link’s click (for its statistics) and shows nothing for it', async () => {
    createBoost();
    const { chat } = openChat();
    await collect(chat.start(signal()));
    const { parts, error } = await collect(chat.reply(click({ type: 'external_link', id: LINKS.privacy.id }, 'Personvern'), signal()));
    expect([parts, error]).toEqual([[], undefined]);
    expect(boost.commands()[1]).toMatchObject({ command: 'POST', type: 'external_link', id: LINKS.privacy.id });
  });

  it('refuses a payload that is no Boost link, without asking Boost', async () => {
    createBoost();
    const { chat } = openChat();
    await collect(chat.start(signal()));
    expectFailure((await collect(chat.reply(click('/restart'), signal()))).error, 'vendor_error');
    expect(boost.http.requests).toHaveLength(1);
  });

  it('passes over element types it cannot show and takes ids written as numbers', async () => {
    createBoost();
    const { chat } = openChat();
    await collect(chat.start(signal()));
    boost.http.script({
      kind: 'json',
      body: {
        conversation: { id: boost.conversationIds()[0], state: { chat_status: 'virtual_agent', max_input_chars: 90, poll: null } },
        posted_id: 1683990,
        response: {
          id: 1683991,
          source: 'bot',
          elements: [
            { type: 'image', payload: { url: 'https://stub.boost.ai/img/kart.png' } },
            { type: 'video', payload: { url: 'https://vimeo.com/1', source: 'vimeo' } },
            { type: 'json', payload: { json: { template: 'genericCard', heading: { text: 'Kort' } } } },
            { type: 'text', payload: { text: null } },
            { type: 'carousel', payload: {} },
            { type: 'text', payload: { text: 'Bare dette.' } },
            { type: 'links', payload: { links: [{ id: 184799, text: 'Neste', type: 'action_link' }, { id: '1', text: 'Uten lenke', type: 'external_link' }] } },
          ],
        },
      },
    });
    const { parts } = await collect(chat.reply(say('kart'), signal()));
    expect(parts).toEqual([
      { type: 'text', text: 'Bare dette.' },
      { type: 'actions', actions: [{ label: 'Neste', payload: { type: 'action_link', id: '184799' } }] },
    ]);
    expect(chat.maxInputLength).toBe(90);
  });

  it('knows max_input_chars once START has answered', async () => {
    createBoost();
    const { chat } = openChat();
    expect(chat.maxInputLength).toBeUndefined();
    await collect(chat.start(signal()));
    expect(chat.maxInputLength).toBe(MAX_INPUT_CHARS);
  });

  it('takes VENDOR_URL with or without a trailing slash or the API path', () => {
    for (const base of ['https://acme.boost.ai', 'https://acme.boost.ai/', 'https://acme.boost.ai/api/chat/v2', 'https://acme.boost.ai/api/chat/v2/']) {
      expect(boostChatUrl(base)).toBe('https://acme.boost.ai/api/chat/v2');
    }
  });
});

describe('boost adapter: session state', () => {
  it('saves the conversation id, the newest response id and max_input_chars, within the bytes it is given', async () => {
    createBoost();
    const { chat } = openChat();
    expect(chat.saveState(1_000)).toBeUndefined();
    await collect(chat.start(signal()));
    const state = chat.saveState(1_000);
    expect(state).toEqual({ c: boost.conversationIds()[0], r: '1683979', m: MAX_INPUT_CHARS });
    expect(chat.saveState(Buffer.byteLength(JSON.stringify(state)))).toEqual(state);
    expect(chat.saveState(Buffer.byteLength(JSON.stringify(state)) - 1)).toBeUndefined();
  });

  it('a resumed conversation sends no second START and goes on with the same Boost conversation', async () => {
    createBoost();
    const first = openChat().chat;
    await collect(first.start(signal()));
    const state = first.saveState(1_000);
    first.close();
    const { chat } = openChat(JSON.parse(JSON.stringify(state)) as unknown);
    expect((await collect(chat.start(signal()))).parts).toEqual([]);
    expect(chat.maxInputLength).toBe(MAX_INPUT_CHARS);
    await collect(chat.reply(say('hei igjen'), signal()));
    expect(boost.commands().map((command) => command.command)).toEqual(['START', 'POST']);
    expect(boost.commands()[1]!.conversation_id).toBe(boost.conversationIds()[0]);
  });

  it('starts afresh from a state it cannot use', async () => {
    createBoost();
    for (const state of [{ c: 5 }, 'nxa5G6sK', { c: '' }, { c: 'x', p: 'yes' }]) {
      const { chat } = openChat(state);
      expect(textOf((await collect(chat.start(signal()))).parts)).toBe(GREETING);
    }
    expect(boost.conversationIds()).toHaveLength(4);
  });

  it('if START failed when the chat opened, the first message starts it and shows the greeting first', async () => {
    createBoost();
    const { chat } = openChat();
    boost.http.script(boostError(500, 'Internal server error'));
    expectFailure((await collect(chat.start(signal()))).error, 'vendor_error');
    const { parts } = await collect(chat.reply(say('hallo'), signal()));
    expect(textOf(parts)).toBe(`${GREETING}\n\nDu skrev: hallo`);
    expect(boost.commands().map((command) => command.command)).toEqual(['START', 'START', 'POST']);
  });

  it('shows that greeting even when the message after it fails', async () => {
    createBoost();
    const { chat } = openChat();
    boost.http.script(boostError(500, 'Internal server error'));
    await collect(chat.start(signal()));
    // Longer than max_input_chars, which the adapter has not heard of yet: Boost refuses it.
    const { parts, error } = await collect(chat.reply(say('ord '.repeat(MAX_INPUT_CHARS)), signal()));
    expectFailure(error, 'vendor_error');
    expect(textOf(parts)).toBe(GREETING);
  });
});

describe('boost adapter: failures, as Boost sends them', () => {
  it('a 400 with Boost’s error body is vendor_error, not retried, and its text is logged nowhere', async () => {
    const { logLines } = createBoost();
    const { chat } = openChat();
    await collect(chat.start(signal()));
    boost.http.script(boostError(400, 'Conversation not found: nxa5G6sK'));
    expectFailure((await collect(chat.reply(say('hei'), signal()))).error, 'vendor_error');
    expect(boost.http.requests).toHaveLength(2);
    expect(logLines.join('\n')).not.toContain('Conversation not found');
  });

  it('a 500 is vendor_error and not retried', async () => {
    createBoost();
    boost.http.script(boostError(500, 'Internal server error'));
    expectFailure((await collect(openChat().chat.start(signal()))).error, 'vendor_error');
    expect(boost.http.requests).toHaveLength(1);
  });

  it('a 429 with Retry-After is waited out and the same command sent again', async () => {
    createBoost({}, 5_000);
    const { chat } = openChat();
    await collect(chat.start(signal()));
    boost.http.script(boostError(429, 'Too many requests', 1));
    const { parts } = await collect(chat.reply(say('hei'), signal()));
    expect(textOf(parts)).toBe('Du skrev: hei');
    const [refused, sent] = boost.http.requests.slice(1);
    expect(sent!.rawBody).toBe(refused!.rawBody);
    expect(sent!.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(980);
  });

  it('a 503 (a load balancer’s HTML page) is retried', async () => {
    const { metrics } = createBoost();
    boost.http.script({ kind: 'raw', status: 503, contentType: 'text/html', body: '<html><body>503 Service Unavailable</body></html>' });
    expect(textOf((await collect(openChat().chat.start(signal()))).parts)).toBe(GREETING);
    expect(boost.commands().map((command) => command.command)).toEqual(['START', 'START']);
    expect((await readOutcomes(metrics)).retried).toBe(1);
  });

  it('a POST is not sent again after a 502, a 504 or a broken connection: Boost may have acted on it', async () => {
    const { metrics } = createBoost();
    const { chat } = openChat();
    await collect(chat.start(signal()));
    boost.http.script(boostError(502, 'Bad gateway'), boostError(504, 'Gateway timeout'), { kind: 'reset' });
    expectFailure((await collect(chat.reply(say('en'), signal()))).error, 'vendor_unavailable');
    expectFailure((await collect(chat.reply(say('to'), signal()))).error, 'vendor_timeout');
    expectFailure((await collect(chat.reply(say('tre'), signal()))).error, 'vendor_unavailable');
    expect(boost.commands().map((command) => command.value)).toEqual([undefined, 'en', 'to', 'tre']);
    expect((await readOutcomes(metrics)).retried).toBe(0);
  });

  it('a START is sent again when the bot could not be reached at all', async () => {
    const { adapter, metrics } = createHarness(`http://127.0.0.1:${await freePort()}`, { kind: 'boost', retry: FAST_RETRY }, createBoostChatbot);
    const chat = adapter.open({ conversationId: 'konversasjon', onMessage: () => undefined });
    expectFailure((await collect(chat.start(signal()))).error, 'vendor_unavailable');
    expect((await readOutcomes(metrics)).retried).toBe(FAST_RETRY.maxAttempts - 1);
    await adapter.close();
  });

  it('an answer that is not Boost’s shape is vendor_error', async () => {
    createBoost();
    boost.http.script(
      { kind: 'raw', contentType: 'application/json', body: '{"conversation": ' },
      { kind: 'json', body: { response: { id: '1', elements: [] } } },
      { kind: 'json', body: { conversation: { state: { chat_status: 'virtual_agent' } } } },
      { kind: 'raw', contentType: 'text/html', body: '<html>Boost</html>' },
    );
    for (let attempt = 0; attempt < 4; attempt += 1) expectFailure((await collect(openChat().chat.start(signal()))).error, 'vendor_error');
    expect(boost.http.requests).toHaveLength(4);
  });

  it('an answer larger than the JSON limit is refused rather than read', async () => {
    createBoost();
    const huge = JSON.stringify({ conversation: { id: 'x', state: {} }, response: { id: '1', elements: [textElement('ord '.repeat(300_000))] } });
    boost.http.script({ kind: 'raw', contentType: 'application/json', body: huge });
    const failure = expectFailure((await collect(openChat().chat.start(signal()))).error, 'vendor_error');
    expect(failure.reason).toBe('too_large');
  });
});

