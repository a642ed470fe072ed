/**
 * One chat's life on the gateway: the privacy notice and a session token, then — once the first
 * frame shows whether this is a new chat or a resumed one — the vendor conversation, and for each
 * widget message or click in order: rate check, redaction, ack, forwarding, the redacted reply,
 * a fresh session token when what it carries changed; and a clean end.
 *
 * @module
 */
import type { WebSocket } from 'ws';
import type { Chatbot, ChatbotConversation, ChatInput, ReplyPart } from '../chatbot/chatbot.js';
import { CLOSE_CODES, type ErrorCode } from '../errors.js';
import { normalizeLineBreaks } from '../line-breaks.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics, SessionOutcome } from '../observability/metrics.js';
import { KINDS, redact, type Policy, type RedactedText } from '../redact/index.js';
import { readChatSession, sessionStateBudget, type ChatSession } from '../session/chat-session.js';
import type { SessionSealer } from '../session/session-sealer.js';
import { ActionRegistry, newOpaqueId } from './action-registry.js';
import { errorFrame, parseClientFrame, type AckFrame, type ActionFrame, type MessageFrame, type ServerFrame } from './protocol.js';
import { RateLimiter } from './rate-limiter.js';
import { relayReply, type RelayDeps, type RelayOptions } from './reply-relay.js';
import { waitForFirstFrameMs, type ResumeIntent } from './resume-intent.js';
import { SessionTokens, type SessionSource } from './session-tokens.js';
import type { TurnWrites } from './turn-writes.js';
import { VendorMessageIds } from './vendor-message-ids.js';

export interface ConnectionDeps {
  policy: Policy;
  chatbot: Chatbot;
  sessions: SessionSealer;
  /** Session tokens are sent again when this old, even if nothing changed, so they never lapse mid-chat. */
  sessionTtlMs: number;
  metrics: Metrics;
  logger: Logger;
  privacyNotice: string;
  rateLimitPerMinute: number;
  /** Largest frame, in bytes (`MAX_MESSAGE_BYTES`): session tokens are kept small enough to come back in one. */
  maxMessageBytes: number;
  /** Largest reply, in UTF-8 bytes (`MAX_REPLY_BYTES`). */
  maxReplyBytes: number;
  /** Bytes the widget may leave unread before it is disconnected as too slow. */
  maxBufferedBytes: number;
  /** How long to wait for a first frame before starting a new conversation (default `START_GRACE_MS`). */
  startGraceMs?: number;
  /** Gathers the frames of one turn into one socket write; absent: each frame is written as it is sent. */
  turnWrites?: TurnWrites;
}

/** Acked messages waiting for their reply; past this a message is refused as a flood. */
const MAX_QUEUED_MESSAGES = 32;
/** How long a client that stopped reading gets to take the close frame before the socket goes. */
const SLOW_CLIENT_GRACE_MS = 1000;
const BYTES_PER_KIB = 1024;
const CONVERSATION_ID_LETTERS = 20;
/** A conversation id of letters only: it reaches the vendor and the logs, so it never holds a digit. */
export function newConversationId(): string {
  return newOpaqueId(CONVERSATION_ID_LETTERS);
}

export class ChatConnection {
  #conversationId = newConversationId();
  readonly #ws: WebSocket;
  readonly #deps: ConnectionDeps;
  #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #abort = new AbortController();
  readonly #vendorIds: VendorMessageIds;
  readonly #actions = new ActionRegistry();
  readonly #relayDeps: RelayDeps;
  readonly #startTimer: NodeJS.Timeout;
  readonly #tokens: SessionTokens;
  #conversation: ChatbotConversation | undefined;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #draining = false;
  #closeCodeSent: number | undefined;

