/**
 * The id a widget message has at the vendor. A widget picks its ids freely (1–64 characters of
 * any kind), but the vendor gets the id in the body and in the `idempotency-key` header. An id
 * that a header cannot carry (a control character, anything past Latin-1) would fail every
 * attempt before it is sent; an id with a number in it must not carry the number out; and two
 * ids must never become one (redacting `a-1234567` and `a-7654321` gives `a-` for both), or the
 * vendor takes the second message for a resend of the first and replays its answer.
 *
 * A stand-in is remembered by a digest of the widget's id, not the id: a session token carries
 * the newest of them, and a fixed-size digest keeps the token's size the same whatever the ids
 * (64 ids of 64 characters that JSON writes as `\u0001` each made a 25 KB token).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { redact, type Policy } from '../redact/index.js';

/** Ids made only of URL-unreserved characters (RFC 3986 §2.3) go to the vendor as they are. */
const PLAIN_ID = /^[A-Za-z0-9._~-]+$/;
/** Begins every stand-in; not a plain-id character, so a stand-in never equals a widget's id. */
const STAND_IN_PREFIX = '@';
/** Stand-ins remembered per chat; an id reused after more distinct ones than this gets a new one. */
const MAX_REMEMBERED = 1024;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** 132 bits of SHA-256, written in 22 base64url characters: no two ids of a chat share one by chance. */
const DIGEST_CHARACTERS = 22;

/**
 * The fixed-size key a widget id's stand-in is remembered under; of its UTF-16 code units, which
 * tell every two strings apart (UTF-8 would write two lone surrogates alike).
 */
function digestOf(widgetId: string): string {
  return createHash('sha256').update(widgetId, 'utf16le').digest('base64url').slice(0, DIGEST_CHARACTERS);
}

/** `n` in bijective base 26 over a–z: 0 → `a`, 25 → `z`, 26 → `aa`. Letters only, never a digit. */
function lettersOf(n: number): string {
  let text = '';
  for (let rest = n + 1; rest > 0; rest = Math.floor((rest - 1) / LETTERS.length)) {
    text = LETTERS[(rest - 1) % LETTERS.length] + text;
  }
  return text;
}

/** What a session token keeps of a chat's stand-in ids: the count issued, and pairs of a widget id's digest and its stand-in. */
export interface SavedMessageIds {
  readonly issued: number;
  readonly standIns: readonly (readonly [digest: string, standIn: string])[];
}

/**
 * The vendor-side ids of one chat. A plain id without a number passes unchanged; any other id
 * is replaced by a stand-in (`@a`, `@b`, …) that is the same each time the widget uses that id,
 * so a resent message keeps its idempotency key, and that no other id of the chat shares.
 *
 * @example
 * ```ts
 * const ids = new VendorMessageIds(policy);
 * ids.idFor('msg-7'); // 'msg-7'
 * ids.idFor('fnr 01019012345'); // '@a'
 * ids.idFor('😀'); // '@b'
 * ```
 */
export class VendorMessageIds {
  readonly #policy: Policy;
  /** Stand-ins by the digest of the widget's id, oldest first. */
  readonly #standIns = new Map<string, string>();
  #issued = 0;
  #version = 0;

  constructor(policy: Policy) {
    this.#policy = policy;
  }

  /**
   * The newest `limit` stand-ins and the count issued, for a session token: a message resent
   * after a reconnect must reach the vendor under the same id (its idempotency key).
   */
  save(limit: number): SavedMessageIds {
    return { issued: this.#issued, standIns: [...this.#standIns].slice(-limit) };
  }

  /** Take up the stand-ins of a resumed chat; new ones continue after them. */
  restore(saved: SavedMessageIds): void {
    this.#version += 1;
    this.#issued = Math.max(this.#issued, saved.issued);
    for (const [digest, standIn] of saved.standIns.slice(-MAX_REMEMBERED)) this.#standIns.set(digest, standIn);
  }

  /** The id the vendor sees for the widget's message id `widgetId`. */
  idFor(widgetId: string): string {
    if (PLAIN_ID.test(widgetId) && redact(widgetId, this.#policy).redactions === 0) return widgetId;
    const digest = digestOf(widgetId);
    const known = this.#standIns.get(digest);
    if (known !== undefined) return known;
    const standIn = STAND_IN_PREFIX + lettersOf(this.#issued);
    this.#issued += 1;
    if (this.#standIns.size >= MAX_REMEMBERED) {
      const oldest = this.#standIns.keys().next().value as string;
      this.#standIns.delete(oldest);
    }
    this.#standIns.set(digest, standIn);
    this.#version += 1;
    return standIn;
  }

  /** Changes whenever {@link save} would: compare two to know whether a new token is due. */
  get version(): number {
    return this.#version;
  }
}
