/**
 * The one comparison of a presented value with a configured secret (the widget token on the
 * WebSocket upgrade, the metrics bearer token), made so that its timing reveals neither where
 * a guess first differs nor how long the secret is.
 *
 * `timingSafeEqual` alone does not do that: it needs inputs of equal length, so a caller that
 * checks lengths first answers a guess of the wrong length faster, and the secret's length
 * leaks. Here both sides are reduced to HMAC-SHA-256 digests, always 32 bytes, under a key made
 * at random in each process, and the digests are compared in constant time. The secret's digest
 * is made once, when the check is created, so no request spends time in proportion to the
 * secret's length; only the presented value is hashed per call, and its length is the
 * client's own.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `true` when `presented` is exactly the secret the check was made for (same UTF-8 bytes). */
export type SecretCheck = (presented: string) => boolean;

const DIGEST = 'sha256';
/** A key as long as the digest, as RFC 2104 §3 recommends. */
const KEY_BYTES = 32;
/** Per process: digests are only ever compared with digests made by the same process. */
const HMAC_KEY = randomBytes(KEY_BYTES);

function digestOf(text: string): Buffer {
  return createHmac(DIGEST, HMAC_KEY).update(text, 'utf8').digest();
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
