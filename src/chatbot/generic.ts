/**
 * The generic adapter: the vendor contract of the README (`VENDOR_KIND=generic`). One `POST
 * VENDOR_URL` per message with `{conversationId, messageId, text}` and an idempotency key; the
 * answer is JSON (`{"replies":[{"text"}]}`) or server-sent events whose `data` is `{"text"}`.
 *
 * @module
 */
import { z } from 'zod';
import type { Chatbot, ChatInput, ReplyPart } from './chatbot.js';
import { SSE_DONE, isJsonMediaType, onSuccess, parseJsonAs, readBodyText, readMediaType, readSseEvents } from './response-body.js';
import { statelessConversation } from './stateless-conversation.js';
import type { VendorClient } from './vendor-client.js';
import { idempotencyKeyOf, type ResponseReader } from './vendor-exchange.js';
import { VendorFailure } from './vendor-failure.js';

/** What stands between two replies of one JSON answer: a blank line. */
export const REPLY_SEPARATOR = '\n\n';

const jsonAnswerSchema = z.object({ replies: z.array(z.object({ text: z.string() })) });
const sseDeltaSchema = z.object({ text: z.string() });

/** The text parts of one answer, JSON or event stream, as the content type says. */
const readGenericAnswer: ResponseReader<ReplyPart> = onSuccess(async function* readAnswer(response) {
  const mediaType = readMediaType(response);
  if (isJsonMediaType(mediaType)) {
    const answer = parseJsonAs(await readBodyText(response), jsonAnswerSchema);
    const texts = answer.replies.map((reply) => reply.text).filter((text) => text !== '');
    if (texts.length > 0) yield { type: 'text', text: texts.join(REPLY_SEPARATOR) };
    return;
  }
  for await (const event of readSseEvents(response)) {
    if (event.data.trim() === SSE_DONE) return;
    const { text } = parseJsonAs(event.data, sseDeltaSchema);
    if (text !== '') yield { type: 'text', text };
  }
});

/** The reply to a click: the contract has no buttons, so no click can name one of its actions. */
async function* refuseAction(): AsyncGenerator<ReplyPart, void> {
  throw new VendorFailure('vendor_error', { reason: 'unexpected' });
}

/**
 * The generic adapter over `client`, posting to `url`.
 *
 * @example
 * ```ts
 * const chatbot = createGenericChatbot(createVendorClient({ kind: 'generic', timeoutMs, metrics, logger }), url);
 * ```
 */
export function createGenericChatbot(client: VendorClient, url: string): Chatbot {
  return {
    kind: 'generic',
    // The contract has no greeting: the conversation begins with the user's first message.
    open: ({ conversationId }) =>
      statelessConversation(function reply(input: ChatInput, signal: AbortSignal) {
        if (input.kind !== 'text') return refuseAction();
        const spec = {
          url,
          idempotencyKey: idempotencyKeyOf(conversationId, input.messageId),
          json: { conversationId, messageId: input.messageId, text: input.text },
        };
        // The turn itself, not an async generator around it that passes on its every step: the
        // stub's JSON answer read 15.5 → 13.8 and 15.5 → 14.4 µs CPU on Node 20, 11.8 → 11.1,
        // 11.1 → 11.2, 11.3 → 10.9 and 11.6 → 11.6 µs on Node 26 (bench/micro/json-answer.js, load 7).
        return client.turn(signal, (turn) => turn.exchange(spec, readGenericAnswer));
      }),
    close: () => client.close(),
  };
}
