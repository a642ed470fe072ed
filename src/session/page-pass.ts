/**
 * Page passes: what the gateway gives its own pages (`/`, `/chat-frame`, and so the embed
 * launcher's frame) so that they open a chat when `WIDGET_TOKEN` is set, with no extra step —
 * the token itself never goes into a page. A pass is short-lived and says nothing: an HMAC-SHA-256
 * of its expiry under a key derived (HKDF) from `WIDGET_TOKEN`, so every replica that shares the
 * token takes every replica's passes. Written in letters, as every id the widget sees is.
 *
 * Layout before it is written in letters: expiry (4 bytes, unix seconds, big-endian) · tag (16
 * bytes, the HMAC cut to 128 bits, RFC 2104 §5).
 *
 * @module
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { decodeLetters, encodeLetters } from './letter-codec.js';

/** How long a pass is good for: a page fetches a fresh one well before, and after every lost connection. */
export const PAGE_PASS_TTL_SECONDS = 600;
const EXPIRY_BYTES = 4;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HKDF_SALT = 'chat-redact page pass v1';
const MS_PER_SECOND = 1_000;
/** Letters of a pass: 20 bytes at 5 bits a letter. */
const PASS_LETTERS = Math.ceil(((EXPIRY_BYTES + TAG_BYTES) * 8) / 5);

/** Issues and checks page passes for one `WIDGET_TOKEN`. */
export interface PagePasses {
  /** A pass good for {@link PAGE_PASS_TTL_SECONDS} from now. */
  issue(): string;
  /** Whether `presented` is a pass of this token that has not expired. */
  isValid(presented: string): boolean;
}

/**
 * The passes of `widgetToken`; `now` is the clock (ms since the epoch), for tests.
 *
 * @example
 * ```ts
 * const passes = createPagePasses(config.chat.widgetToken);
 * passes.isValid(passes.issue()); // true, for ten minutes
 * ```
 */
export function createPagePasses(widgetToken: string, now: () => number = Date.now): PagePasses {
  const key = Buffer.from(hkdfSync('sha256', widgetToken, HKDF_SALT, 'page pass hmac key', KEY_BYTES));
  const tagOf = (expiry: Buffer): Buffer => createHmac('sha256', key).update(expiry).digest().subarray(0, TAG_BYTES);
  return {
    issue() {
      const expiry = Buffer.alloc(EXPIRY_BYTES);
      expiry.writeUInt32BE(Math.floor(now() / MS_PER_SECOND) + PAGE_PASS_TTL_SECONDS);
      return encodeLetters(Buffer.concat([expiry, tagOf(expiry)]));
    },
    isValid(presented) {
      if (presented.length !== PASS_LETTERS) return false;
      const bytes = decodeLetters(presented);
      if (bytes === undefined || bytes.length !== EXPIRY_BYTES + TAG_BYTES) return false;
      const expiry = Buffer.from(bytes.subarray(0, EXPIRY_BYTES));
      if (!timingSafeEqual(tagOf(expiry), Buffer.from(bytes.subarray(EXPIRY_BYTES)))) return false;
      return expiry.readUInt32BE() * MS_PER_SECOND > now();
    },
  };
}