  constructor(ws: WebSocket, deps: ConnectionDeps, intent: ResumeIntent = 'unknown') {
    this.#ws = ws;
    this.#deps = deps;
    this.#log = deps.logger.child({ conversationId: this.#conversationId });
    this.#limiter = new RateLimiter(deps.rateLimitPerMinute);
    this.#vendorIds = new VendorMessageIds(deps.policy);
    this.#tokens = new SessionTokens({ sealer: deps.sessions, ttlMs: deps.sessionTtlMs, budget: sessionStateBudget(deps.maxMessageBytes) });
    this.#relayDeps = {
      policy: deps.policy,
      metrics: deps.metrics,
      actions: this.#actions,
      maxReplyBytes: deps.maxReplyBytes,
      send: (frame) => this.#send(frame),
    };
    ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on('close', () => {
      clearTimeout(this.#startTimer);
      this.#abort.abort();
      this.#conversation?.close();
    });
    this.#send({ type: 'notice', text: deps.privacyNotice });
    this.#sendSession(false);
    this.#startTimer = setTimeout(() => this.#beginNew('new'), waitForFirstFrameMs(intent, deps.startGraceMs));
  }

  /** The conversation's id; a resumed chat takes up the id it had. */
  get conversationId(): string {
    return this.#conversationId;
  }

  /** Resolves when every acked message has had its reply or error frame. */
  get settled(): Promise<void> {
    return this.#queue;
  }

  /** Refuse new messages from now on (server shutting down); queued ones still get answers. */
  startDraining(): void {
    this.#draining = true;
  }

  /** Give up on pending replies (their error frames are still sent if the socket is open). */
  abortPending(): void {
    this.#abort.abort();
  }

  /**
   * The code of the close this side started, if it did. A client that never reads takes no
   * close frame and its socket is dropped, which `ws` reports as 1006; this is what it was told.
   */
  get closeCodeSent(): number | undefined {
    return this.#closeCodeSent;
  }

  close(code: number, reason: string): void {
    this.#abort.abort();
    // ws sends only the first close frame; later calls change nothing on the wire.
    this.#closeCodeSent ??= code;
    this.#ws.close(code, reason);
  }

  /**
   * Close, and drop the socket if the client has not answered the close frame within `graceMs`
   * (ws would otherwise wait 30 s, past a typical termination grace period).
   */
  closeWithin(code: number, reason: string, graceMs: number): Promise<void> {
    const ws = this.#ws;
    return new Promise((resolve) => {
      if (ws.readyState === ws.CLOSED) {
        resolve();
        return;
      }
      const timer = setTimeout(() => ws.terminate(), graceMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.close(code, reason);
    });
  }

  /**
   * Send a frame, then check what the client has left unread. Checking after the send closes a
   * client as soon as it crosses the threshold, even when that frame was the reply's last and
   * nothing else would come to trip the check; what the gateway holds stays below the threshold
   * plus one turn's frames. Kernel socket buffers come on top, but they are bounded by the kernel.
   * Frames held for the turn's one write are checked once they are written (a turn's frames are
   * not unread until the socket had a chance to take them).
   */
  #send(frame: ServerFrame): void {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return;
    const held = this.#deps.turnWrites?.hold(ws, this.#checkUnread) ?? false;
    ws.send(JSON.stringify(frame));
    if (!held) this.#checkUnread();
  }

