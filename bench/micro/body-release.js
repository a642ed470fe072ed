/**
 * Letting go of a vendor's streamed answer once it is read to `[DONE]`: undici's body as the
 * gateway gets it (`BodyReadable`, its end already arrived, as when the vendor's last chunk and
 * the end of the body come in one read), read with `for await` up to `[DONE]` and then let go.
 * `destroyed on return`: leaving the loop destroys the body without a reason (the stream
 * iterator's default), which undici answers by building a `RequestAbortedError`, stack and
 * all; `released` (`response-body.ts`, this build): the loop leaves the body alone and
 * `releaseBody` destroys it with one reason made once. What differs is only the release: the
 * reading is the same in both.
 *
 * ```sh
 * npm run build && node --expose-gc bench/micro/body-release.js
 * ```
 *
 * @module
 */
import { createRequire } from 'node:module';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const require = createRequire(import.meta.url);
/** @type {{ Readable: new (options: object) => import('node:stream').Readable }} */
const { Readable: BodyReadable } = require('undici/lib/api/readable.js');
const { readChunks, releaseBody } = await loadDistModule('chatbot/response-body.js', undefined);

const CHUNKS = ['data: {"choices":[{"index":0,"delta":{"content":"Hei"}}]}\n\n', 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n', 'data: [DONE]\n\n'].map((text) =>
  Buffer.from(text),
);
const DONE = 'data: [DONE]';
const ignore = () => undefined;

/** A body whose every chunk and end have arrived, as undici hands it over. */
function arrivedBody() {
  const body = new BodyReadable({ resume: ignore, abort: ignore, contentType: 'text/event-stream' });
  for (const chunk of CHUNKS) body.push(chunk);
  body.push(null);
  return body;
}

/** Read up to `[DONE]`; the bytes read, so the work cannot be skipped. */
async function readToDone(/** @type {AsyncIterable<Buffer>} */ chunks) {
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.length;
    if (chunk.includes(DONE)) return bytes;
  }
  return bytes;
}

/** Let the body's close (and any error) be emitted, as the next request's turn would. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

await raceInProcess(
  'a streamed answer read to [DONE], then let go',
  {
    'destroyed on return': async () => {
      const body = arrivedBody();
      const response = { body };
      const bytes = await readToDone(/** @type {AsyncIterable<Buffer>} */ (response.body));
      if (!body.destroyed) body.on('error', ignore).destroy();
      await settle();
      return bytes;
    },
    released: async () => {
      const body = arrivedBody();
      const bytes = await readToDone(readChunks({ body }));
      releaseBody(body);
      await settle();
      return bytes;
    },
  },
  { iterations: 20_000 },
);
