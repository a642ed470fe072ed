/**
 * A Direct Line conversation's own token: used instead of the secret while it lasts, refreshed
 * when half its life is gone (`POST /v3/directline/tokens/refresh`, as DirectLineJS does), and
 * given up for the secret when Direct Line refuses it (403: expired) — the secret opens every
 * conversation of the bot, so a lost token costs nothing but a header.
 *
 * @module
 */
import { HTTP_STATUS } from '../http-status.js';
import type { Logger } from '../observability/logger.js';
import { isStatus, refreshToken, type AuthHeaders, type Conversation } from './directline-api.js';
import type { VendorClient } from './vendor-client.js';

const MS_PER_SECOND = 1_000;
/** What Direct Line issues tokens for when it does not say (its documented default). */
const DEFAULT_TOKEN_LIFETIME_MS = 1_800_000;
/** A token this close to its expiry (or a quarter of its life, if shorter) is not used any more: the secret is. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** After a failed refresh, the next try comes this much later (while the token lasts). */
const REFRESH_RETRY_MS = 60_000;
/** The longest delay a Node timer takes (2^31 − 1 ms); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The vendor side of one conversation. */
export interface VendorConversation {
  readonly id: string;
  token?: string | undefined;
  /** Epoch ms. */
  expiresAt?: number | undefined;
  /** Lifetime of the current token, when known (it was issued here). */
  lifetimeMs?: number | undefined;
  watermark?: string | undefined;
}

/** What {@link ConversationToken} works with. */
export interface ConversationTokenOptions {
  readonly client: VendorClient;
  /** The API base (`…/v3/directline`). */
  readonly api: string;
  readonly logger: Logger;
  /** The conversation as it is now: a new one replaces it, and a refresh of the old one is dropped. */
  readonly current: () => VendorConversation | undefined;
  /** Aborts when the chat goes away: no refresh after that. */
  readonly closed: AbortSignal;
}

/**
 * The token of a chat's current Direct Line conversation.
 *
 * @example
 * ```ts
 * const token = new ConversationToken({ client, api, logger, current: () => vendor, closed: signal });
 * token.take(await startConversation(turn, api, userId)); // and its refresh is planned
 * await token.withAuth((headers) => postActivity(turn, api, vendor.id, activity, headers));
 * ```
 */
export class ConversationToken {
  readonly #options: ConversationTokenOptions;
  #refreshTimer: NodeJS.Timeout | undefined;

  constructor(options: ConversationTokenOptions) {
    this.#options = options;
  }

  /** Run with the conversation's token; if Direct Line refuses it (403: expired), once more with the secret. */
  async withAuth<T>(send: (headers: AuthHeaders) => Promise<T>): Promise<T> {
    const vendor = this.#options.current();
    const token = vendor?.token;
    const margin = Math.min(TOKEN_EXPIRY_MARGIN_MS, (vendor?.lifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS) / 4);
    const usable = token !== undefined && (vendor!.expiresAt ?? 0) - Date.now() > margin;
    if (!usable) return send(undefined);
    try {
      return await send({ authorization: `Bearer ${token}` });
    } catch (error) {
      if (!isStatus(error, HTTP_STATUS.forbidden)) throw error;
      this.#options.logger.info('direct line refused the conversation token; using the secret');
      if (this.#options.current() === vendor) vendor!.token = undefined;
      return send(undefined);
    }
  }

  /** Take up the token Direct Line gave with `answer` (if it gave one), and plan its refresh. */
  take(answer: Pick<Conversation, 'token' | 'expires_in'>): void {
    const vendor = this.#options.current();
    if (vendor === undefined || answer.token === undefined) return;
    const lifetimeMs = answer.expires_in === undefined ? DEFAULT_TOKEN_LIFETIME_MS : answer.expires_in * MS_PER_SECOND;
    Object.assign(vendor, { token: answer.token, lifetimeMs, expiresAt: Date.now() + lifetimeMs });
    this.schedule();
  }

  /** Refresh when half the token's life is gone, as DirectLineJS does (15 of 30 minutes). */
  schedule(): void {
    clearTimeout(this.#refreshTimer);
    const vendor = this.#options.current();
    if (this.#options.closed.aborted || vendor?.token === undefined || vendor.expiresAt === undefined) return;
    const lifetimeMs = vendor.lifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS;
    const delayMs = Math.max(0, vendor.expiresAt - lifetimeMs / 2 - Date.now());
    this.#refreshTimer = setTimeout(() => void this.#refresh(vendor), Math.min(delayMs, MAX_TIMER_MS));
    this.#refreshTimer.unref();
  }

  /** No refresh any more (the chat went away). */
  stop(): void {
    clearTimeout(this.#refreshTimer);
  }

  async #refresh(vendor: VendorConversation): Promise<void> {
    const { client, api, current, closed } = this.#options;
    const token = vendor.token;
    if (token === undefined || current() !== vendor) return;
    try {
      const answer = await client.runTurn(closed, (turn) => refreshToken(turn, api, token));
      if (current() === vendor) this.take(answer);
    } catch (error) {
      if (closed.aborted || current() !== vendor) return;
      if (isStatus(error, HTTP_STATUS.forbidden)) {
        vendor.token = undefined;
        return;
      }
      clearTimeout(this.#refreshTimer);
      this.#refreshTimer = setTimeout(() => void this.#refresh(vendor), REFRESH_RETRY_MS);
      this.#refreshTimer.unref();
    }
  }
}
