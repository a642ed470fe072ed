/**
 * The `/chat` WebSocket's frames as schemas of the OpenAPI document: what the widget sends (the
 * gateway's own parsing schemas, `gateway/protocol.ts`) and what the gateway sends back (written
 * here after its frame types; `test/http/openapi.test.ts` holds real frames of a real chat to
 * them). OpenAPI has no words for a WebSocket's messages, so the `/chat` operation names them in
 * its `x-websocket-frames` extension and its description.
 *
 * @module
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { CHAT_SUBPROTOCOL } from '../gateway/upgrade-policy.js';
import { actionFrameSchema, messageFrameSchema, removedSchema, resumeFrameSchema } from '../gateway/protocol.js';
import { KINDS } from '../redact/index.js';

const REF = '#/components/schemas/';
const ref = (name: string) => ({ $ref: `${REF}${name}` });
const nonEmpty = z.string().min(1);

/** The frames a widget sends, by component name. */
const CLIENT_FRAMES = {
  ResumeFrame: resumeFrameSchema.describe('The first frame of a widget that holds a session token: take up that conversation.'),
  MessageFrame: messageFrameSchema
    .extend({ removed: removedSchema.optional().describe('What the widget itself deleted, counted by kind; counted apart, trusted for nothing else.') })
    .describe('A message; the gateway redacts it, acks it, then forwards it.'),
  ActionFrame: actionFrameSchema.describe('A click on a button or quick reply: its opaque id.'),
} as const;

const chatActionSchema = z
  .strictObject({
    id: nonEmpty.describe('Opaque; sent back in an action frame.'),
    label: z.string().describe('Redacted like reply text.'),
    url: z.string().regex(/^https?:\/\//).optional().describe('A link to open: http(s), holding no number of seven or more digits.'),
  })
  .describe('A button, quick reply or link under a reply.');

/** The frames the gateway sends, by component name. */
const SERVER_FRAMES = {
  NoticeFrame: z.strictObject({ type: z.literal('notice'), text: z.string() }).describe('The privacy notice, first on every connection.'),
  SessionFrame: z
    .strictObject({ type: z.literal('session'), token: nonEmpty.regex(/^[A-Za-z]+$/), resumed: z.boolean() })
    .describe('A session token to keep (letters only); sent on open, as the answer to resume, and whenever it changed.'),
  AckFrame: z
    .strictObject({ type: z.literal('ack'), id: nonEmpty, redactions: z.int().min(0), text: z.string() })
    .describe('What was sent on for message `id`, after the gateway redacted it (for a click: its label).'),
  ReplyFrame: z
    .strictObject({
      type: z.literal('reply'),
      id: nonEmpty.optional().describe('The message answered; absent for a message of the vendor’s own (a greeting, a human agent).'),
      text: z.string(),
      final: z.boolean().describe('true on the last frame of an answer.'),
      actions: z.array(chatActionSchema).optional(),
      from: z.enum(['agent', 'bot']).optional().describe('Who wrote it, when the vendor says: a human agent (a handover) or the bot.'),
    })
    .describe('Part of the bot’s redacted answer.'),
  ErrorFrame: z
    .strictObject({
      type: z.literal('error'),
      id: nonEmpty.optional(),
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
      message: z.string().describe('For people; never repeats their input.'),
    })
    .describe('A problem with message `id` (or the chat); the chat stays open.'),
} as const;

function toComponent(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input' });
  return rest;
}

/** One of the frames named, told apart by `type`. */
function frameUnion(names: readonly string[], description: string): Record<string, unknown> {
  return { description, oneOf: names.map(ref), discriminator: { propertyName: 'type' } };
}

/** Every frame schema, for `components.schemas`. */
export function describeChatFrames(): Record<string, unknown> {
  const frames = { ...CLIENT_FRAMES, ...SERVER_FRAMES };
  return {
    ...Object.fromEntries(Object.entries(frames).map(([name, schema]) => [name, toComponent(schema)])),
    ClientFrame: frameUnion(Object.keys(CLIENT_FRAMES), 'Every frame a widget sends on /chat.'),
    ServerFrame: frameUnion(Object.keys(SERVER_FRAMES), 'Every frame the gateway sends on /chat.'),
  };
}

/** The `/chat` operation's extension naming the frames each way. */
export const CHAT_FRAMES_EXTENSION = { 'x-websocket-frames': { send: ref('ClientFrame'), receive: ref('ServerFrame') } };

/** Kinds a `removed` report may name, for the description. */
const KIND_LIST = KINDS.map((kind) => `\`${kind}\``).join(', ');

/** What `/chat` is, in words: the upgrade, the frames each way, the refusals. */
export const CHAT_DESCRIPTION = `The chat WebSocket. Send a GET with \`Upgrade: websocket\`; the server answers 101 and from then on
speaks JSON text frames (schemas: ClientFrame, what a widget sends; ServerFrame, what it gets):

- on open the server sends a \`notice\` (the privacy notice), then a \`session\` with a token to keep;
- a widget that holds a token sends \`resume\` first (and upgrades with \`?resume=1\`, so the gateway waits for it;
  \`?resume=0\` starts the conversation at once); the answer is a second \`session\` frame, \`resumed\` true or false;
- the widget sends \`message\` frames (\`removed\`: what it deleted itself, by kind: ${KIND_LIST}) and \`action\` frames
  (a click on a button's opaque id);
- the server answers each with an \`ack\` (the redacted text) before it forwards it, then \`reply\` frames with the
  bot's redacted answer until \`final\`; a \`reply\` without \`id\` is a message of the vendor's own;
- problems come as \`error\` frames with a \`code\` from the Error schema; the chat stays open.

The upgrade is refused with a bare status, before any WebSocket exists: 403 for an origin not in
\`ALLOWED_ORIGINS\`, 401 when \`WIDGET_TOKEN\` is set and not presented (as \`?token=\` or as a
\`Sec-WebSocket-Protocol\` value beside \`${CHAT_SUBPROTOCOL}\`), 503 past \`MAX_CONNECTIONS\` or while draining.
A GET without the upgrade is answered 404. Close codes: 1008 origin, token or flooding, 1009 frame too large,
1007 invalid UTF-8, 1001 shutting down, 1011 internal failure.`;
