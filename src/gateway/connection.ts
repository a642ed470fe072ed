/**
 * One chat's life on the gateway: the privacy notice, then for each widget message in order —
 * rate check, redaction, ack, forwarding, the redacted reply — and a clean end.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { CLOSE_CODES, type ErrorCode } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { redact, type Policy, type RedactedText } from '../redact/index.js';
import type { VendorAdapter } from '../chatbot/adapter.js';
import { errorFrame, parseClientFrame, type MessageFrame, type ServerFrame } from './protocol.js';
import { RateLimiter } from './rate-limiter.js';
import { relayReply } from './reply-relay.js';
import { VendorMessageIds } from './vendor-message-ids.js';

export interface ConnectionDeps {
  policy: Policy;
  vendor: VendorAdapter;
  metrics: Metrics;
  logger: Logger;
  privacyNotice: string;
  rateLimitPerMinute: number;
  /** Bytes the widget may leave unread before it is disconnected as too slow. */
  maxBufferedBytes: number;
}

/** Acked messages waiting for their reply; past this a message is refused as a flood. */
const MAX_QUEUED_MESSAGES = 32;
/** How long a client that stopped reading gets to take the close frame before the socket goes. */
const SLOW_CLIENT_GRACE_MS = 1000;
const CONVERSATION_ID_LETTERS = 20;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/**
 * A conversation id of letters only: it reaches the vendor and the logs, so it must never hold a
 * digit run that the redactor would have to treat as a number.
 */
export function newConversationId(): string {
  return Array.from(randomBytes(CONVERSATION_ID_LETTERS), (b) => ALPHABET[b % ALPHABET.length]).join('');
}

export class ChatConnection {
  readonly conversationId = newConversationId();
  readonly #ws: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #abort = new AbortController();
  readonly #vendorIds: VendorMessageIds;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #draining = false;
  #closeCodeSent: number | undefined;

  constructor(ws: WebSocket, deps: ConnectionDeps) {
    this.#ws = ws;
    this.#deps = deps;
    this.#log = deps.logger.child({ conversationId: this.conversationId });
    this.#limiter = new RateLimiter(deps.rateLimitPerMinute);
    this.#vendorIds = new VendorMessageIds(deps.policy);
    ws.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on('close', () => this.#abort.abort());
    this.#send({ type: 'notice', text: deps.privacyNotice });
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
   * plus one frame. Kernel socket buffers come on top, but they are bounded by the kernel.
   */
  #send(frame: ServerFrame): void {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(frame));
    if (ws.bufferedAmount > this.#deps.maxBufferedBytes) this.#dropSlowClient();
  }

  #dropSlowClient(): void {
    const ws = this.#ws;
    this.#log.warn({ bufferedBytes: ws.bufferedAmount }, 'closing a chat whose client stopped reading');
    this.close(CLOSE_CODES.policyViolation, 'client is not reading');
    setTimeout(() => ws.terminate(), SLOW_CLIENT_GRACE_MS).unref();
  }

  #refuse(code: ErrorCode, id: string | undefined): void {
    this.#send(errorFrame(code, id));
  }

  #receive(data: Buffer, isBinary: boolean): void {
    const parsed = parseClientFrame(data, isBinary);
    if (!parsed.ok) {
      this.#log.info({ problem: parsed.problem }, 'invalid widget frame');
      this.#refuse('invalid_message', parsed.id);
      return;
    }
    const { frame } = parsed;
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
    this.#accept(frame);
  }

  /** Redact, ack, then queue the forwarding; fail closed if redaction fails. */
  #accept(frame: MessageFrame): void {
    const { policy, metrics } = this.#deps;
    let text: RedactedText;
    try {
      const started = performance.now();
      const result = redact(frame.text, policy);
      metrics.observeRedaction('inbound', result, Buffer.byteLength(frame.text), (performance.now() - started) / 1000);
      this.#send({ type: 'ack', id: frame.id, redactions: result.redactions, text: result.text });
      text = result.text;
    } catch (error) {
      this.#log.error({ err: error }, 'redaction failed; nothing forwarded');
      this.#refuse('internal', frame.id);
      return;
    }
    this.#queued += 1;
    this.#queue = this.#queue.then(async () => {
      await this.#forward(frame.id, text);
      this.#queued -= 1;
    });
  }

  async #forward(id: string, text: RedactedText): Promise<void> {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    const outcome = await relayReply(
      {
        conversationId: this.conversationId,
        id,
        vendorMessageId: this.#vendorIds.idFor(id),
        text,
      },
      { vendor: this.#deps.vendor, policy: this.#deps.policy, metrics: this.#deps.metrics, send: (f) => this.#send(f) },
      this.#abort.signal,
    );
    if (!outcome.ok) {
      const { code } = outcome;
      this.#log.warn({ code, errorName: (outcome.error as Error)?.name }, 'reply failed');
      this.#refuse(this.#abort.signal.aborted && code === 'internal' ? 'shutting_down' : code, id);
    }
  }
}
