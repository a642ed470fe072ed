/**
 * The Rasa adapter (`VENDOR_KIND=rasa`): Rasa's REST input channel. One `POST
 * {base}/webhooks/rest/webhook` per message with `{"sender", "message"}`; the answer is the list
 * of the bot's messages, each with `text`, `buttons` (`title` + `payload`, which goes back as the
 * message when clicked) and `image`. An empty list is an empty reply, not an error.
 *
 * @module
 */
import { z } from 'zod';
import type { Chatbot, ChatInput, ReplyPart, VendorAction } from './chatbot.js';
import { REPLY_SEPARATOR } from './generic.js';
import { readJson } from './response-body.js';
import { statelessConversation } from './stateless-conversation.js';
import type { VendorClient } from './vendor-client.js';
import { idempotencyKeyOf } from './vendor-exchange.js';

const WEBHOOK_PATH = 'webhooks/rest/webhook';
/** What the configuration needs to know of this kind: Rasa is self-hosted, and `VENDOR_URL` names the server. */
export const RASA_CONFIG = Object.freeze({ urlHint: 'the Rasa server, e.g. http://rasa:5005' });

/** One bot message of the REST channel (rasa/core/channels/rest.py collects the dispatcher's output). */
const rasaMessageSchema = z.looseObject({
  recipient_id: z.string().optional(),
  text: z.string().optional(),
  image: z.string().optional(),
  buttons: z.array(z.looseObject({ title: z.string(), payload: z.string().optional(), url: z.string().optional() })).optional(),
});
const readRasaAnswer = readJson(z.array(rasaMessageSchema));
type RasaMessage = z.infer<typeof rasaMessageSchema>;

/** The webhook's address under the server's base URL, whether or not the base ends in `/`. */
export function rasaWebhookUrl(baseUrl: string): string {
  return new URL(WEBHOOK_PATH, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
}

function buttonsOf(message: RasaMessage): VendorAction[] {
  return (message.buttons ?? []).map((button) =>
    button.payload !== undefined ? { label: button.title, payload: button.payload } : { label: button.title, ...(button.url !== undefined && { url: button.url }) },
  );
}

/** The parts of one answer: each message's text (blank line between), its buttons, its image as a link. */
export function* partsOfRasaAnswer(messages: readonly RasaMessage[]): Generator<ReplyPart, void> {
  let first = true;
  for (const message of messages) {
    const actions = buttonsOf(message);
    if (message.image !== undefined) actions.push({ label: 'Image', url: message.image, attachment: 'image' });
    if (message.text !== undefined && message.text !== '') {
      yield { type: 'text', text: first ? message.text : REPLY_SEPARATOR + message.text };
      first = false;
    }
    if (actions.length > 0) yield { type: 'actions', actions };
  }
}

/**
 * The Rasa adapter over `client`, for the Rasa server at `baseUrl` (`http://rasa:5005`).
 *
 * @example
 * ```ts
 * const chatbot = createRasaChatbot(createVendorClient({ kind: 'rasa', timeoutMs, metrics, logger }), 'http://rasa:5005');
 * ```
 */
export function createRasaChatbot(client: VendorClient, baseUrl: string): Chatbot {
  const url = rasaWebhookUrl(baseUrl);
  return {
    kind: 'rasa',
    // Rasa speaks only when spoken to; a greeting is the bot's answer to the first message.
    open: ({ conversationId }) =>
      statelessConversation(async function* reply(input: ChatInput, signal: AbortSignal) {
        // A clicked button sends its payload as the message, as Rasa's own widgets do.
        const message = input.kind === 'text' ? input.text : String(input.payload);
        const spec = { url, idempotencyKey: idempotencyKeyOf(conversationId, input.messageId), json: { sender: conversationId, message } };
        yield* client.turn(signal, async function* (turn) {
          yield* partsOfRasaAnswer(await turn.exchangeOne(spec, readRasaAnswer));
        });
      }),
    close: () => client.close(),
  };
}
