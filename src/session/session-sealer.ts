/**
 * Sealed session tokens: authenticated encryption (AES-256-GCM, `node:crypto`) of what a chat
 * needs to go on elsewhere, with an expiry, under a key derived from `SESSION_SECRET` by HKDF.
 * A token names its key by a short key id, so a secret can be rotated: `SESSION_SECRET` holds
 * the new secret first and the old one after it, new tokens are sealed with the first, and tokens
 * sealed with any of them still open.
 *
 * Layout before it is written in letters: version (1 byte) · key id (4) · IV (12) · ciphertext ·
 * tag (16); version and key id are authenticated as associated data. The plaintext is JSON
 * `{"exp": <unix seconds>, "s": <state>}`. Nothing in a token is readable without the key.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { decodeLetters, encodeLetters } from './letter-codec.js';

/** Shortest secret accepted, in bytes: the key is only as strong as what it is derived from. */
export const MIN_SECRET_BYTES = 32;
const VERSION = 1;
const KEY_ID_BYTES = 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
/** Bytes a sealed token adds to its state: header, IV, tag and the `{"exp":…,"s":…}` wrapper. */
export const SEALED_OVERHEAD_BYTES = HEADER_BYTES + 12 + 16 + '{"exp":9999999999,"s":}'.length;
const HKDF_SALT = 'chat-redact session token v1';
const MS_PER_SECOND = 1_000;

/** Why a token did not open: past its expiry, or anything else (tampered, foreign, malformed). */
export const OPEN_FAILURES = ['expired', 'invalid'] as const;
export type OpenFailure = (typeof OPEN_FAILURES)[number];

export type OpenResult = { ok: true; state: unknown } | { ok: false; reason: OpenFailure };

interface SessionKey {
  readonly id: Buffer;
  readonly key: Buffer;
}

/** Settings of {@link createSessionSealer}. */
export interface SessionSealerOptions {
  /** The secrets, newest first; each at least {@link MIN_SECRET_BYTES} bytes. Empty: a random one. */
  readonly secrets: readonly string[];
  /** How long a token is good for, in seconds (`SESSION_TTL_SECONDS`). */
  readonly ttlSeconds: number;
  /** The clock, in ms since the epoch; tests move it by hand. */
  readonly now?: () => number;
}

/** Seals and opens session tokens. */
export interface SessionSealer {
  /** `state` (JSON) sealed, good for the TTL from now, written in letters. */
  seal(state: unknown): string;
  /** The state `token` carries, or why it carries none. Never throws. */
  open(token: string): OpenResult;
}

function deriveKey(secret: Buffer): SessionKey {
  const material = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, 'aes-256-gcm key', KEY_BYTES));
  const id = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, 'key id', KEY_ID_BYTES));
  return { id, key: material };
}

/**
 * A sealer for the given secrets (the first seals; all open).
 *
 * @throws RangeError when a secret is shorter than {@link MIN_SECRET_BYTES} bytes
 * @example
 * ```ts
 * const sealer = createSessionSealer({ secrets: [process.env.SESSION_SECRET!], ttlSeconds: 1800 });
 * const token = sealer.seal({ conversationId: 'qwerty' });
 * sealer.open(token); // { ok: true, state: { conversationId: 'qwerty' } }
 * ```
 */
export function createSessionSealer(options: SessionSealerOptions): SessionSealer {
  const secrets = options.secrets.length > 0 ? options.secrets.map((secret) => Buffer.from(secret)) : [randomBytes(KEY_BYTES)];
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_BYTES) throw new RangeError(`a session secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const keys = secrets.map(deriveKey);
  const sealing = keys[0]!;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlSeconds * MS_PER_SECOND;

  return {
    seal(state) {
      const header = Buffer.alloc(HEADER_BYTES);
      header[0] = VERSION;
      sealing.id.copy(header, 1);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', sealing.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(header);
      const plaintext = JSON.stringify({ exp: Math.floor((now() + ttlMs) / MS_PER_SECOND), s: state });
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return encodeLetters(Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]));
    },

    open(token) {
      const bytes = decodeLetters(token);
      if (bytes === undefined || bytes.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
        return { ok: false, reason: 'invalid' };
      }
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      const header = data.subarray(0, HEADER_BYTES);
      const key = keys.find((candidate) => candidate.id.equals(header.subarray(1)));
      if (key === undefined) return { ok: false, reason: 'invalid' };
      let payload: { exp?: unknown; s?: unknown };
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(header);
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plaintext = Buffer.concat([decipher.update(data.subarray(HEADER_BYTES + IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        payload = JSON.parse(plaintext.toString('utf8')) as typeof payload;
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      if (typeof payload !== 'object' || payload === null || typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' };
      if (payload.exp * MS_PER_SECOND <= now()) return { ok: false, reason: 'expired' };
      return { ok: true, state: payload.s };
    },
  };
}
