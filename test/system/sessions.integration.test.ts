/**
 * Sessions through the real server: a token taken to another gateway that shares the secret
 * goes on with the same conversation (its vendor state, its greeting not repeated, its buttons);
 * an expired, tampered or foreign token, or a resume that is not the first frame, gets a new
 * conversation, counted by reason, and the chat goes on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { MAX_SESSION_STATE_BYTES } from '../../src/session/chat-session.js';
import { LETTER_BITS } from '../../src/session/letter-codec.js';
import { SEALED_OVERHEAD_BYTES, createSessionSealer } from '../../src/session/session-sealer.js';
import { readMetric } from '../support/gateway-harness.js';
import { countLeaks } from '../support/leak-judge.js';
import { captureLogs } from '../support/log-capture.js';
import { createScriptedChatbot, type ScriptedChatbot } from '../support/scripted-chatbot.js';
import { connectClient, type Frame, type TestClient } from '../support/ws-client.js';

const SECRET = 'sessions-integration-secret-0123456789';
const running: Gateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.stop()));
});

interface Started {
  gateway: Gateway;
  chatbot: ScriptedChatbot;
  url: string;
  http: string;
}

async function start(
  options: { secret?: string; now?: () => number; env?: Record<string, string>; chatbot?: ScriptedChatbot; startGraceMs?: number } = {},
): Promise<Started> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SESSION_SECRET: options.secret ?? SECRET, ...options.env });
  const chatbot =
    options.chatbot ??
    createScriptedChatbot({
      greeting: ['Hei! Jeg er boten.', { type: 'actions', actions: [{ label: 'Faktura', payload: { intent: 'invoice-1234567' } }] }],
      saveState: (turns) => ({ vendorConversation: 'vendor-conv-1234567890', turns }),
    });
  const gateway = await startGateway(config, {
    chatbot,
    logDestination: captureLogs().stream,
    startGraceMs: options.startGraceMs ?? 50,
    ...(options.now !== undefined && { sessions: createSessionSealer({ secrets: [options.secret ?? SECRET], ttlSeconds: 1800, now: options.now }) }),
  });
  running.push(gateway);
  return { gateway, chatbot, url: `ws://127.0.0.1:${gateway.port}/chat`, http: `http://127.0.0.1:${gateway.port}` };
}

const sessionFrames = (client: TestClient): Frame[] => client.frames.filter((f) => f.type === 'session');
const latestToken = (client: TestClient): string => sessionFrames(client).at(-1)!.token!;

async function resumeWith(url: string, token: string): Promise<{ client: TestClient; answer: Frame }> {
  const client = await connectClient(`${url}?resume=1`);
  client.send({ type: 'resume', token });
  await client.waitFor(() => sessionFrames(client).length === 2);
  return { client, answer: sessionFrames(client)[1]! };
}

async function say(client: TestClient, id: string, text: string): Promise<string> {
  client.send({ type: 'message', id, text });
  await client.waitFor((f) => f.id === id && ((f.type === 'reply' && f.final === true) || f.type === 'error'));
  return client.frames.filter((f) => f.id === id && f.type === 'reply').map((f) => f.text).join('');
}

describe('resuming a chat', () => {
  it('goes on with the same conversation on another gateway: vendor state, no second greeting, buttons still work', async () => {
    const a = await start();
    const b = await start();
    const widget = await connectClient(a.url);
    const greeting = await widget.waitFor((f) => f.type === 'reply' && f.id === undefined);
    expect(greeting.text).toBe('Hei! Jeg er boten.');
    expect(await say(widget, 'm1', 'ring meg på 98 76 54 32')).toBe('you said: ring meg på ');
    await widget.waitFor(() => sessionFrames(widget).length >= 3);
    const conversationId = a.chatbot.opened[0]!.conversationId;
    widget.ws.close();

    const { client, answer } = await resumeWith(b.url, latestToken(widget));
    expect(answer).toMatchObject({ resumed: true, token: expect.stringMatching(/^[a-zA-Z]+$/) });
    expect(b.chatbot.opened).toHaveLength(1);
    expect(b.chatbot.opened[0]).toMatchObject({ conversationId, state: { vendorConversation: 'vendor-conv-1234567890', turns: 1 } });
    expect(await say(client, 'm2', 'og så?')).toBe('you said: og så?');
    expect(b.chatbot.requests[0]).toMatchObject({ conversationId, messageId: 'm2' });
    // The button of the greeting, offered on the first gateway, works on the second.
    client.send({ type: 'action', id: 'm3', action: greeting.actions![0]!.id });
    await client.waitFor((f) => f.id === 'm3' && f.type === 'reply' && f.final === true);
    expect(b.chatbot.requests[1]).toMatchObject({ kind: 'action', payload: { intent: 'invoice-1234567' }, text: 'Faktura' });
    // The greeting came once, on the first gateway; the resumed one started nothing new at the vendor.
    expect(client.frames.filter((f) => f.type === 'reply' && f.id === undefined)).toEqual([]);
    expect(await readMetric(b.http, 'chat_redact_sessions_total{outcome="resumed"}')).toBe(1);
    expect(await readMetric(a.http, 'chat_redact_sessions_total{outcome="new"}')).toBe(1);
    for (const frame of [...widget.frames, ...client.frames]) {
      expect(countLeaks(JSON.stringify(frame))).toBe(0);
      expect(JSON.stringify(frame)).not.toContain('vendor-conv');
      expect(JSON.stringify(frame)).not.toContain('invoice-');
    }
    client.ws.close();
  });

  it('sends a fresh token when what it carries changed, repeating resumed', async () => {
    const a = await start();
    const widget = await connectClient(a.url);
    await widget.waitFor((f) => f.type === 'reply' && f.id === undefined);
    const before = sessionFrames(widget).length;
    await say(widget, 'm1', 'hei');
    await widget.waitFor(() => sessionFrames(widget).length > before);
    const { client } = await resumeWith(a.url, latestToken(widget));
    await say(client, 'm2', 'igjen');
    await client.waitFor(() => sessionFrames(client).length === 3);
    expect(sessionFrames(client).map((f) => f.resumed)).toEqual([false, true, true]);
    expect(new Set(sessionFrames(client).map((f) => f.token)).size).toBe(3);
    client.ws.close();
    widget.ws.close();
  });

  it('starts a new conversation for an expired token (hand-moved clock), counted as expired', async () => {
    let now = Date.UTC(2026, 11, 1, 8);
    const a = await start({ now: () => now });
    const widget = await connectClient(a.url);
    await widget.waitFor((f) => f.type === 'reply' && f.id === undefined);
    now += 1801_000;
    const { client, answer } = await resumeWith(a.url, sessionFrames(widget)[0]!.token!);
    expect(answer.resumed).toBe(false);
    expect(a.chatbot.opened[1]!.state).toBeUndefined();
    expect(a.chatbot.opened[1]!.conversationId).not.toBe(a.chatbot.opened[0]!.conversationId);
    await client.waitFor((f) => f.type === 'reply' && f.id === undefined);
    expect(await say(client, 'm1', 'hei')).toBe('you said: hei');
    expect(await readMetric(a.http, 'chat_redact_sessions_total{outcome="expired"}')).toBe(1);
    client.ws.close();
    widget.ws.close();
  });

  it('starts a new conversation for a tampered, foreign or malformed token, counted as invalid', async () => {
    const a = await start();
    const foreign = await start({ secret: 'another-deployment-secret-abcdefghijkl' });
    const widget = await connectClient(foreign.url);
    await widget.waitFor((f) => f.type === 'session');
    const token = sessionFrames(widget)[0]!.token!;
    const tampered = token.slice(0, 40) + (token[40] === 'a' ? 'b' : 'a') + token.slice(41);
    for (const bad of [token, tampered, 'not a token', 'abc']) {
      const { client, answer } = await resumeWith(a.url, bad);
      expect(answer.resumed).toBe(false);
      expect(await say(client, 'x', 'hei')).toBe('you said: hei');
      client.ws.close();
    }
    expect(await readMetric(a.http, 'chat_redact_sessions_total{outcome="invalid"}')).toBe(4);
    widget.ws.close();
  });

  it('refuses a resume that is not the first frame, and the chat goes on', async () => {
    const a = await start();
    const widget = await connectClient(a.url);
    await say(widget, 'm1', 'hei');
    const token = latestToken(widget);
    widget.send({ type: 'resume', token });
    const error = await widget.waitFor((f) => f.type === 'error');
    expect(error).toEqual({ type: 'error', code: 'invalid_message', message: expect.any(String) });
    expect(await say(widget, 'm2', 'fortsatt her')).toBe('you said: fortsatt her');
    expect(a.chatbot.opened).toHaveLength(1);
    widget.ws.close();
  });

  it('keeps a token at its largest within the frame limit: the history is trimmed to fit, and it resumes', async () => {
    for (const maxMessageBytes of [1024, 16_384]) {
      const chatbot = createScriptedChatbot({
        saveState: (turns, maxBytes) => {
          const history: string[] = [];
          for (let turn = 0; turn < 400; turn += 1) history.push(`turn ${turn} `.padEnd(60, 'x'));
          while (history.length > 0 && Buffer.byteLength(JSON.stringify({ history })) > maxBytes) history.shift();
          return { history };
        },
      });
      const env = { MAX_MESSAGE_BYTES: String(maxMessageBytes) };
      const a = await start({ chatbot, env });
      const widget = await connectClient(a.url);
      await say(widget, 'm1', 'hei');
      const token = latestToken(widget);
      expect(Buffer.byteLength(JSON.stringify({ type: 'resume', token }))).toBeLessThanOrEqual(maxMessageBytes);
      const { client, answer } = await resumeWith(a.url, token);
      expect(answer.resumed).toBe(true);
      const restored = (chatbot.opened[1]!.state as { history: string[] }).history;
      expect(restored.length).toBeGreaterThan(maxMessageBytes === 1024 ? 3 : 100);
      expect(restored.at(-1)).toMatch(/^turn 399 /);
      client.ws.close();
      widget.ws.close();
    }
  });
});

describe('the size of a session token, whatever the widget sends', () => {
  /** A token at its largest: every stand-in id, a vendor state filling its room, buttons with long labels. */
  function fullChatbot(): ScriptedChatbot {
    return createScriptedChatbot({
      saveState: (turns, maxBytes) => {
        const history: string[] = [];
        for (let turn = 0; turn < 400; turn += 1) history.push(`turn ${turn} `.padEnd(60, 'x'));
        while (history.length > 0 && Buffer.byteLength(JSON.stringify({ history, turns })) > maxBytes) history.shift();
        return { history, turns };
      },
      reply: async function* reply(input) {
        yield `ok ${input.text}`;
        yield { type: 'actions', actions: [{ label: `Velg ${'å'.repeat(1000)}`, payload: { pick: 'æ'.repeat(1000) } }] };
      },
    });
  }

  it('refuses ids of control or format characters, and lone surrogates, with invalid_message; printable ones of any script are taken', async () => {
    const a = await start();
    const widget = await connectClient(a.url);
    for (const id of ['\u0001'.repeat(64), 'm\n1', 'm\u200b1', 'm\u202e1', '\ud800', 'm\u2028', '\ue000']) {
      widget.frames.length = 0;
      widget.send({ type: 'message', id, text: 'hei' });
      const error = await widget.waitFor((f) => f.type === 'error');
      expect(error, JSON.stringify(id)).toMatchObject({ code: 'invalid_message' });
      expect(error.id).toBeUndefined();
      widget.send({ type: 'action', id: 'ok', action: id });
      expect(await widget.waitFor((f) => f.type === 'error' && f.id === 'ok')).toMatchObject({ code: 'invalid_message' });
    }
    for (const id of ['漢字 ok', '😀', 'fnr 010190 12345', 'Ærlig-spørsmål', '٣']) {
      expect(await say(widget, id, 'hei'), id).toBe('you said: hei');
    }
    widget.ws.close();
  });

  it('comes back in one frame of MAX_MESSAGE_BYTES with the longest ids, and a resent id keeps its stand-in', async () => {
    const largest = Math.ceil(((MAX_SESSION_STATE_BYTES + SEALED_OVERHEAD_BYTES) * 8) / LETTER_BITS);
    for (const maxMessageBytes of [512, 16_384]) {
      const chatbot = fullChatbot();
      const a = await start({ chatbot, env: { MAX_MESSAGE_BYTES: String(maxMessageBytes), RATE_LIMIT_PER_MINUTE: '6000' } });
      const widget = await connectClient(a.url);
      // 64 characters of three UTF-8 bytes each, none of which a header may carry: a stand-in each.
      const ids = Array.from({ length: 70 }, (_, n) => `${'漢'.repeat(62)}${'abcdefghijklmnopqrstuvwxyz'[n % 26]}${'ABC'[Math.floor(n / 26)]}`);
      for (const id of ids) expect(await say(widget, id, 'hei')).toBe('ok hei');
      // The token that carries the last stand-in comes after the last reply.
      const lastReply = widget.frames.findLastIndex((f) => f.type === 'reply' && f.final === true);
      await widget.waitFor((f) => f.type === 'session' && widget.frames.indexOf(f) > lastReply);
      const token = latestToken(widget);
      expect(token.length).toBeLessThanOrEqual(largest);
      expect(Buffer.byteLength(JSON.stringify({ type: 'resume', token })), `${maxMessageBytes}`).toBeLessThanOrEqual(maxMessageBytes);
      const sent = chatbot.requests.at(-1)!;
      widget.ws.close();

      const { client, answer } = await resumeWith(a.url, token);
      expect(answer.resumed).toBe(true);
      expect(await say(client, ids.at(-1)!, 'hei igjen')).toBe('ok hei igjen');
      // The vendor sees the message sent again under the id it had: its idempotency key.
      expect(chatbot.requests.at(-1)!.messageId).toBe(sent.messageId);
      expect(sent.messageId).toMatch(/^@[a-z]+$/);
      for (const frame of [...widget.frames, ...client.frames]) expect(countLeaks(JSON.stringify(frame))).toBe(0);
      client.ws.close();
    }
    expect(largest).toBeLessThan(11.5 * 1024);
  });
});

