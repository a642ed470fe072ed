/**
 * One pending Direct Line reply, and the rule that decides when it has ended — Direct Line has
 * no end-of-reply marker. The reply is every bot activity whose `replyToId` is the id of the
 * posted message (or that names no message at all), in the order they come. It has ended:
 *
 * - at once after a message with `inputHint: expectingInput` (the bot asks and waits);
 * - after {@link ReplyTiming.quietMs} with nothing more from the bot after a message (a typing
 *   activity waits {@link ReplyTiming.typingQuietMs}, as the Bot Framework repeats it every 2 s;
 *   `ignoringInput` — more is coming — waits for the budget);
 * - shortly before the turn's budget runs out, if the bot has said something by then. A bot that
 *   has said nothing when the budget ends gets `vendor_timeout`.
 *
 * What comes later is no longer part of the reply: it goes to the widget as a message of its
 * own, so nothing is lost.
 *
 * @module
 */
import type { ReplyPart } from './chatbot.js';
import { partsOfMessage, type Activity } from './directline-activity.js';

/** How long the end rule waits; every field has a default. */
export interface ReplyTiming {
  /** Quiet after the bot's last message that ends the reply (default 1000 ms). */
  readonly quietMs?: number;
  /** Quiet after a typing activity that ends the reply (default 3000 ms). */
  readonly typingQuietMs?: number;
}

const DEFAULT_QUIET_MS = 1_000;
/** The Bot Framework's typing middleware repeats typing every 2 s while the bot works. */
const DEFAULT_TYPING_QUIET_MS = 3_000;
/** A reply that has begun ends this long before the budget, so that it ends as a reply, not a timeout. */
const BUDGET_MARGIN_MS = 200;
const EXPECTING_INPUT = 'expectingInput';
const IGNORING_INPUT = 'ignoringInput';

/** Where the reply waits for more: activities pushed to it, until a time or an abort. */
export class PendingReply {
  /** The id Direct Line gave the posted message; unknown while the post is under way. */
  #activityId: string | undefined;
  readonly #queue: Activity[] = [];
  #wake: (() => void) | undefined;

  /** Whether `activity` belongs to this reply (while the id is unknown, every bot activity may). */
  accepts(activity: Activity): boolean {
    return this.#activityId === undefined || activity.replyToId === undefined || activity.replyToId === this.#activityId;
  }

  push(activity: Activity): void {
    this.#queue.push(activity);
    this.#wake?.();
  }

  /** The post returned `activityId`: what arrived meanwhile and belongs to another message is handed back. */
  settle(activityId: string): Activity[] {
    this.#activityId = activityId;
    const others = this.#queue.filter((activity) => !this.accepts(activity));
    this.#queue.splice(0, this.#queue.length, ...this.#queue.filter((activity) => this.accepts(activity)));
    return others;
  }

  /** Everything still queued (a reply that ended early leaves it to be shown on its own). */
  drain(): Activity[] {
    return this.#queue.splice(0);
  }

  /** Resolves when an activity is pushed or after `ms`; rejects with the reason when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#queue.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason);
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      this.#wake = done;
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  take(): Activity | undefined {
    return this.#queue.shift();
  }
}

/** What {@link collectReply} needs to know about the turn and the conversation. */
export interface CollectContext {
  readonly signal: AbortSignal;
  /** The turn's budget end, on the `performance.now()` clock. */
  readonly deadline: number;
  /** The id the user's activities carry (suggested actions may be meant for it alone). */
  readonly userId: string;
  /**
   * Called when there is nothing to read and no stream brings more (polling instead): fetch what
   * is new into the reply. Returns how long to wait before asking again.
   */
  readonly poll?: () => Promise<number>;
}

/** The parts of the reply as its activities arrive, until the end rule says it is over. */
export async function* collectReply(pending: PendingReply, context: CollectContext, timing: ReplyTiming = {}): AsyncGenerator<ReplyPart, void> {
  const quietMs = timing.quietMs ?? DEFAULT_QUIET_MS;
  const typingQuietMs = timing.typingQuietMs ?? DEFAULT_TYPING_QUIET_MS;
  const endBy = context.deadline - BUDGET_MARGIN_MS;
  let answered = false;
  let first = true;
  let quietUntil = Number.POSITIVE_INFINITY;
  for (;;) {
    const activity = pending.take();
    if (activity === undefined) {
      const now = performance.now();
      const until = answered ? Math.min(quietUntil, endBy) : Number.POSITIVE_INFINITY;
      if (now >= until) return;
      const pollInMs = context.poll === undefined ? Number.POSITIVE_INFINITY : await context.poll();
      await pending.wait(Math.min(until - now, pollInMs), context.signal);
      continue;
    }
    if (activity.type === 'typing') {
      quietUntil = performance.now() + typingQuietMs;
      continue;
    }
    if (activity.type !== 'message') continue;
    answered = true;
    for (const part of partsOfMessage(activity, context.userId, first)) {
      if (part.type === 'text') first = false;
      yield part;
    }
    if (activity.inputHint === EXPECTING_INPUT) return;
    quietUntil = activity.inputHint === IGNORING_INPUT ? Number.POSITIVE_INFINITY : performance.now() + quietMs;
  }
}
