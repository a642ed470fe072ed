/**
 * The generic adapter's reading of one JSON answer (`chatbot/generic.ts`, `readBodyText` and the
 * shape check of `response-body.ts`/`generic.ts`), without the network: the HTTP vendor stub's
 * answer to each of the `ws` suite's messages in an undici body (`BodyReadable`) whose chunk and
 * end have arrived, as when the answer comes in one read with its headers, read through a
 * conversation of the adapter on a stand-in vendor core whose exchange hands it the answer.
 * Builds race each other in one process (each `dist/` loaded beside the others), rounds
 * interleaved.
 *
 * ```sh
 * npm run build && node --expose-gc bench/micro/json-answer.js /tmp/before/dist
 * ```
 *
 * @module
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { sampleMessages } from '../lib/chat-sample.js';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';
import { stubReplyText } from '../lib/vendor-stub.js';

const require = createRequire(import.meta.url);
/** @type {{ Readable: new (options: object) => import('node:stream').Readable }} */
const { Readable: BodyReadable } = require('undici/lib/api/readable.js');
const ignore = () => undefined;
const TEXTS = sampleMessages({ count: 40, withNumbers: 2, hasNumber: (text) => /\d{7,}/.test(text.replace(/\D+/g, '')) });
const ANSWERS = TEXTS.map((text) => Buffer.from(JSON.stringify({ replies: [{ text: stubReplyText(text) }] })));
const HEADERS = { 'content-type': 'application/json' };

/** An answer whose chunk and end have arrived, as undici hands it over. @param {Buffer} chunk */
function arrivedAnswer(chunk) {
  const body = new BodyReadable({ resume: ignore, abort: ignore, contentType: 'application/json' });
  body.push(chunk);
  body.push(null);
  return { statusCode: 200, headers: HEADERS, body };
}

/** @param {string | undefined} dist */
async function reader(dist) {
  const { createGenericChatbot } = await loadDistModule('chatbot/generic.js', dist);
  let count = 0;
  /** A vendor core whose one exchange is the next stub answer. */
  const client = {
    kind: 'generic',
    turn: (/** @type {AbortSignal} */ signal, /** @type {(turn: object) => AsyncIterable<unknown>} */ body) =>
      body({ signal, exchange: (/** @type {unknown} */ _spec, /** @type {(r: object, s: AbortSignal) => AsyncIterable<unknown>} */ read) => read(arrivedAnswer(ANSWERS[count++ % ANSWERS.length]), signal) }),
    close: async () => undefined,
  };
  const conversation = createGenericChatbot(client, 'http://127.0.0.1:9/v1/reply').open({ conversationId: 'qhzkwmpbtreaxvfnsdlc', onMessage: ignore });
  const signal = new AbortController().signal;
  let chars = 0;
  return async () => {
    for await (const part of conversation.reply({ kind: 'text', messageId: 'm1', text: 'hei' }, signal)) chars += part.text.length;
    return chars;
  };
}

/** @type {Record<string, () => unknown>} */
const variants = {};
for (const [k, dist] of process.argv.slice(2).entries()) variants[`other build ${k + 1}`] = await reader(path.resolve(dist));
variants['this build'] = await reader(undefined);
await raceInProcess("one JSON answer read by the generic adapter (no network)", variants, { iterations: 20_000 });
