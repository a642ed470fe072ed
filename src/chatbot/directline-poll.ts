/**
 * Direct Line without a stream: polling in the background while the chat is open. The service
 * may offer no `streamUrl` at all (offline-directline and other third-party servers), or its
 * stream may be down; then `GET …/activities?watermark=` about once a second — Microsoft's advice
 * for polling clients — and ~300 ms after each message, so that a greeting, a human agent's
 * message or a late answer reaches the widget on its own, not only while a reply is awaited.
 * Failed polls back off (doubling, up to 16 s) and never end the chat.
 *
 * @module
 */
import type { Logger } from '../observability/logger.js';

/** The docs' advice for a chat client that polls: ask ~300 ms after posting, then every second. */
export const FIRST_POLL_MS = 300;
export const POLL_INTERVAL_MS = 1_000;
/** The longest wait between polls while they fail. */
const MAX_POLL_BACKOFF_MS = 16_000;

/** What the background poll asks of its conversation. */
export interface BackgroundPollOptions {
  /** Read what is new (one request through the shared core). */
  readonly poll: () => Promise<void>;
  /** Whether a poll is due now: no stream open, no reply turn polling by itself. */
  readonly isIdle: () => boolean;
  readonly logger: Logger;
}

/** Polls every second while started, until stopped. */
export class BackgroundPoll {
  readonly #options: BackgroundPollOptions;
  #timer: NodeJS.Timeout | undefined;
  #delayMs = POLL_INTERVAL_MS;
  #stopped = false;

  constructor(options: BackgroundPollOptions) {
    this.#options = options;
  }

  /** Poll shortly (~300 ms), then on the usual rhythm: a conversation began, or a message was answered. */
  soon(): void {
    this.#schedule(FIRST_POLL_MS);
  }

  /** Start polling unless already started. */
  start(): void {
    if (this.#timer === undefined) this.soon();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    // An open chat keeps the process busy enough; the poll alone need not.
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#options.isIdle()) {
      try {
        await this.#options.poll();
        this.#delayMs = POLL_INTERVAL_MS;
      } catch (error) {
        if (this.#stopped) return;
        this.#delayMs = Math.min(this.#delayMs * 2, MAX_POLL_BACKOFF_MS);
        this.#options.logger.debug({ code: (error as { code?: unknown }).code, nextInMs: this.#delayMs }, 'direct line poll failed');
      }
    }
    this.#schedule(this.#delayMs);
  }
}
