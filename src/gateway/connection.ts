/**
 * One chat's life on the gateway: the privacy notice and a session token, then — once the first
 * frame shows whether this is a new chat or a resumed one — the vendor conversation, and for each
 * widget message or click in order: rate check, redaction, ack, forwarding, the redacted reply,
 * a fresh session token when what it carries changed; and a clean end.
 *
 * One file over 300 lines: one chat's order of events, whose steps share the chat's state (its
 * session, its turn in flight, its limits); sending, acks and closing are modules of their own.
 *
 * @module
 */
import type { WebSocket } from 'ws';
import type { ChatbotConversation, ChatInput, ReplyPart } from '../chatbot/chatbot.js';
import { CLOSE_CODES } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { randomLetters } from '../random-letters.js';
import { SplitNumbers, redact, type RedactedText } from '../redact/index.js';
import { restoreChat, sessionStateBudget, type RestoredChat, type SessionOutcome } from '../session/chat-session.js';
import { ActionRegistry } from './action-registry.js';
import type { ChatContext } from './chat-context.js';
import { ChatSocket, type ChatSocketOptions } from './chat-socket.js';
import { redactInbound } from './inbound-redaction.js';
import { parseClientFrame, type AckFrame, type ActionFrame, type MessageFrame } from './protocol.js';
import { RateLimiter } from './rate-limiter.js';
import { relayReply, type RelayDeps, type RelayOptions } from './reply-relay.js';
import { waitForFirstFrameMs, type ResumeIntent } from './resume-intent.js';
import { SessionTokens, type SessionSource } from './session-tokens.js';
import { VendorMessageIds } from './vendor-message-ids.js';

/** What one connection is given: what every chat shares, and its socket's settings. */
export interface ConnectionDeps extends ChatContext, Pick<ChatSocketOptions, 'maxBufferedBytes' | 'writeCoalescer'> {}

/** Acked messages waiting for their reply; past this a message is refused as a flood. */
const MAX_QUEUED_MESSAGES = 32;
const CONVERSATION_ID_LETTERS = 20;
/** A conversation id of letters only: it reaches the vendor and the logs, so it never holds a digit. */
export function newConversationId(): string {
  return randomLetters(CONVERSATION_ID_LETTERS);
}

export class ChatConnection {
  #conversationId = newConversationId();
  readonly #socket: ChatSocket;
  readonly #deps: ConnectionDeps;
  #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #abort = new AbortController();
  readonly #vendorIds: VendorMessageIds;
  readonly #actions = new ActionRegistry();
  readonly #relayDeps: RelayDeps;
  readonly #startTimer: NodeJS.Timeout;
  readonly #tokens: SessionTokens;
  /** The watch for a number sent in pieces (`REDACT_ACROSS_MESSAGES`); a resume takes up the sealed count. */
  #split: SplitNumbers | undefined;
  #conversation: ChatbotConversation | undefined;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #draining = false;

