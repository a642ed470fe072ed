/**
 * The Direct Line adapter (`VENDOR_KIND=directline`): Bot Framework Direct Line 3.0, the client
 * API of Azure Bot Service and Copilot Studio. The secret (`VENDOR_TOKEN`) starts a conversation
 * (`POST /v3/directline/conversations`); from then on the conversation's own token is used, and
 * refreshed when half its life is gone (`POST /v3/directline/tokens/refresh`). Messages and
 * clicks are posted as activities; the bot's activities come on the conversation's WebSocket
 * stream (`directline-stream.ts`), or — when the service offers no stream (offline-directline
 * and other third-party servers give no `streamUrl`) or it is down — by polling
 * `GET …/activities?watermark=`: about once a second while the chat is open, as Microsoft advises
 * polling clients, and ~300 ms after each message, so that a greeting, a human agent's message or
 * a late answer arrives on its own, not only while a reply is awaited. Which activities form a reply, and when it has ended, is
 * `directline-reply.ts`; what an activity shows, `directline-activity.ts`.
 *
 * Every request goes through the shared core. A post that Direct Line answered 502 reached the
 * bot (it failed or timed out), and Direct Line does not deduplicate, so it is not sent again;
 * each post carries `channelData.clientActivityID` (Web Chat's field), the same on every
 * attempt, so that a bot can recognise a resend. A 403 on the conversation's token (expired)
 * falls back to the secret, which opens every conversation of the bot; a 404 (the conversation
 * is gone) starts a new one.
 *
 * @module
 */
import { z } from 'zod';
import { HTTP_STATUS } from '../http-status.js';
import type { Logger } from '../observability/logger.js';
import type { Chatbot, ChatbotConversation, ChatInput, ConversationOptions, ReplyPart } from './chatbot.js';
import { clickFields, partsOfMessage, validActivities, type Activity, type ActivitySet } from './directline-activity.js';
import {
  MAX_ID_LENGTH,
  MAX_TOKEN_LENGTH,
  directLineApiUrl,
  getActivities,
  getConversation,
  isStatus,
  postActivity,
  startConversation,
} from './directline-api.js';
import { BackgroundPoll, FIRST_POLL_MS, POLL_INTERVAL_MS } from './directline-poll.js';
import { PendingReply, collectReply, type ReplyTiming } from './directline-reply.js';
import { ActivityStream, type StreamTiming } from './directline-stream.js';
import { ConversationToken, type VendorConversation } from './directline-token.js';
import type { Turn, VendorClient } from './vendor-client.js';
import { idempotencyKeyOf, isKeyOf } from './vendor-exchange.js';
import { VendorFailure } from './vendor-failure.js';

export { directLineApiUrl } from './directline-api.js';

/** Settings of the adapter beyond the core's: when a reply ends, how the stream keeps alive; every field has a default. */
export interface DirectLineOptions extends ReplyTiming, StreamTiming {}


/** Activity ids remembered to drop repeats (a replay after a reconnect, a poll beside the stream). */
const MAX_SEEN_IDS = 512;

/** What the session token carries: conversation id, its token and expiry (epoch ms), the watermark. */
const savedStateSchema = z.object({
  c: z.string().min(1).max(MAX_ID_LENGTH),
  t: z.string().min(1).max(MAX_TOKEN_LENGTH).optional(),
  e: z.number().int().positive().optional(),
  w: z.string().max(MAX_ID_LENGTH).optional(),
});
type SavedState = z.infer<typeof savedStateSchema>;

class DirectLineConversation implements ChatbotConversation {
  readonly #client: VendorClient;
  readonly #api: string;
  readonly #options: DirectLineOptions;
  readonly #logger: Logger;
  readonly #conversationId: string;
  readonly #userId: string;
  readonly #onMessage: ConversationOptions['onMessage'];
  readonly #closed = new AbortController();
  readonly #seen = new Set<string>();
  readonly #onClose: () => void;
  readonly #token: ConversationToken;
  #vendor: VendorConversation | undefined;
  #resumed: boolean;
  #stream: ActivityStream | undefined;
  #pending: PendingReply | undefined;
  readonly #background: BackgroundPoll;

