/**
 * Boost.ai Chat API v2 answers, read: the one shape every command's answer shares (as boost.ai's
 * own iOS and Android SDKs decode it) and what the widget may see of it — `text` and `html`
 * elements as plain text, `links` elements as actions. The ids in an answer (conversation,
 * responses, links) are Boost's: they go back to Boost as they came and never to the widget.
 *
 * @module
 */
import { z } from 'zod';
import type { ReplyAuthor, ReplyPart, VendorAction } from './chatbot.js';
import { REPLY_SEPARATOR } from './generic.js';
import { htmlToText } from './html-text.js';

/** An id Boost sends as a string, or now and then as a number (the iOS SDK decodes both). */
const idSchema = z.union([z.string().min(1), z.int()]).transform(String);

const linkSchema = z.looseObject({
  id: idSchema,
  text: z.string(),
  type: z.string(),
  url: z.string().nullish(),
});

/**
 * One element of a response. `image`, `video`, `json` (cards, client events) and types to come
 * hold nothing the widget can show as text or buttons: they are passed over, as the SDKs do
 * with types they do not know. So is a known type whose payload is not what it should be.
 */
const elementSchema = z.union([
  z.looseObject({ type: z.literal('text'), payload: z.looseObject({ text: z.string() }) }),
  z.looseObject({ type: z.literal('html'), payload: z.looseObject({ html: z.string() }) }),
  z.looseObject({ type: z.literal('links'), payload: z.looseObject({ links: z.array(z.unknown()) }) }),
  z.looseObject({}).transform(() => ({ type: 'ignored' as const })),
]);

const responseSchema = z.looseObject({
  id: idSchema.nullish(),
  /** `bot` (the virtual agent or a human one) or `client` (the user's own message, echoed). */
  source: z.string().nullish(),
  elements: z.array(elementSchema).nullish(),
});

const stateSchema = z.looseObject({
  /** `virtual_agent`, `in_human_chat_queue` or `assigned_to_human`. */
  chat_status: z.string().nullish(),
  /** A human chat is on: the client is to POLL for what the agent writes. */
  poll: z.boolean().nullish(),
  max_input_chars: z.int().positive().nullish(),
});

/** What every command (START, POST, POLL) answers with 200. */
export const boostAnswerSchema = z.looseObject({
  conversation: z.looseObject({ id: z.string().min(1).nullish(), state: stateSchema.nullish() }),
  /** The answer to this command. */
  response: responseSchema.nullish(),
  /** Several responses: what a POLL found after the id it was given. */
  responses: z.array(responseSchema).nullish(),
});
export type BoostAnswer = z.infer<typeof boostAnswerSchema>;
export type BoostResponse = z.infer<typeof responseSchema>;

/** What a click on one of Boost's links sends back: the link's kind and id. */
export const boostLinkPayloadSchema = z.object({ type: z.enum(['action_link', 'external_link']), id: z.string().min(1) });
export type BoostLinkPayload = z.infer<typeof boostLinkPayloadSchema>;

/** The responses of an answer in the order Boost wrote them, as the SDKs take them: `responses`, then `response`. */
export function responsesOf(answer: BoostAnswer): BoostResponse[] {
  return [...(answer.responses ?? []), ...(answer.response == null ? [] : [answer.response])];
}

/** The `source` of a response written by a human agent in Boost's human chat. */
const HUMAN_SOURCE = 'human';

/** Is this response the user's own message, echoed back (by a POLL)? */
export function isClientEcho(response: BoostResponse): boolean {
  return response.source === 'client';
}

/**
 * A link as an action: an `action_link` is a button whose click Boost must hear of; an
 * `external_link` is opened by the widget, and its click — when the widget reports one — is
 * told to Boost, which logs it. A link of another kind, or an external one without its URL, is
 * nothing the widget can offer.
 */
function actionOf(value: unknown): VendorAction | undefined {
  const link = linkSchema.safeParse(value);
  if (!link.success) return undefined;
  const { id, text, type, url } = link.data;
  if (type === 'action_link') return { label: text, payload: { type, id } satisfies BoostLinkPayload };
  if (type === 'external_link' && url != null) return { label: text, url, payload: { type, id } satisfies BoostLinkPayload };
  return undefined;
}

/**
 * The parts the widget is to see of `responses`: each text or HTML element as plain text (HTML
 * reduced by `htmlToText`, so a number split across tags or entities stays one number), with a
 * blank line between two of them, and each list of links as actions; an `author` part first
 * when a human agent wrote them (`writtenBy`, or a response's own `source`).
 *
 * @example
 * ```ts
 * partsOfResponses([{ id: '1683979', source: 'bot', elements: [{ type: 'html', payload: { html: '<p>Hei <b>der</b></p>' } }] }]);
 * // [{ type: 'text', text: 'Hei der' }]
 * ```
 */
export function partsOfResponses(responses: readonly BoostResponse[], writtenBy: ReplyAuthor = 'bot'): ReplyPart[] {
  const parts: ReplyPart[] = [];
  let texts = 0;
  // The bot writes unless a human agent does: the caller knows (the chat is assigned to one), or
  // a response says so (source "human").
  let author: ReplyAuthor = 'bot';
  for (const [response, element] of responses.flatMap((r) => (r.elements ?? []).map((e) => [r, e] as const))) {
    const from = writtenBy === 'agent' || response.source === HUMAN_SOURCE ? 'agent' : 'bot';
    if (from !== author) {
      parts.push({ type: 'author', from });
      author = from;
    }
    if (element.type === 'links') {
      const actions = element.payload.links.map(actionOf).filter((action) => action !== undefined);
      if (actions.length > 0) parts.push({ type: 'actions', actions });
      continue;
    }
    if (element.type === 'ignored') continue;
    const text = element.type === 'html' ? htmlToText(element.payload.html) : element.payload.text;
    if (text === '') continue;
    parts.push({ type: 'text', text: texts === 0 ? text : REPLY_SEPARATOR + text });
    texts += 1;
  }
  return parts;
}
