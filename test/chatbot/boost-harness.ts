/**
 * What the Boost adapter tests share: a Boost stub for the suite, an adapter on it per test
 * (polling every 40 ms unless told otherwise), an open conversation that keeps what it was
 * handed unasked, and readers of replies.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createBoostChatbot, type BoostOptions } from '../../src/chatbot/boost.js';
import type { ChatbotConversation, ChatInput, ReplyPart, VendorPayload } from '../../src/chatbot/chatbot.js';
import { redact } from '../../src/redact/index.js';
import { LINKS, startBoostStub, type BoostStub } from '../support/boost-stub.js';
import { createHarness, type Harness } from './adapter-harness.js';

export const GREETING = 'Hei! Jeg er Boost-boten. Ikke del personnummer\u00a0her.';
export const GREETING_ACTIONS = [
  { label: 'Faktura', payload: { type: 'action_link', id: LINKS.invoice.id } },
  { label: 'Snakk med en rådgiver', payload: { type: 'action_link', id: LINKS.human.id } },
  { label: 'Personvern', url: LINKS.privacy.url, payload: { type: 'external_link', id: LINKS.privacy.id } },
];

/** A conversation and the messages it was handed unasked. */
export interface OpenedChat {
  readonly chat: ChatbotConversation;
  readonly unsolicited: ReplyPart[][];
}

/** The stub and adapters of one test file. */
export interface BoostSuite {
  /** The suite's stub: started before the first test, reset after each. */
  readonly boost: BoostStub;
  /** Build the adapter of one test (closed after it). */
  createBoost(options?: BoostOptions, timeoutMs?: number): Harness;
  /** Open a conversation on the test's adapter, with the state of a resumed chat if given. */
  openChat(state?: unknown): OpenedChat;
}

/** Register the hooks of a Boost adapter suite and return its parts. */
export function useBoostSuite(): BoostSuite {
  let started: BoostStub | undefined;
  let harness: Harness | undefined;
  beforeAll(async () => {
    started = await startBoostStub();
  });
  afterAll(async () => {
    await started?.close();
  });
  afterEach(async () => {
    await harness?.adapter.close();
    started?.reset();
  });
  return {
    // The stub starts in a hook, after this returns; the suite's tests reach it through here.
    boost: new Proxy({} as BoostStub, { get: (_, key) => Reflect.get(started!, key) }),
    createBoost(options = {}, timeoutMs = 1_000) {
      harness = createHarness(started!.baseUrl, { kind: 'boost', timeoutMs }, (client, url) =>
        createBoostChatbot(client, url, { pollIntervalMs: 40, ...options }),
      );
      return harness;
    },
    openChat(state) {
      const unsolicited: ReplyPart[][] = [];
      const chat = harness!.adapter.open({ conversationId: 'konversasjon', ...(state !== undefined && { state }), onMessage: (parts) => void unsolicited.push([...parts]) });
      return { chat, unsolicited };
    },
  };
}

/** Read a reply or greeting to its end; never throws. */
export async function collect(parts: AsyncIterable<ReplyPart>): Promise<{ parts: ReplyPart[]; error: unknown }> {
  const seen: ReplyPart[] = [];
  try {
    for await (const part of parts) seen.push(part);
    return { parts: seen, error: undefined };
  } catch (error) {
    return { parts: seen, error };
  }
}

export const textOf = (parts: readonly ReplyPart[]): string => parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
export const say = (text: string, messageId = 'm1'): ChatInput => ({ kind: 'text', messageId, text: redact(text).text });
export const click = (payload: VendorPayload, label = 'Faktura'): ChatInput => ({ kind: 'action', messageId: 'm2', label: redact(label).text, payload });
export const signal = (): AbortSignal => new AbortController().signal;
export const waitMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** POLLs the stub has received. */
export const pollsAt = (boost: BoostStub): number => boost.commands().filter((command) => command.command === 'POLL').length;

/** Resolve once `check` holds, looking every 5 ms; fail after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await waitMs(5);
  }
}
