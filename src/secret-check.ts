/**
 * The one comparison of a presented value with a configured secret (the widget token on the
 * WebSocket upgrade, the metrics bearer token, the redaction API's and the native API's tokens),
 * made so that its timing reveals neither where a guess first differs nor how long the secret is.
 *
 * `timingSafeEqual` alone does not do that: it needs inputs of equal length, so a caller that
 * checks lengths first answers a guess of the wrong length faster, and the secret's length
 * leaks. Here both sides are reduced to SHA-256 digests, always 32 bytes, of a key made at
 * random in each process followed by the value, and the digests are compared in constant time.
 * The secret's digest is made once, when the check is created, so no request spends time in
 * proportion to the secret's length; only the presented value is hashed per call, and its length
 * is the client's own.
 *
 * A digest is only ever compared, never shown, so the key needs no HMAC construction: what it
 * does is make the digests of one process unknowable to anyone else. A check with one
 * `crypto.hash` call over key‖value took 1.07 to 1.35 µs of CPU against 2.62 to 3.30 µs with an
 * HMAC-SHA-256 on Node 20, 1.34 to 1.73 against 2.78 to 3.16 on Node 26 (three runs of
 * bench/micro/secret-check.js, interleaved, machine loaded by other work: load average 5 to 15).
 *
 * @module
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `true` when `presented` is exactly the secret the check was made for (same UTF-8 bytes). */
export type SecretCheck = (presented: string) => boolean;

const DIGEST = 'sha256';
/** 256 bits of key, as many as the digest has. */
const KEY_BYTES = 32;
/**
 * Per process: digests are only ever compared with digests made by the same process. Written in
 * base64, whose UTF-8 bytes are its characters, so key‖value is hashed as one string, a fixed
 * prefix before the value's own UTF-8 bytes.
 */
const KEY_TEXT = randomBytes(KEY_BYTES).toString('base64');

function digestOf(text: string): Buffer {
  return hash(DIGEST, KEY_TEXT + text, 'buffer');
}

/**
 * A check of presented values against `secret`, in time that depends only on the presented
 * value's length.
 *
 * @example
 * ```ts
 * const isWidgetToken = createSecretCheck(config.widgetToken);
 * isWidgetToken(url.searchParams.get('token') ?? ''); // true only for the exact token
 * ```
 */
export function createSecretCheck(secret: string): SecretCheck {
  const expected = digestOf(secret);
  return (presented) => timingSafeEqual(digestOf(presented), expected);
}