  /** An ack leaves before its message is forwarded (see `TurnWrites.release`). */
  #sendAck(frame: AckFrame): void {
    this.#send(frame);
    this.#deps.turnWrites?.release(this.#ws);
  }

  readonly #checkUnread = (): void => {
    const ws = this.#ws;
    if (ws.readyState === ws.OPEN && ws.bufferedAmount > this.#deps.maxBufferedBytes) this.#dropSlowClient();
  };

  #dropSlowClient(): void {
    const ws = this.#ws;
    // In KiB, rounded up: past the threshold (at least 1 MiB) a count of bytes has seven digits,
    // which the logger writes as null.
    this.#log.warn({ bufferedKiB: Math.ceil(ws.bufferedAmount / BYTES_PER_KIB) }, 'closing a chat whose client stopped reading');
    this.close(CLOSE_CODES.policyViolation, 'client is not reading');
    setTimeout(() => ws.terminate(), SLOW_CLIENT_GRACE_MS).unref();
  }

  #refuse(code: ErrorCode, id: string | undefined): void {
    this.#send(errorFrame(code, id));
  }

  #receive(data: Buffer, isBinary: boolean): void {
    const parsed = parseClientFrame(data, isBinary);
    const first = this.#conversation === undefined;
    if (!parsed.ok) {
      this.#log.info({ problem: parsed.problem }, 'invalid widget frame');
      if (first) this.#beginNew('new');
      this.#refuse('invalid_message', parsed.id);
      return;
    }
    const { frame } = parsed;
    if (frame.type === 'resume') {
      if (first) this.#resume(frame.token);
      else {
        this.#log.info('resume refused: it must be the first frame');
        this.#refuse('invalid_message', undefined);
      }
      return;
    }
    if (first) this.#beginNew('new');
    if (this.#draining) {
      this.#refuse('shutting_down', frame.id);
      return;
    }
    const decision = this.#limiter.take();
    if (decision !== 'allow' || this.#queued >= MAX_QUEUED_MESSAGES) {
      this.#refuse('rate_limited', frame.id);
      if (decision === 'flood') {
        this.#log.warn('closing a chat that kept flooding');
        this.close(CLOSE_CODES.policyViolation, 'too many messages');
      }
      return;
    }
    if (frame.type === 'message') this.#acceptMessage(frame);
    else this.#acceptAction(frame);
  }

  /** Open a new vendor conversation and queue its start (the greeting), counted under `outcome`. */
  #beginNew(outcome: SessionOutcome): void {
    clearTimeout(this.#startTimer);
    if (this.#conversation !== undefined || this.#abort.signal.aborted) return;
    this.#deps.metrics.sessions.inc({ outcome });
    this.#openConversation(undefined);
    this.#queueStart();
  }

  #resume(token: string): void {
    clearTimeout(this.#startTimer);
    const opened = this.#deps.sessions.open(token);
    const session = opened.ok ? readChatSession(opened.state) : undefined;
    if (session === undefined) {
      const reason = opened.ok ? 'invalid' : opened.reason;
      this.#log.info({ reason }, 'resume refused; a new conversation begins');
      this.#beginNew(reason);
      this.#sendSession(false);
      return;
    }
    this.#deps.metrics.sessions.inc({ outcome: 'resumed' });
    this.#restore(session);
    this.#log.info('chat resumed');
    this.#sendSession(true);
    this.#queueStart();
  }

  #restore(session: ChatSession): void {
    this.#conversationId = session.c;
    this.#log = this.#deps.logger.child({ conversationId: session.c });
    if (session.ids !== undefined) this.#vendorIds.restore(session.ids);
    // Labels were redacted before they were sealed; redacting again costs little and keeps the rule simple.
    this.#actions.restore(
      (session.a ?? []).map(([id, action]) => [id, { label: redact(action.l, this.#deps.policy).text, ...(action.p !== undefined && { payload: action.p }) }]),
    );
    this.#openConversation(session.v);
  }

  #openConversation(state: unknown): void {
    this.#conversation = this.#deps.chatbot.open({
      conversationId: this.#conversationId,
      ...(state !== undefined && { state }),
      onMessage: (parts) => void this.#relayUnsolicited(parts),
    });
  }

  #queueStart(): void {
    const conversation = this.#conversation!;
    this.#enqueue(async () => {
      const outcome = await relayReply(conversation.start(this.#abort.signal), { stream: false }, this.#relayDeps);
      if (!outcome.ok) this.#log.warn({ code: outcome.code, errorName: (outcome.error as Error)?.name }, 'conversation start failed');
      this.#sendSessionIfChanged();
    });
  }

  async #relayUnsolicited(parts: readonly ReplyPart[]): Promise<void> {
    if (this.#abort.signal.aborted) return;
    await relayReply(
      (async function* replay() {
        yield* parts;
      })(),
      { stream: false },
      this.#relayDeps,
    );
    this.#sendSessionIfChanged();
  }

  /** Redact, ack, then queue the forwarding; fail closed if redaction fails. */
  #acceptMessage(frame: MessageFrame): void {
    const { policy, metrics } = this.#deps;
    if (frame.removed !== undefined) {
      for (const kind of KINDS) {
        const count = frame.removed[kind];
        if (count !== undefined && count > 0) metrics.widgetRedactions.inc({ kind }, count);
      }
    }
    let text: RedactedText;
    try {
      const started = performance.now();
      const result = redact(normalizeLineBreaks(frame.text), policy);
      metrics.observeRedaction('inbound', result, Buffer.byteLength(frame.text), (performance.now() - started) / 1000);
      text = result.text;
      const limit = this.#conversation?.maxInputLength;
      if (limit !== undefined && text.length > limit) {
        this.#refuse('message_too_large', frame.id);
        return;
      }
      this.#sendAck({ type: 'ack', id: frame.id, redactions: result.redactions, text });
    } catch (error) {
      this.#log.error({ err: error }, 'redaction failed; nothing forwarded');
      this.#refuse('internal', frame.id);
      return;
    }
    this.#forward(frame.id, text, { kind: 'text', messageId: this.#vendorIds.idFor(frame.id), text });
  }

  /** Ack a click with the button's label and queue it for the vendor, if this chat offered it. */
  #acceptAction(frame: ActionFrame): void {
    const action = this.#actions.recall(frame.action);
    if (action?.payload === undefined) {
      this.#refuse('unknown_action', frame.id);
      return;
    }
    this.#sendAck({ type: 'ack', id: frame.id, redactions: 0, text: action.label });
    this.#forward(frame.id, action.label, {
      kind: 'action',
      messageId: this.#vendorIds.idFor(frame.id),
      label: action.label,
      payload: action.payload,
    });
  }

  #forward(id: string, shownInput: RedactedText, input: ChatInput): void {
    this.#enqueue(async () => {
      if (this.#ws.readyState !== this.#ws.OPEN) return;
      const conversation = this.#conversation!;
      const options: RelayOptions = { id, stream: true, keepText: conversation.recordTurn !== undefined };
      const outcome = await relayReply(conversation.reply(input, this.#abort.signal), options, this.#relayDeps);
      if (outcome.ok) {
        if (outcome.shown !== undefined) conversation.recordTurn?.({ input: shownInput, reply: outcome.shown });
        this.#sendSessionIfChanged();
        return;
      }
      const { code } = outcome;
      this.#log.warn({ code, errorName: (outcome.error as Error)?.name }, 'reply failed');
      this.#refuse(this.#abort.signal.aborted && code === 'internal' ? 'shutting_down' : code, id);
    });
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queued += 1;
    this.#queue = this.#queue.then(async () => {
      await task();
      this.#queued -= 1;
    });
  }

  /** The chat as a session token is sealed from. */
  get #sessionSource(): SessionSource {
    return { conversationId: this.#conversationId, ids: this.#vendorIds, actions: this.#actions, conversation: this.#conversation };
  }

  /** Send a session token; `resumed`: this chat took up an earlier conversation (repeated by every later token). */
  #sendSession(resumed: boolean): void {
    this.#send(this.#tokens.issue(this.#sessionSource, resumed));
  }

  /** Send a fresh token when what it carries changed, or the widget's is half-way to expiry. */
  #sendSessionIfChanged(): void {
    const frame = this.#tokens.refresh(this.#sessionSource);
    if (frame !== undefined) this.#send(frame);
  }
}
