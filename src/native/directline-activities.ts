/**
 * Direct Line activities as the native API redacts them. A user's activity, on its way to the
 * bot: `text`, `speak`, and `value` when it is a string; attachments are refused (files go
 * through `upload`, which is refused too — this service reads text only). A bot's activity (and
 * the user's own, echoed back) on its way to the client: `text` (Markdown), `speak`, `summary`,
 * suggested actions, every card (`directline-cards.ts`), an attachment's `name`, text content
 * and links. Ids, `from`, `channelData`, `entities`, a `value` object and watermarks pass
 * untouched: they are the bot's data, not what a person reads.
 *
 * @module
 */
import { NativeRefusal } from './native-api.js';
import { isObject, redactAdaptive, redactCardAction, redactRichCard, type JsonObject } from './directline-cards.js';
import type { NativeText } from './native-text.js';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const RICH_CARD_PREFIX = 'application/vnd.microsoft.card.';
/** Attachment links a client fetches and shows; one that holds a number drops its attachment. */
const ATTACHMENT_LINKS = ['contentUrl', 'thumbnailUrl'] as const;

/**
 * A user's activity as the bot may get it.
 *
 * @throws {@link NativeRefusal} for no activity, or one with attachments
 */
export function redactUserActivity(body: unknown, inbound: NativeText): JsonObject {
  if (!isObject(body) || typeof body.type !== 'string') {
    throw new NativeRefusal('invalid_request', 'The body must be an activity: a JSON object with a "type".');
  }
  if (Array.isArray(body.attachments) ? body.attachments.length > 0 : body.attachments !== undefined) {
    throw new NativeRefusal('unsupported_content', 'Attachments are not passed on: only text is.', 'attachments');
  }
  const out = { ...body };
  for (const field of ['text', 'speak', 'value'] as const) if (typeof out[field] === 'string') out[field] = inbound.redact(out[field]);
  return out;
}

/** An attachment as the client may get it, or `undefined` when a link of it holds a number. */
function redactAttachment(attachment: unknown, outbound: NativeText): unknown {
  if (!isObject(attachment)) return attachment;
  for (const field of ATTACHMENT_LINKS) {
    const url = attachment[field];
    // An inline image's bytes are no one's text; any other link is judged.
    if (typeof url === 'string' && !url.startsWith('data:image/') && outbound.link(url) === undefined) return undefined;
  }
  const out = { ...attachment };
  if (typeof out.name === 'string') out.name = outbound.redact(out.name);
  const contentType = typeof attachment.contentType === 'string' ? attachment.contentType.toLowerCase() : '';
  const { content } = attachment;
  if (typeof content === 'string') out.content = outbound.markdown(content);
  else if (isObject(content) && contentType === ADAPTIVE_CARD) out.content = redactAdaptive(content, outbound);
  else if (isObject(content) && contentType.startsWith(RICH_CARD_PREFIX)) out.content = redactRichCard(content, outbound);
  // A card of a kind not known here: every string in it redacted, JSON of the same shape.
  else if (content !== undefined && content !== null) out.content = JSON.parse(outbound.redactJson(JSON.stringify(content))) as unknown;
  return out;
}

/** A bot's activity (or the user's, echoed) with every text a person reads redacted and links with a number dropped. */
export function redactBotActivity(activity: unknown, outbound: NativeText): unknown {
  if (!isObject(activity)) return activity;
  const out = { ...activity };
  if (typeof out.text === 'string') out.text = outbound.markdown(out.text);
  for (const field of ['speak', 'summary'] as const) if (typeof out[field] === 'string') out[field] = outbound.redact(out[field]);
  if (isObject(activity.suggestedActions) && Array.isArray(activity.suggestedActions.actions)) {
    const actions = activity.suggestedActions.actions.map((action) => redactCardAction(action, outbound)).filter((action) => action !== undefined);
    out.suggestedActions = { ...activity.suggestedActions, actions };
  }
  if (Array.isArray(activity.attachments)) out.attachments = activity.attachments.map((item) => redactAttachment(item, outbound)).filter((item) => item !== undefined);
  return out;
}

/**
 * An activity set (`GET …/activities`, a stream message): each activity redacted, the watermark
 * untouched; `undefined` for what is no activity set (nothing of it is passed on).
 */
export function redactActivitySet(set: unknown, outbound: NativeText): JsonObject | undefined {
  if (!isObject(set) || !Array.isArray(set.activities)) return undefined;
  return { ...set, activities: set.activities.map((activity) => redactBotActivity(activity, outbound)) };
}
