/**
 * The event-stream parser (`chatbot/sse-parser.ts`) on a streamed Chat Completions answer as the
 * `native` suite's stub writes it (`lib/openai-stub.js`: a dozen `chat.completion.chunk` events,
 * one a read, then `[DONE]`), in bytes as they come off the socket: lines ending in `\n`, as
 * OpenAI, vLLM, Ollama and LiteLLM write them. `crlf`: the same answer with `\r\n` line ends.
 * Builds race each other in one process (each `dist/` loaded beside the others), rounds
 * interleaved.
 *
 * ```sh
 * npm run build && node --expose-gc bench/micro/sse-parser.js /tmp/before/dist
 * node --expose-gc bench/micro/sse-parser.js crlf /tmp/before/dist
 * ```
 *
 * @module
 */
import path from 'node:path';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';
import { STUB_DELTAS } from '../lib/openai-stub.js';

const args = process.argv.slice(2);
const crlf = args[0] === 'crlf';
const dists = crlf ? args.slice(1) : args;

/** @param {Record<string, unknown>} delta @param {string | null} finish */
function chunkOf(delta, finish = null) {
  const choice = { index: 0, delta, finish_reason: finish };
  return `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [choice] })}\n\n`;
}
const CHUNKS = [chunkOf({ role: 'assistant', content: '' }), ...STUB_DELTAS.map((content) => chunkOf({ content })), `${chunkOf({}, 'stop')}data: [DONE]\n\n`].map(
  (text) => Buffer.from(crlf ? text.replaceAll('\n', '\r\n') : text),
);

/** @param {string | undefined} dist */
async function parser(dist) {
  const { SseParser } = await loadDistModule('chatbot/sse-parser.js', dist);
  return () => {
    const sse = new SseParser();
    let length = 0;
    for (const chunk of CHUNKS) for (const event of sse.push(chunk)) length += event.data.length;
    for (const event of sse.end()) length += event.data.length;
    return length;
  };
}

/** @type {Record<string, () => unknown>} */
const variants = {};
for (const [k, dist] of dists.entries()) variants[`other build ${k + 1}`] = await parser(path.resolve(dist));
variants['this build'] = await parser(undefined);
await raceInProcess(`one streamed answer's events parsed (${crlf ? 'CRLF' : 'LF'} line ends)`, variants, { iterations: 20_000 });
