/**
 * An OpenAI-compatible vendor for the native benchmark: a plain `node:http` server on loopback
 * that answers every `POST /v1/chat/completions` with the same streamed answer: the headers and the
 * role's chunk at once, then, after the model's think time (`thinkMs`, default 0), a dozen
 * `chat.completion.chunk` events, one write per turn of the event loop as a model's tokens come,
 * with a made-up phone number split across two of them so the gateway has something to hold and
 * delete — then `data: [DONE]`.
 *
 * Without a think time the whole answer is written within some 100 µs of the request, faster than
 * any reader parses it: the first content event then often reaches a gateway in the same read as
 * every other, and its time to first token is the time to redact the whole answer. A model takes
 * hundreds of milliseconds to its first token and tens between tokens; the native suite gives the
 * stub 1 ms (`BENCH_NATIVE_THINK_MS`), so the first token is read on its own, as from a model.
 *
 * (The tests have a scriptable stub in `test/support/openai-stub.ts`; benchmarks run plain JS.)
 *
 * @module
 */
import http from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

/** The answer's pieces; the phone number (made up, eight digits) is split across two chunks. */
export const STUB_DELTAS = ['Hei', '! Du ', 'kan ', 'ringe ', 'oss ', 'på 22 0', '0 00 00', ' i ', 'dag', ', eller ', 'skrive ', 'her.'];
/** What a client must read from the gateway: the answer, redacted. */
export const REDACTED_ANSWER = 'Hei! Du kan ringe oss på  i dag, eller skrive her.';
const MAX_BODY_BYTES = 1024 * 1024;

/** @param {Record<string, unknown>} delta @param {string | null} finish */
function chunkOf(delta, finish = null) {
  const choice = { index: 0, delta, finish_reason: finish };
  return `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench', choices: [choice] })}\n\n`;
}

/** @param {http.ServerResponse} res @param {number} thinkMs */
async function streamAnswer(res, thinkMs) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunkOf({ role: 'assistant', content: '' }));
  if (thinkMs > 0) await sleep(thinkMs);
  for (const content of STUB_DELTAS) {
    if (content !== STUB_DELTAS[0] || thinkMs === 0) await nextTurn();
    res.write(chunkOf({ content }));
  }
  res.write(chunkOf({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

/**
 * Start the stub on 127.0.0.1 and an ephemeral port.
 * @param {{ thinkMs?: number }} [options] `thinkMs`: the pause before the first content event, ms
 * @returns {Promise<{ baseUrl: string, server: http.Server }>}
 */
export async function startOpenAiStub({ thinkMs = 0 } = {}) {
  const server = http.createServer((req, res) => {
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions' || size > MAX_BODY_BYTES) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      void streamAnswer(res, thinkMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { baseUrl: `http://127.0.0.1:${port}/v1`, server };
}

/**
 * The floor of any HTTP gateway in front of the stub: a plain `node:http` server that reads the
 * request's body, sends it as it came to `vendorBaseUrl` over a keep-alive undici pool (the
 * gateway's client), and passes the answer's status, media type and every chunk on as it comes —
 * no routing, checks, logs, parsing or redaction. What the native endpoint adds beyond it is its
 * own work; what it costs is one more HTTP hop on this machine, which any gateway pays.
 * @param {string} vendorBaseUrl the stub's base URL (`…/v1`)
 * @returns {Promise<{ baseUrl: string, server: http.Server }>}
 */
export async function startBareProxy(vendorBaseUrl) {
  const dispatcher = new Agent({ keepAliveTimeout: 4_000 });
  const target = `${vendorBaseUrl}/chat/completions`;
  const server = http.createServer(async (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const answer = await request(target, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
    res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
    for await (const chunk of answer.body) res.write(chunk);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { baseUrl: `http://127.0.0.1:${port}/v1`, server };
}
