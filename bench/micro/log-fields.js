/**
 * The copy a log call's fields are scrubbed into (`src/observability/log-fields.ts`): field
 * names tested against the secret, address and URL patterns and redacted on every call, over
 * `Object.entries` (as it was), against names looked up once and remembered (as it is now).
 * The fields are the request log line's.
 *
 * `npm run build && node --expose-gc bench/micro/log-fields.js`
 *
 * @module
 */
import { loadDistModule, loadEngine } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { scrubValue, SECRET_FIELD, IP_FIELD, URL_FIELD, CENSOR } = await loadDistModule('observability/log-fields.js');
const { anonymizeIp } = await loadDistModule('observability/anonymize-ip.js');
const { redact, createPolicy } = await loadEngine();
const policy = createPolicy();
/** @param {string} text */
const scrub = (text) => redact(text, policy).text;

/** The copy as it was. @param {unknown} value @param {number} depth @returns {unknown} */
function scrubByPatterns(value, depth = 0) {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    out[scrub(key)] = SECRET_FIELD.test(key)
      ? CENSOR
      : IP_FIELD.test(key)
        ? typeof item === 'string' ? item.split(',').map((ip) => anonymizeIp(ip.trim())).join(', ') : 'unknown'
        : URL_FIELD.test(key) && typeof item === 'string'
          ? scrub(item.replace(/[?#].*$/s, ''))
          : scrubByPatterns(item, depth + 1);
  }
  return out;
}

let k = 0;
const fields = () => ({ method: 'POST', path: '/v1/redact', status: 200, durationMs: 0.42, ip: `203.0.113.${k++ % 250}` });
if (JSON.stringify(scrubByPatterns(fields())) !== JSON.stringify(scrubValue(fields(), scrub))) {
  throw new Error('the two copies differ');
}
await raceInProcess('log fields: the request log line’s fields, scrubbed', {
  'names tested and redacted every call': () => scrubByPatterns(fields()),
  'names remembered': () => scrubValue(fields(), scrub),
}, { iterations: 200_000 });
