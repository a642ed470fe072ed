/**
 * The secret check of `src/secret-check.ts` (the redaction API's bearer token, the widget and
 * metrics tokens): the presented value reduced to a 32-byte digest under a per-process key and
 * compared in constant time — as an HMAC-SHA-256 (`createHmac`, a keyed object and two passes
 * per call) against one SHA-256 of key‖value (`crypto.hash`, one call into OpenSSL). A correct
 * token and a wrong one of the same length alternate, as a guarded route sees them.
 *
 * `node --expose-gc bench/micro/secret-check.js`
 *
 * @module
 */
import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { raceInProcess } from '../lib/micro.js';

const SECRET = 'bench-token-qhzkwmpbtreaxjvnlsud';
const WRONG = 'bench-token-qhzkwmpbtreaxjvnlsue';
const KEY = randomBytes(32);
const KEY_TEXT = KEY.toString('base64');

/** @param {(text: string) => Buffer} digestOf */
function makeCheck(digestOf) {
  const expected = digestOf(SECRET);
  return (/** @type {string} */ presented) => timingSafeEqual(digestOf(presented), expected);
}

const checks = {
  'HMAC-SHA-256 (createHmac)': makeCheck((text) => createHmac('sha256', KEY).update(text, 'utf8').digest()),
  'SHA-256 of key‖value (crypto.hash)': makeCheck((text) => hash('sha256', KEY_TEXT + text, 'buffer')),
};
let k = 0;
await raceInProcess(
  'secret check: one presented token against the secret',
  Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, () => check(++k % 2 === 0 ? SECRET : WRONG)])),
  { iterations: 200_000 },
);
