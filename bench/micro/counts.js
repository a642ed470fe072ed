/**
 * Two small costs of a message with a number in it, each raced against the way it was done:
 * - the `kinds` of a result with one deletion: a new `{ [kind]: 1 }` per call (a keyed store
 *   that makes a new hidden class) against one frozen object per kind made at start-up;
 * - the class of an astral code point (mathematical digits, 𝟒𝟐): its plane's table from a `Map`
 *   against an array indexed by plane.
 * And, for scale, `redact()` of the corpus's messages that have a number to delete.
 *
 * `npm run build && node --expose-gc bench/micro/counts.js` (and the same with Node 26)
 *
 * @module
 */
import { generateCorpus } from '../corpus.js';
import { loadDistModule, loadEngine } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { KINDS } = await loadDistModule('redact/kinds.js');
const { redact } = await loadEngine();

const ONE_OF_KIND = KINDS.map((/** @type {string} */ kind) => Object.freeze({ [kind]: 1 }));
const byKind = new Uint32Array(KINDS.length);
/** @param {number} kind */
const built = (kind) => {
  byKind.fill(0);
  byKind[kind] = 1;
  /** @type {Record<string, number>} */
  const counts = {};
  for (let k = 0; k < KINDS.length; k++) if ((byKind[k] ?? 0) > 0) counts[KINDS[k]] = byKind[k] ?? 0;
  return counts;
};
/** @param {number} kind */
const shared = (kind) => {
  for (let k = 0; k < KINDS.length; k++) byKind[k] = 0;
  byKind[kind] = 1;
  for (let k = 0; k < KINDS.length; k++) if ((byKind[k] ?? 0) > 0) return ONE_OF_KIND[k];
  return undefined;
};
await raceInProcess('kinds of a result with one deletion', {
  'a new { [kind]: 1 } each time': () => built(3),
  'one frozen object per kind': () => shared(3),
}, { iterations: 1_000_000 });

const PLANE = new Uint8Array(0x10000);
const map = new Map([[1, PLANE], [14, PLANE]]);
const array = Array.from({ length: 17 }, (_, plane) => (plane === 1 || plane === 14 ? PLANE : undefined));
const mathDigits = [...'𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗'].map((char) => char.codePointAt(0) ?? 0);
await raceInProcess('class of an astral code point (10 mathematical digits)', {
  'Map.get(plane)': () => {
    let sum = 0;
    for (const codePoint of mathDigits) sum += map.get(codePoint >>> 16)?.[codePoint & 0xffff] ?? 0;
    return sum;
  },
  'array[plane]': () => {
    let sum = 0;
    for (const codePoint of mathDigits) sum += array[codePoint >>> 16]?.[codePoint & 0xffff] ?? 0;
    return sum;
  },
}, { iterations: 1_000_000 });

const withNumbers = JSON.parse(JSON.stringify(generateCorpus({ bytes: 1024 * 1024 }).messages)).filter(
  (/** @type {string} */ message) => redact(message).redactions > 0,
);
await raceInProcess(`for scale: redact() of all ${withNumbers.length} messages of 1 MiB with a number to delete`, {
  'redact(message)': () => {
    let length = 0;
    for (const message of withNumbers) length += redact(message).text.length;
    return length;
  },
}, { iterations: 20 });
