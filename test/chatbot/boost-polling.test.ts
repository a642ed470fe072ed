import { describe, expect, it } from 'vitest';
import type { ChatbotConversation, ReplyPart } from '../../src/chatbot/chatbot.js';
import { LINKS, MAX_INPUT_CHARS, boostError, textElement } from '../support/boost-stub.js';
import { click, collect, pollsAt, say, signal, textOf, useBoostSuite, waitMs, waitUntil } from './boost-harness.js';
import { FAST_RETRY } from './adapter-harness.js';

const { boost, createBoost, openChat } = useBoostSuite();
const polls = (): number => pollsAt(boost);

describe('boost adapter: human chat (state.poll)', () => {
  async function startHumanChat(): Promise<{ chat: ChatbotConversation; unsolicited: ReplyPart[][]; id: string }> {
    const opened = openChat();
    await collect(opened.chat.start(signal()));
    const { parts } = await collect(opened.chat.reply(click({ type: 'action_link', id: LINKS.human.id }), signal()));
    expect(textOf(parts)).toBe('Du er satt i kø til en rådgiver.');
    return { ...opened, id: boost.conversationIds()[0]! };
  }

  it('polls from the newest response id and hands each agent message over; the user’s own are not echoed', async () => {
    createBoost();
    const { chat, unsolicited, id } = await startHumanChat();
    await waitUntil(() => polls() >= 2);
    expect(boost.commands().find((command) => command.command === 'POLL')).toEqual({ command: 'POLL', conversation_id: id, value: '1683980', clean: true });
    boost.agentWrites(id, textElement('Hei, jeg heter Kari.'));
    await waitUntil(() => unsolicited.length === 1);
    expect(await collect(chat.reply(say('Hei Kari'), signal()))).toEqual({ parts: [], error: undefined });
    boost.agentWrites(id, textElement('Hva gjelder det?'), textElement('Jeg ser på saken.'));
    await waitUntil(() => unsolicited.length === 2);
    await waitUntil(() => polls() >= 8);
    expect(unsolicited.map(textOf)).toEqual(['Hei, jeg heter Kari.', 'Hva gjelder det?\n\nJeg ser på saken.']);
    expect(chat.saveState(1_000)).toMatchObject({ p: true });
    chat.close();
  });

  it('stops polling when the human chat ends, after the agent’s last words', async () => {
    createBoost();
    const { chat, unsolicited, id } = await startHumanChat();
    boost.endHumanChat(id);
    await waitUntil(() => unsolicited.length === 1);
    const after = polls();
    await waitMs(200);
    expect(polls()).toBe(after);
    expect(unsolicited.map(textOf)).toEqual(['Rådgiveren har avsluttet chatten.']);
    expect(chat.saveState(1_000)).not.toHaveProperty('p');
    chat.close();
  });

  it('stops polling when the chat goes away, and hands nothing over after that', async () => {
    createBoost();
    const { chat, unsolicited, id } = await startHumanChat();
    await waitUntil(() => polls() >= 1);
    chat.close();
    const after = polls();
    boost.agentWrites(id, textElement('Er du der?'));
    await waitMs(200);
    expect([polls(), unsolicited.length]).toEqual([after, 0]);
  });

  it('a failing POLL is tried again later and later until it works', async () => {
    createBoost();
    const { unsolicited, id, chat } = await startHumanChat();
    const failures = Array.from({ length: FAST_RETRY.maxAttempts * 2 }, () => boostError(503, 'Service unavailable'));
    boost.http.script(...failures);
    boost.agentWrites(id, textElement('Beklager ventetiden.'));
    await waitUntil(() => unsolicited.length === 1, 5_000);
    const pollTimes = boost.http.requests.filter((request) => (request.body as { command?: string }).command === 'POLL').map((request) => request.receivedAt);
    // Two failed turns of four attempts each, then success: the wait after the second failed turn is the longer one.
    const waits = [pollTimes[4]! - pollTimes[3]!, pollTimes[8]! - pollTimes[7]!];
    expect(waits[0]).toBeGreaterThanOrEqual(18);
    expect(waits[1]).toBeGreaterThanOrEqual(38);
    expect(unsolicited.map(textOf)).toEqual(['Beklager ventetiden.']);
    chat.close();
  });

  it('Boost refusing a POLL (a 4xx) ends the polling', async () => {
    createBoost();
    const { chat } = await startHumanChat();
    boost.http.script(boostError(400, 'Conversation not found'));
    await waitUntil(() => polls() === 1);
    await waitMs(200);
    expect(polls()).toBe(1);
    expect(chat.saveState(1_000)).not.toHaveProperty('p');
  });

  it('an agent message that came with the answer to a message is not handed over again by a POLL', async () => {
    createBoost({ pollIntervalMs: 150 });
    const { chat, unsolicited, id } = await startHumanChat();
    const agentId = boost.agentWrites(id, textElement('Jeg er her.'));
    const state = { chat_status: 'assigned_to_human', poll: true, max_input_chars: MAX_INPUT_CHARS };
    boost.http.script({
      kind: 'json',
      body: { conversation: { id, state }, posted_id: Number(agentId) + 1, responses: [{ id: agentId, source: 'bot', elements: [textElement('Jeg er her.')] }] },
    });
    const { parts } = await collect(chat.reply(say('Hallo?'), signal()));
    expect(textOf(parts)).toBe('Jeg er her.');
    await waitUntil(() => polls() >= 3, 3_000);
    expect(unsolicited).toEqual([]);
    chat.close();
  });

  it('an answer to a message during a human chat moves no cursor past agent messages a POLL has still to bring', async () => {
    createBoost({ pollIntervalMs: 150 });
    const { chat, unsolicited, id } = await startHumanChat();
    const waiting = boost.agentWrites(id, textElement('Jeg kommer straks.'));
    const state = { chat_status: 'assigned_to_human', poll: true };
    const later = String(Number(waiting) + 2);
    boost.http.script({ kind: 'json', body: { conversation: { id, state }, response: { id: later, source: 'bot', elements: [textElement('Meldingen er sendt.')] } } });
    expect(textOf((await collect(chat.reply(say('Hallo?'), signal()))).parts)).toBe('Meldingen er sendt.');
    await waitUntil(() => unsolicited.length === 1, 3_000);
    expect(unsolicited.map(textOf)).toEqual(['Jeg kommer straks.']);
    chat.close();
  });

  it('a resumed human chat polls at once, for what the agent wrote while the widget was away', async () => {
    createBoost({ pollIntervalMs: 5_000 });
    const first = await startHumanChat();
    const state = first.chat.saveState(1_000);
    first.chat.close();
    boost.agentWrites(first.id, textElement('Fikk du svaret mitt?'));
    const { chat, unsolicited } = openChat(state);
    await collect(chat.start(signal()));
    await waitUntil(() => unsolicited.length === 1, 1_000);
    expect(unsolicited.map(textOf)).toEqual(['Fikk du svaret mitt?']);
    chat.close();
  });
});