describe('the resume intent of the upgrade', () => {
  it('?resume=1 waits for the token however late it comes: no new conversation, no greeting in between', async () => {
    const a = await start();
    const widget = await connectClient(a.url);
    await widget.waitFor((f) => f.type === 'reply' && f.id === undefined);
    await say(widget, 'm1', 'hei');
    const token = latestToken(widget);
    widget.ws.close();
    const late = await connectClient(`${a.url}?resume=1`);
    // Well past the grace a client that says nothing gets.
    await new Promise((resolve) => setTimeout(resolve, 400));
    late.send({ type: 'resume', token });
    await late.waitFor(() => sessionFrames(late).length === 2);
    expect(sessionFrames(late)[1]!.resumed).toBe(true);
    expect(late.frames.filter((f) => f.type === 'reply')).toEqual([]);
    expect(a.chatbot.opened).toHaveLength(2);
    expect(a.chatbot.starts).toBe(1);
    late.ws.close();
  });

  it('?resume=0 starts the conversation at once; without an intent a chat waits a moment for a resume', async () => {
    const a = await start({ startGraceMs: 5_000 });
    const eager = await connectClient(`${a.url}?resume=0`);
    const greeted = performance.now();
    await eager.waitFor((f) => f.type === 'reply' && f.id === undefined, 2_000);
    expect(performance.now() - greeted).toBeLessThan(2_000);
    const undecided = await connectClient(a.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(undecided.frames.filter((f) => f.type === 'reply')).toEqual([]);
    expect(a.chatbot.opened).toHaveLength(1);
    eager.ws.close();
    undecided.ws.close();
  });

  it('without an intent, a resume after the grace is late and refused; the chat goes on new', async () => {
    const a = await start();
    const widget = await connectClient(a.url);
    await say(widget, 'm1', 'hei');
    const token = latestToken(widget);
    widget.ws.close();
    const slow = await connectClient(a.url);
    await slow.waitFor((f) => f.type === 'reply' && f.id === undefined);
    slow.send({ type: 'resume', token });
    expect(await slow.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'invalid_message' });
    slow.ws.close();
  });
});

describe('what the widget reports it removed', () => {
  it('is counted by kind; a bad report is ignored and the message still goes', async () => {
    const a = await start();
    const widget = await connectClient(a.url);
    widget.send({ type: 'message', id: 'm1', text: 'fnr  takk', removed: { national_id: 1, phone: 2 } });
    widget.send({ type: 'message', id: 'm2', text: 'hei', removed: { fnr: 1 } });
    await widget.waitFor((f) => f.id === 'm2' && f.type === 'reply' && f.final === true);
    expect(await readMetric(a.http, 'chat_redact_widget_redactions_total{kind="national_id"}')).toBe(1);
    expect(await readMetric(a.http, 'chat_redact_widget_redactions_total{kind="phone"}')).toBe(2);
    expect(await readMetric(a.http, 'chat_redact_widget_redactions_total{kind="other"}')).toBe(0);
    widget.ws.close();
  });
});
