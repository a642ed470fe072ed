/**
 * What the vendor adapter tests share: an adapter wired to real metrics and a real (scrubbing)
 * logger whose lines the test can read, a way to drain a reply into its deltas and its error,
 * and readers for the vendor metrics.
 */
import { expect } from 'vitest';
import type { ErrorCode } from '../../src/errors.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics, type VendorOutcome } from '../../src/observability/metrics.js';
import { redact } from '../../src/redact/index.js';
import type { Chatbot, ChatInput } from '../../src/chatbot/chatbot.js';
import type { RedactedText } from '../../src/redact/index.js';
import { createGenericChatbot } from '../../src/chatbot/generic.js';
import { createVendorClient, type VendorClient, type VendorClientOptions } from '../../src/chatbot/vendor-client.js';
import { VendorFailure } from '../../src/chatbot/vendor-failure.js';
import { keepLogLines } from '../support/log-capture.js';

export const TEST_TOKEN = 'tok-Zq8-secret';
/** A message text with a distinctive word, to prove that no log line carries it. */
export const TEST_TEXT = redact('Kvitteringsspørsmål om fakturaen min, fnr  takk').text;
/** One message as the gateway hands it to a chatbot: the conversation and the redacted text. */
export interface TestRequest {
  readonly conversationId: string;
  readonly messageId: string;
  readonly text: RedactedText;
}
export const TEST_REQUEST: TestRequest = Object.freeze({
  conversationId: 'conv-7f3a',
  messageId: 'msg-1',
  text: TEST_TEXT,
});
/** Retries fast enough for tests: first backoff 5–10 ms. */
export const FAST_RETRY = Object.freeze({ maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 });

/** An adapter under test, with its metrics and the log lines it wrote. */
export interface Harness {
  readonly adapter: Chatbot;
  readonly metrics: Metrics;
  readonly logLines: string[];
}

/**
 * Build an adapter for `url` with test defaults (1 s budget, fast retries); `overrides` win.
 * `build` makes the adapter over the core (default: the generic one).
 */
export function createHarness(
  url: string,
  overrides: Partial<VendorClientOptions> = {},
  build: (client: VendorClient, url: string) => Chatbot = createGenericChatbot,
): Harness {
  const metrics = createMetrics({ collectDefaults: false });
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    scrub: (text) => redact(text).text,
    destination: keepLogLines(logLines),
  });
  const client = createVendorClient({ kind: 'generic', timeoutMs: 1_000, metrics, logger, retry: FAST_RETRY, ...overrides });
  const adapter = build(client, url);
  return { adapter, metrics, logLines };
}

/** What came of one `reply` call. */
export interface Drained {
  readonly deltas: string[];
  readonly error: unknown;
  readonly elapsedMs: number;
}

/** Read a reply to its end; never throws. */
export async function drainReply(
  adapter: Chatbot,
  request: TestRequest = TEST_REQUEST,
  signal: AbortSignal = new AbortController().signal,
  onDelta?: (delta: string) => void,
): Promise<Drained> {
  const startedAt = performance.now();
  const deltas: string[] = [];
  try {
    for await (const delta of replyTexts(adapter, request, signal)) {
      deltas.push(delta);
      onDelta?.(delta);
    }
    return { deltas, error: undefined, elapsedMs: performance.now() - startedAt };
  } catch (error) {
    return { deltas, error, elapsedMs: performance.now() - startedAt };
  }
}

/** The text parts of the reply `chatbot` gives to `request`, in a conversation of their own. */
export async function* replyTexts(chatbot: Chatbot, request: TestRequest, signal: AbortSignal): AsyncGenerator<string, void> {
  const conversation = chatbot.open({ conversationId: request.conversationId, onMessage: () => undefined });
  const input: ChatInput = { kind: 'text', messageId: request.messageId, text: request.text };
  for await (const part of conversation.reply(input, signal)) if (part.type === 'text') yield part.text;
}

/** Assert that `error` is a vendor failure with `code`. */
export function expectFailure(error: unknown, code: ErrorCode): VendorFailure {
  expect(error).toBeInstanceOf(VendorFailure);
  expect((error as VendorFailure).code).toBe(code);
  return error as VendorFailure;
}

/** `vendor_requests_total` by outcome. */
export async function readOutcomes(metrics: Metrics): Promise<Record<VendorOutcome, number>> {
  const { values } = await metrics.vendorRequests.get();
  return Object.fromEntries(values.map(({ labels, value }) => [labels.outcome, value])) as Record<VendorOutcome, number>;
}

/** Observations of `vendor_duration_seconds`. */
export async function readDurationCount(metrics: Metrics): Promise<number> {
  const { values } = await metrics.vendorDuration.get();
  return values.find((value) => value.metricName?.endsWith('_count'))?.value ?? 0;
}
