/**
 * The OpenAI adapter under test: built over the real shared core with real metrics and a real
 * (scrubbing) logger, pointed at the OpenAI stub; conversations to talk to and readers of what
 * a reply gave.
 */
import type { Chatbot, ChatbotConversation } from '../../src/chatbot/chatbot.js';
import { createOpenAiChatbot, type OpenAiSettings } from '../../src/chatbot/openai.js';
import { createVendorClient, type VendorClientOptions } from '../../src/chatbot/vendor-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { redact, type RedactedText } from '../../src/redact/index.js';
import { STUB_MODEL, type OpenAiStub } from '../support/openai-stub.js';
import { FAST_RETRY, TEST_TOKEN } from './adapter-harness.js';
import { keepLogLines } from '../support/log-capture.js';

export const CONVERSATION_ID = 'qwertyuiopasdfghjklz';

export interface OpenAiHarness {
  readonly chatbot: Chatbot;
  readonly metrics: Metrics;
  readonly logLines: string[];
  /** Open a conversation, resumed from `state` when given. */
  open(state?: unknown): ChatbotConversation;
}

/** The adapter for `stub` with test defaults (1 s budget, fast retries, the test token); `settings` and `client` win. */
export function createOpenAiHarness(stub: OpenAiStub, settings: Partial<OpenAiSettings> = {}, client: Partial<VendorClientOptions> = {}): OpenAiHarness {
  const metrics = createMetrics({ collectDefaults: false });
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', scrub: (text) => redact(text).text, destination: keepLogLines(logLines) });
  const core = createVendorClient({ kind: 'openai', token: TEST_TOKEN, timeoutMs: 1_000, metrics, logger, retry: FAST_RETRY, ...client });
  const chatbot = createOpenAiChatbot(core, { baseUrl: stub.baseUrl, model: STUB_MODEL, historyMessages: 20, ...settings });
  return {
    chatbot,
    metrics,
    logLines,
    open: (state) => chatbot.open({ conversationId: CONVERSATION_ID, onMessage: () => undefined, ...(state !== undefined && { state }) }),
  };
}

/** What one reply gave: its text parts and the failure it ended with, if any. */
export interface Answer {
  readonly texts: string[];
  readonly text: string;
  readonly error: unknown;
}

let messageCount = 0;

/** Send `text` (redacted first, as the gateway does) and read the reply to its end; never throws. */
export async function ask(conversation: ChatbotConversation, text: string, messageId = `m${(messageCount += 1)}`): Promise<Answer> {
  const texts: string[] = [];
  try {
    for await (const part of conversation.reply({ kind: 'text', messageId, text: redact(text).text }, new AbortController().signal)) {
      if (part.type === 'text') texts.push(part.text);
    }
    return { texts, text: texts.join(''), error: undefined };
  } catch (error) {
    return { texts, text: texts.join(''), error };
  }
}

/** Ask, then record the turn as the gateway does after a reply that ended well. */
export async function askAndRecord(conversation: ChatbotConversation, text: string): Promise<Answer> {
  const answer = await ask(conversation, text);
  if (answer.error === undefined) {
    conversation.recordTurn?.({ input: redact(text).text, reply: redact(answer.text).text as RedactedText });
  }
  return answer;
}
