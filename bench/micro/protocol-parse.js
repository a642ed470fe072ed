/**
 * A widget frame read by the gateway (`gateway/protocol.ts` `parseClientFrame`): the `ws` suite's
 * message frames (`{"type":"message","id","text"}`, ids of 16 letters, seeded corpus chat), from
 * the Buffer `ws` hands over to the checked frame. Builds race each other in one process (each
 * `dist/` loaded beside the others), rounds interleaved.
 *
 * ```sh
 * npm run build && node --expose-gc bench/micro/protocol-parse.js /tmp/before/dist
 * ```
 *
 * @module
 */
import path from 'node:path';
import { sampleMessages } from '../lib/chat-sample.js';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const TEXTS = sampleMessages({ count: 40, withNumbers: 2, hasNumber: (text) => /\d{7,}/.test(text.replace(/\D+/g, '')) });
const LETTERS = 'abcdefghijklmnop';
const FRAMES = TEXTS.map((text, k) => Buffer.from(JSON.stringify({ type: 'message', id: `${LETTERS.slice(k % 8)}${LETTERS.slice(0, k % 8)}`, text })));

/** @param {string | undefined} dist */
async function reader(dist) {
  const { parseClientFrame } = await loadDistModule('gateway/protocol.js', dist);
  let count = 0;
  return () => parseClientFrame(FRAMES[count++ % FRAMES.length], false).ok;
}

/** @type {Record<string, () => unknown>} */
const variants = {};
for (const [k, dist] of process.argv.slice(2).entries()) variants[`other build ${k + 1}`] = await reader(path.resolve(dist));
variants['this build'] = await reader(undefined);
await raceInProcess('a widget message frame parsed and checked', variants, { iterations: 20_000 });