  constructor(ws: WebSocket, deps: ConnectionDeps, intent: ResumeIntent = 'unknown') {
    this.#deps = deps;
    this.#log = deps.logger.child({ conversationId: this.#conversationId });
    this.#socket = new ChatSocket(ws, {
      maxBufferedBytes: deps.maxBufferedBytes,
      writeCoalescer: deps.writeCoalescer,
      logger: () => this.#log,
      onClosing: () => this.#abort.abort(),
    });
    this.#limiter = new RateLimiter(deps.limits.rateLimitPerMinute);
    this.#vendorIds = new VendorMessageIds(deps.policy);
    this.#split = deps.acrossMessages === false ? undefined : new SplitNumbers(deps.policy);
    this.#tokens = new SessionTokens({ sealer: deps.sessions, ttlMs: deps.sessionTtlMs, budget: sessionStateBudget(deps.limits.maxMessageBytes) });
    this.#relayDeps = {
      policy: deps.policy,
      metrics: deps.metrics,
      actions: this.#actions,
      maxReplyBytes: deps.limits.maxReplyBytes,
      send: (frame) => this.#socket.send(frame),
    };
    ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on('close', () => {
      clearTimeout(this.#startTimer);
      this.#abort.abort();
      this.#conversation?.close();
    });
    this.#socket.send({ type: 'notice', text: deps.privacyNotice });
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

  /** The code of the close this side started, if it did (see {@link ChatSocket.closeCodeSent}). */
  get closeCodeSent(): number | undefined {
    return this.#socket.closeCodeSent;
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  /** Close, and drop the socket if the client has not answered the close frame within `graceMs`. */
  closeWithin(code: number, reason: string, graceMs: number): Promise<void> {
    return this.#socket.closeWithin(code, reason, graceMs);
  }

  #receive(data: Buffer, isBinary: boolean): void {
    const parsed = parseClientFrame(data, isBinary);
    const first = this.#conversation === undefined;
    if (!parsed.ok) {
      this.#log.info({ problem: parsed.problem }, 'invalid widget frame');
      if (first) this.#beginNew('new');
      this.#socket.sendError('invalid_message', parsed.id);
      return;
    }
    const { frame } = parsed;
    if (frame.type === 'resume') {
      if (first) this.#resume(frame.token);
      else {
        this.#log.info('resume refused: it must be the first frame');
        this.#socket.sendError('invalid_message', undefined);
      }
      return;
    }
    if (first) this.#beginNew('new');
    if (this.#draining) {
      this.#socket.sendError('shutting_down', frame.id);
      return;
    }
    const decision = this.#limiter.take();
    if (decision !== 'allow' || this.#queued >= MAX_QUEUED_MESSAGES) {
      this.#socket.sendError('rate_limited', frame.id);
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
    this.#countSession(outcome);
    this.#openConversation(undefined);
    this.#queueStart();
  }

  #countSession(outcome: SessionOutcome): void {
    this.#deps.metrics.sessions.inc({ outcome });
  }

  #resume(token: string): void {
    clearTimeout(this.#startTimer);
    const opened = this.#deps.sessions.open(token);
    const session = opened.ok ? restoreChat(opened.state) : undefined;
    if (session === undefined) {
      const reason = opened.ok ? 'invalid' : opened.reason;
      this.#log.info({ reason }, 'resume refused; a new conversation begins');
      this.#beginNew(reason);
      this.#sendSession(false);
      return;
    }
    this.#countSession('resumed');
    this.#restore(session);
    this.#log.info('chat resumed');
    this.#sendSession(true);
    this.#queueStart();
  }

  #restore(session: RestoredChat): void {
    this.#conversationId = session.conversationId;
    this.#log = this.#deps.logger.child({ conversationId: session.conversationId });
    if (session.ids !== undefined) this.#vendorIds.restore(session.ids);
    if (this.#split !== undefined && session.tail !== undefined) this.#split = new SplitNumbers(this.#deps.policy, session.tail);
    // Labels were redacted before they were sealed; redacting again costs little and keeps the rule simple.
    this.#actions.restore(session.actions.map(([id, action]) => [id, { ...action, label: redact(action.label, this.#deps.policy).text }]));
    this.#openConversation(session.vendorState);
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
    await relayReply(parts, { stream: false }, this.#relayDeps);
    this.#sendSessionIfChanged();
  }

  /** Redact, ack, then queue the forwarding; fail closed if redaction fails. */
  #acceptMessage(frame: MessageFrame): void {
    let text: RedactedText;
    try {
      const result = redactInbound(frame, this.#deps.policy, this.#deps.metrics, this.#split);
      text = result.text;
      const limit = this.#conversation?.maxInputLength;
      if (limit !== undefined && text.length > limit) {
        this.#socket.sendError('message_too_large', frame.id);
        return;
      }
      this.#sendAck({ type: 'ack', id: frame.id, redactions: result.redactions, text });
    } catch (error) {
      this.#log.error({ err: error }, 'redaction failed; nothing forwarded');
      this.#socket.sendError('internal', frame.id);
      return;
    }
    this.#forward(frame.id, text, { kind: 'text', messageId: this.#vendorIds.idFor(frame.id), text });
  }

  /** Ack a click with the button's label and queue it for the vendor, if this chat offered it. */
  #acceptAction(frame: ActionFrame): void {
    const action = this.#actions.recall(frame.action);
    if (action?.payload === undefined) {
      this.#socket.sendError('unknown_action', frame.id);
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

  /**
   * The ack leaves before its message is forwarded; a bot in this process forwards nothing, and
   * its ack goes out with the reply in one write: one write a message instead of two with the
   * demo bot, 76 µs of gateway CPU a message against 91 µs (bench/micro/ws-builds.js, loaded machine).
   */
  #sendAck(frame: AckFrame): void {
    if (this.#deps.chatbot.inProcess === true) this.#socket.send(frame);
    else this.#socket.sendAck(frame);
  }

  #forward(id: string, shownInput: RedactedText, input: ChatInput): void {
    this.#enqueue(async () => {
      if (!this.#socket.isOpen) return;
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
      this.#socket.sendError(this.#abort.signal.aborted && code === 'internal' ? 'shutting_down' : code, id);
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
    return { conversationId: this.#conversationId, ids: this.#vendorIds, actions: this.#actions, conversation: this.#conversation, tail: this.#split?.tail };
  }

  /** Send a session token; `resumed`: this chat took up an earlier conversation (repeated by every later token). */
  #sendSession(resumed: boolean): void {
    this.#socket.send(this.#tokens.issue(this.#sessionSource, resumed));
  }

  /** Send a fresh token when what it carries changed, or the widget's is half-way to expiry. */
  #sendSessionIfChanged(): void {
    const frame = this.#tokens.refresh(this.#sessionSource);
    if (frame !== undefined) this.#socket.send(frame);
  }
}