  constructor(client: VendorClient, api: string, logger: Logger, options: DirectLineOptions, open: ConversationOptions, onClose: () => void) {
    this.#client = client;
    this.#api = api;
    this.#options = options;
    this.#logger = logger;
    this.#conversationId = open.conversationId;
    // Digit-free and stable across resumes; no `dl_` prefix, which Direct Line keeps for ids inside tokens.
    this.#userId = `user-${open.conversationId}`;
    this.#onMessage = open.onMessage;
    this.#onClose = onClose;
    const saved = savedStateSchema.safeParse(open.state);
    this.#vendor = saved.success ? { id: saved.data.c, token: saved.data.t, expiresAt: saved.data.e, watermark: saved.data.w } : undefined;
    this.#resumed = this.#vendor !== undefined;
    this.#token = new ConversationToken({ client, api, logger, current: () => this.#vendor, closed: this.#closed.signal });
    this.#background = new BackgroundPoll({
      poll: () => this.#client.runTurn(this.#closed.signal, (turn) => this.#fetchActivities(turn)),
      isIdle: () => this.#stream?.isOpen !== true && this.#pending === undefined && this.#vendor !== undefined,
      logger,
    });
  }

  async *start(signal: AbortSignal): AsyncGenerator<ReplyPart, void> {
    // The greeting is the bot's own message on the stream (it answers Direct Line's conversationUpdate).
    await this.#client.runTurn(signal, async (turn) => {
      if (this.#resumed && (await this.#reconnect(turn))) return;
      await this.#begin(turn);
    });
  }

  async *reply(input: ChatInput, signal: AbortSignal): AsyncGenerator<ReplyPart, void> {
    const fields = input.kind === 'text' ? { text: input.text, textFormat: 'plain' } : clickFields(input.payload);
    if (fields === undefined) throw new VendorFailure('vendor_error', { reason: 'unexpected' });
    const channelData = { ...(fields as { channelData?: object }).channelData, clientActivityID: idempotencyKeyOf(this.#conversationId, input.messageId) };
    const activity = { ...fields, type: 'message', from: { id: this.#userId }, channelData };
    yield* this.#client.turn(signal, (turn) => this.#replyTurn(turn, activity));
  }

  saveState(maxBytes: number): SavedState | undefined {
    const vendor = this.#vendor;
    if (vendor === undefined) return undefined;
    const bare: SavedState = { c: vendor.id };
    const withWatermark: SavedState = { ...bare, ...(vendor.watermark !== undefined && { w: vendor.watermark }) };
    const usable = vendor.token !== undefined && vendor.expiresAt !== undefined && vendor.expiresAt > Date.now();
    const full: SavedState = { ...withWatermark, ...(usable && { t: vendor.token!, e: Math.floor(vendor.expiresAt!) }) };
    // The token goes first (the secret stands in for it), then the watermark (only new activities replay).
    return [full, withWatermark, bare].find((state) => Buffer.byteLength(JSON.stringify(state)) <= maxBytes);
  }

  close(): void {
    this.#closed.abort();
    this.#background.stop();
    this.#token.stop();
    this.#stream?.close();
    this.#onClose();
  }

  async *#replyTurn(turn: Turn, activity: Record<string, unknown>): AsyncGenerator<ReplyPart, void> {
    const pending = new PendingReply();
    this.#pending = pending;
    try {
      if (this.#vendor === undefined) await this.#begin(turn);
      let posted: string;
      try {
        posted = await this.#post(turn, activity);
      } catch (error) {
        if (!isStatus(error, HTTP_STATUS.notFound)) throw error;
        this.#logger.info('direct line conversation is gone; a new one begins');
        await this.#begin(turn);
        posted = await this.#post(turn, activity);
      }
      for (const other of pending.settle(posted)) this.#deliver(other);
      let polls = 0;
      const poll = async (): Promise<number> => {
        if (this.#stream?.isOpen === true) return Number.POSITIVE_INFINITY;
        polls += 1;
        if (polls > 1) await this.#fetchActivities(turn);
        return polls === 1 ? FIRST_POLL_MS : POLL_INTERVAL_MS;
      };
      yield* collectReply(pending, { signal: turn.signal, deadline: turn.deadline, userId: this.#userId, poll }, this.#options);
    } finally {
      if (this.#pending === pending) this.#pending = undefined;
      for (const late of pending.drain()) this.#deliver(late);
      // Once more shortly after the reply: what the bot adds after its answer comes on its own.
      if (this.#stream?.isOpen !== true) this.#background.soon();
    }
  }

  /** Open a new conversation with the secret, and its stream. */
  async #begin(turn: Turn): Promise<void> {
    const answer = await startConversation(turn, this.#api, this.#userId);
    this.#stream?.close();
    this.#stream = undefined;
    this.#seen.clear();
    this.#vendor = { id: answer.conversationId };
    this.#resumed = false;
    this.#token.take(answer);
    this.#openStream(answer.streamUrl);
  }

  /** Take up a saved conversation: a fresh stream URL replaying from the watermark. `false` if it is gone. */
  async #reconnect(turn: Turn): Promise<boolean> {
    const streamUrl = await this.#renewStreamUrl(turn);
    if (streamUrl === undefined && this.#vendor === undefined) return false;
    this.#openStream(streamUrl);
    this.#token.schedule();
    return true;
  }

  /** `GET …/conversations/{id}?watermark=`: a new stream URL (and token); `undefined` when there is none. */
  async #renewStreamUrl(turn: Turn): Promise<string | undefined> {
    const vendor = this.#vendor;
    if (vendor === undefined) return undefined;
    try {
      const answer = await this.#token.withAuth((headers) => getConversation(turn, this.#api, vendor.id, vendor.watermark, headers));
      if (answer.token !== undefined && answer.token !== vendor.token) this.#token.take(answer);
      return answer.streamUrl;
    } catch (error) {
      if (!isStatus(error, HTTP_STATUS.notFound)) throw error;
      this.#vendor = undefined;
      return undefined;
    }
  }

  async #post(turn: Turn, activity: Record<string, unknown>): Promise<string> {
    const vendor = this.#vendor!;
    return this.#token.withAuth((headers) => postActivity(turn, this.#api, vendor.id, activity, headers));
  }

  /** `GET …/activities?watermark=`, paged by the caller until nothing new comes. */
  async #fetchActivities(turn: Turn): Promise<void> {
    const vendor = this.#vendor;
    if (vendor === undefined) return;
    this.#receive(await this.#token.withAuth((headers) => getActivities(turn, this.#api, vendor.id, vendor.watermark, headers)));
  }

  #openStream(streamUrl: string | undefined): void {
    this.#stream?.close();
    this.#stream = undefined;
    this.#background.start();
    if (streamUrl === undefined || this.#closed.signal.aborted) return;
    const stream = new ActivityStream({
      renew: (signal) => this.#client.runTurn(signal, (turn) => this.#renewStreamUrl(turn)),
      onActivitySet: (set) => this.#receive(set),
      logger: this.#logger,
      openWebSocket: (url, options) => this.#client.openWebSocket(url, options),
      proxyHostOf: (url) => this.#client.proxyHostOf(url),
      ...(this.#options.heartbeatMs !== undefined && { heartbeatMs: this.#options.heartbeatMs }),
      ...(this.#options.reconnectDelayMs !== undefined && { reconnectDelayMs: this.#options.reconnectDelayMs }),
    });
    this.#stream = stream;
    stream.connect(streamUrl);
  }

  #receive(set: ActivitySet): void {
    const vendor = this.#vendor;
    if (vendor !== undefined && typeof set.watermark === 'string' && set.watermark !== '') vendor.watermark = set.watermark;
    for (const activity of validActivities(set.activities)) this.#route(activity);
  }

  /** Echoes of the user's own activities are dropped; the bot's go to the pending reply or on their own. */
  #route(activity: Activity): void {
    if (activity.id !== undefined) {
      if (this.#seen.has(activity.id)) return;
      if (this.#seen.size >= MAX_SEEN_IDS) this.#seen.delete(this.#seen.values().next().value as string);
      this.#seen.add(activity.id);
    }
    if (this.#isOwn(activity)) return;
    if (activity.type === 'endOfConversation') {
      this.#logger.info('the bot ended the direct line conversation; the next message begins a new one');
      this.#stream?.close();
      this.#stream = undefined;
      this.#vendor = undefined;
      return;
    }
    const pending = this.#pending;
    if (pending?.accepts(activity) === true) pending.push(activity);
    else this.#deliver(activity);
  }

  #isOwn(activity: Activity): boolean {
    const clientId = (activity.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID;
    return activity.from?.id === this.#userId || (typeof clientId === 'string' && isKeyOf(this.#conversationId, clientId));
  }

  /** A bot message that answers no pending message: shown as a message of its own. */
  #deliver(activity: Activity): void {
    if (activity.type !== 'message' || this.#closed.signal.aborted) return;
    const parts = partsOfMessage(activity, this.#userId, true);
    if (parts.length > 0) this.#onMessage(parts);
  }
}

/**
 * The Direct Line adapter over `client` (whose token is the Direct Line secret), for the
 * service at `baseUrl` (`https://directline.botframework.com` or a regional host).
 *
 * @example
 * ```ts
 * const client = createVendorClient({ kind: 'directline', token: secret, timeoutMs, metrics, logger });
 * const chatbot = createDirectLineChatbot(client, 'https://europe.directline.botframework.com', logger);
 * ```
 */
export function createDirectLineChatbot(client: VendorClient, baseUrl: string, logger: Logger, options: DirectLineOptions = {}): Chatbot {
  const api = directLineApiUrl(baseUrl);
  const open = new Set<DirectLineConversation>();
  return {
    kind: 'directline',
    open(conversation: ConversationOptions): ChatbotConversation {
      const log = logger.child({ conversationId: conversation.conversationId });
      const opened: DirectLineConversation = new DirectLineConversation(client, api, log, options, conversation, () => open.delete(opened));
      open.add(opened);
      return opened;
    },
    async close() {
      for (const conversation of [...open]) conversation.close();
      await client.close();
    },
  };
}
