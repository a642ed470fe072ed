/**
 * The Bot Framework activity schema as far as the Direct Line adapter reads and writes it: a bot
 * message to plain text and actions (its text in its `textFormat`, hero, thumbnail, sign-in and
 * adaptive cards, media attachments, suggested actions), and a clicked action back to the
 * activity Web Chat would send for it. Vendor ids never become part of what the widget sees.
 *
 * @module
 */
import { z } from 'zod';
import type { ReplyPart, VendorAction, VendorPayload } from './chatbot.js';
import { REPLY_SEPARATOR } from './generic.js';
import { htmlToText } from './html-text.js';
import { markdownToText } from './markdown-text.js';

/** The `from.role` of the bot's own activities. */
const BOT_ROLE = 'bot';
const cardActionSchema = z.looseObject({
  type: z.string(),
  title: z.string().optional(),
  text: z.string().optional(),
  displayText: z.string().optional(),
  value: z.json().optional(),
});
type CardAction = z.infer<typeof cardActionSchema>;

const attachmentSchema = z.looseObject({
  contentType: z.string(),
  contentUrl: z.string().optional(),
  name: z.string().optional(),
  content: z.unknown().optional(),
});
type Attachment = z.infer<typeof attachmentSchema>;

/** One activity as Direct Line delivers it; unknown fields pass, odd ones are checked where read. */
export const activitySchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  from: z.looseObject({ id: z.string().optional(), role: z.string().optional() }).optional(),
  replyToId: z.string().optional(),
  text: z.string().optional(),
  textFormat: z.string().optional(),
  inputHint: z.string().optional(),
  attachments: z.array(attachmentSchema).optional(),
  suggestedActions: z.looseObject({ actions: z.array(cardActionSchema), to: z.array(z.string()).optional() }).optional(),
});
export type Activity = z.infer<typeof activitySchema>;

/** What one WebSocket message or `GET …/activities` answer carries; each activity is checked on its own. */
export const activitySetSchema = z.looseObject({
  activities: z.array(z.unknown()),
  // A string in Direct Line's own answers; a JSON number from some servers (offline-directline),
  // which Microsoft's clients take too: kept as the string it is written as.
  watermark: z.union([z.string(), z.number().int().nonnegative().transform(String)]).nullish(),
});
/** One activity set: its activities not yet checked one by one ({@link validActivities}). */
export type ActivitySet = z.infer<typeof activitySetSchema>;

/** The activities of a set that have the activity shape; one odd activity does not cost the others. */
export function validActivities(items: readonly unknown[]): Activity[] {
  return items.flatMap((item) => {
    const parsed = activitySchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

const heroCardSchema = z.looseObject({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  text: z.string().optional(),
  buttons: z.array(cardActionSchema).optional(),
});
/** Cards with (some of) the hero card's title, subtitle, text and buttons; their other fields are not shown. */
const HERO_LIKE_CARDS: ReadonlySet<string> = new Set(
  ['hero', 'thumbnail', 'signin', 'oauth', 'receipt', 'audio', 'video', 'animation'].map((name) => `application/vnd.microsoft.card.${name}`),
);
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Actions whose value is a link to open; `call` (a `tel:` number) is none the widget may open. */
const LINK_ACTIONS: ReadonlySet<string> = new Set(['openUrl', 'signin', 'downloadFile', 'showImage', 'playAudio', 'playVideo']);
/** Actions whose click is sent back to the bot. */
const MESSAGE_ACTIONS: ReadonlySet<string> = new Set(['imBack', 'postBack', 'messageBack']);
/** Adaptive card elements nest this deep at most in practice; deeper ones are not read. */
const MAX_CARD_DEPTH = 16;

/** What a click sends back, kept short: it is sealed into the session token. */
const clickPayloadSchema = z.object({
  k: z.enum(['imBack', 'postBack', 'messageBack', 'submit']),
  v: z.json().optional(),
  x: z.string().optional(),
  d: z.string().optional(),
});

/** The text of a message in its format: markdown (the Bot Framework default), `xml` (HTML) or `plain`. */
export function textOf(text: string, textFormat: string | undefined): string {
  if (textFormat === 'plain') return text;
  return textFormat === 'xml' ? htmlToText(text) : markdownToText(text);
}

/** The widget action for one card action, or `undefined` for one it cannot offer. */
function toAction(action: CardAction): VendorAction | undefined {
  const value = action.value;
  const label = action.title ?? (typeof value === 'string' && action.type === 'imBack' ? value : undefined);
  if (label === undefined || label === '') return undefined;
  if (LINK_ACTIONS.has(action.type)) return typeof value === 'string' ? { label, url: value } : undefined;
  if (!MESSAGE_ACTIONS.has(action.type)) return undefined;
  const payload: z.infer<typeof clickPayloadSchema> = {
    k: action.type as 'imBack' | 'postBack' | 'messageBack',
    ...(value !== undefined && { v: value }),
    ...(action.text !== undefined && { x: action.text }),
    ...(action.displayText !== undefined && { d: action.displayText }),
  };
  return { label, payload };
}

function toActions(actions: readonly CardAction[] | undefined): VendorAction[] {
  return (actions ?? []).flatMap((action) => toAction(action) ?? []);
}

/** Texts and actions of an adaptive card: its text blocks and text runs, its open-URL and submit actions. */
function readAdaptiveCard(node: unknown, texts: string[], actions: VendorAction[], depth = 0): void {
  if (depth > MAX_CARD_DEPTH || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const child of node) readAdaptiveCard(child, texts, actions, depth + 1);
    return;
  }
  const element = node as Record<string, unknown>;
  const { type, text, title, url, data } = element;
  if ((type === 'TextBlock' || type === 'TextRun') && typeof text === 'string') texts.push(markdownToText(text));
  if (type === 'Action.OpenUrl' && typeof title === 'string' && typeof url === 'string') actions.push({ label: title, url });
  if (type === 'Action.Submit' && typeof title === 'string') {
    actions.push({ label: title, payload: { k: 'submit', ...(data !== undefined && { v: data as VendorPayload }) } });
  }
  for (const key of ['body', 'items', 'columns', 'inlines', 'actions', 'card']) readAdaptiveCard(element[key], texts, actions, depth + 1);
}

/** The texts and actions of one attachment. */
function readAttachment(attachment: Attachment, texts: string[], actions: VendorAction[]): void {
  const { contentType, content } = attachment;
  if (HERO_LIKE_CARDS.has(contentType)) {
    const card = heroCardSchema.safeParse(content);
    if (!card.success) return;
    const { title, subtitle, text, buttons } = card.data;
    const lines = [title, subtitle].filter((line) => line !== undefined && line !== '') as string[];
    if (text !== undefined && text !== '') lines.push(markdownToText(text));
    if (lines.length > 0) texts.push(lines.join('\n'));
    actions.push(...toActions(buttons));
    return;
  }
  if (contentType === ADAPTIVE_CARD) {
    const cardTexts: string[] = [];
    readAdaptiveCard(content, cardTexts, actions);
    if (cardTexts.length > 0) texts.push(cardTexts.join('\n'));
    return;
  }
  if (attachment.contentUrl !== undefined) {
    const { name } = attachment;
    if (name !== undefined) actions.push({ label: name, url: attachment.contentUrl });
    else actions.push(contentType.startsWith('image/') ? { label: 'Image', url: attachment.contentUrl, attachment: 'image' } : { label: 'File', url: attachment.contentUrl, attachment: 'file' });
  }
}

/**
 * The parts of one bot message: its text, the text of its cards, then its actions — card
 * buttons, attachments as links and the suggested actions meant for `userId`. `first` says
 * whether it opens the reply (later messages are set off by a blank line).
 */
export function partsOfMessage(activity: Activity, userId: string, first: boolean): ReplyPart[] {
  const texts: string[] = [];
  const actions: VendorAction[] = [];
  if (activity.text !== undefined && activity.text !== '') texts.push(textOf(activity.text, activity.textFormat));
  for (const attachment of activity.attachments ?? []) readAttachment(attachment, texts, actions);
  const suggested = activity.suggestedActions;
  if (suggested !== undefined && (suggested.to === undefined || suggested.to.includes(userId))) actions.push(...toActions(suggested.actions));
  // A Direct Line activity whose role is not the bot's is a person's (a human agent handed over to).
  const role = activity.from?.role;
  const parts: ReplyPart[] = role === undefined || role === BOT_ROLE ? [] : [{ type: 'author', from: 'agent' }];
  const text = texts.filter((piece) => piece !== '').join('\n');
  if (text !== '') parts.push({ type: 'text', text: first ? text : REPLY_SEPARATOR + text });
  if (actions.length > 0) parts.push({ type: 'actions', actions });
  return parts;
}

/**
 * The fields of the message a click sends, as Web Chat sends them: an `imBack` says its value
 * as text; a `postBack` sends its value (text when it is a string) marked as a post-back; a
 * `messageBack` sends its text and value; an adaptive card's submit sends its data as the value.
 * `undefined` when the payload is none of these (a token sealed by another version).
 */
export function clickFields(payload: VendorPayload): Record<string, unknown> | undefined {
  const parsed = clickPayloadSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { k: kind, v: value, x: text, d: displayText } = parsed.data;
  switch (kind) {
    case 'imBack':
      return { text: typeof value === 'string' ? value : JSON.stringify(value ?? '') };
    case 'postBack':
      return typeof value === 'string' ? { text: value, channelData: { postBack: true } } : { value, channelData: { postBack: true } };
    case 'messageBack':
      return { text, value, channelData: { messageBack: { displayText } } };
    case 'submit':
      return { value, channelData: { postBack: true } };
  }
}
