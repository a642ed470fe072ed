/**
 * Entry point of a server process of the network suites: `node net-server.js OPTIONS_JSON`,
 * started by `net-process.js`. It runs one of
 *
 * - `gateway`: the built gateway (`startGateway` from `dist/`) on 127.0.0.1 and an ephemeral
 *   port, its configuration from `loadConfig` with the given environment; the demo bot (delay 0)
 *   answers unless a `VENDOR_URL` is given. With `bareTexts`, the same process also serves the
 *   baseline routes of the HTTP suite on ports of their own: see {@link startBareRoutes}.
 * - `ws-echo`: a plain `ws` server that sends every message back as one frame; with
 *   `echoFrames: 2`, answers each as the gateway's protocol does, with two frames — an ack-sized
 *   frame, then a reply-sized one with `final: true` — in two writes, or in one with `oneWrite`.
 *   With `vendorUrl`, the least a gateway that calls an HTTP vendor must do in the protocol's
 *   order: the ack frame, then a keep-alive undici `request()` POST of the message to the vendor
 *   (the generic contract's body and headers) and its JSON answer read, then the reply frame
 *   quoting the answer's text — nothing redacted, validated, counted or logged.
 * - `vendor-stub`: the chatbot vendor of `vendor-stub.js`.
 * - `openai-stub`: the OpenAI-compatible vendor of `openai-stub.js` (the native suite).
 * - `bare-proxy`: the bare HTTP proxy of `openai-stub.js` in front of the stub at `vendorUrl`
 *   (the native suite's floor of one HTTP hop).
 *
 * Logs go to stdout, which the parent discards. Requests: `memory` (full GC, then
 * `process.memoryUsage()`), `connections` (how many WebSockets it holds open), `stop`.
 *
 * @module
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import express from 'express';
import pino from 'pino';
import { Agent, request } from 'undici';
import { Sender, WebSocketServer } from 'ws';
import { loadDistModule } from './engine.js';
import { collectAndMeasure, readChildOptions, serveParent } from './net-child.js';
import { startBareProxy, startOpenAiStub } from './openai-stub.js';
import { startVendorStub } from './vendor-stub.js';

/**
 * @typedef {object} ServerOptions
 * @property {'gateway' | 'ws-echo' | 'vendor-stub' | 'openai-stub' | 'bare-proxy'} kind
 * @property {string} [vendorUrl] the stub's base URL, for `bare-proxy`
 * @property {Record<string, string>} [env] the gateway's environment, for `loadConfig`
 * @property {string[]} [bareTexts] the texts the bare route knows the answers to
 * @property {1 | 2} [echoFrames] frames per answer of the `ws-echo` server (default 1)
 * @property {boolean} [oneWrite] the two-frame echo's frames in one socket write
 * @property {string} [vendorUrl] the two-frame echo asks this vendor for each reply (see the module's header)
 * @property {number} [thinkMs] the OpenAI stub's pause before its first content event, ms (`openai-stub.js`)
 * @property {string} [dist] the gateway from this build's folder instead of this tree's `dist/` (`micro/ws-builds.js`)
 * @property {number} lifetimeMs
 */

/** The gateway's reading of an `authorization` header (`http/redact-api-guard.ts`). */
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** @param {http.Server} server @returns {Promise<number>} the port */
function listenOnLoopback(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
    });
  });
}

/**
 * The HTTP suite's baselines: `POST /v1/redact` on express apps of their own, in the gateway's
 * process, set up as the gateway's app is (no `x-powered-by`, no ETag, no query parser) and with
 * the same JSON body parser and limit, answering with the very JSON the gateway would — computed
 * before the server starts, looked up by the request's text — and the same `cache-control`.
 *
 * - The bare route leaves out everything the gateway does per request: request log, security
 *   headers, routers, guard, schema check, redaction, metrics.
 * - The logged route is the bare route with two things no such service goes without: the same
 *   bearer-token check as the gateway's (`createSecretCheck` of `dist/`, 401 without it) and one
 *   access log line per request (method, route, status, whole milliseconds, client address), from
 *   plain pino to its default destination, stdout, as the gateway's logger writes (the parent
 *   discards it). No scrubbing, no anonymising: those are the gateway's own costs.
 * @param {string[]} texts
 * @param {{ policy: unknown, redactApi: { maxBodyBytes: number, token?: string } }} config
 * @returns {Promise<{ barePort: number, loggedPort: number }>}
 */
async function startBareRoutes(texts, config) {
  const { redact } = await loadDistModule('index.js');
  const { redactAnswer } = await loadDistModule('http/redact-routes.js');
  const { createSecretCheck } = await loadDistModule('secret-check.js');
  /** @param {string} text */
  const answerTo = (text) => JSON.stringify(redactAnswer(redact(text, config.policy)));
  const answers = new Map(texts.map((text) => [text, answerTo(text)]));
  const fallback = answerTo('');
  const bodyParser = express.json({ limit: config.redactApi.maxBodyBytes, strict: true });
  /** @type {import('express').RequestHandler} */
  const answer = (req, res) => {
    res
      .set('cache-control', 'no-store')
      .type('json')
      .send(answers.get(req.body?.text) ?? fallback);
  };
  const makeApp = () => {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.set('query parser', false);
    return app;
  };
  const bare = makeApp();
  bare.post('/v1/redact', bodyParser, answer);

  const logged = makeApp();
  const logger = pino();
  const isToken = createSecretCheck(config.redactApi.token ?? '');
  logged.use((req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      const path = typeof req.route?.path === 'string' ? req.route.path : '(unmatched)';
      logger.info({ method: req.method, path, status: res.statusCode, durationMs: Math.round(performance.now() - started), ip: req.socket.remoteAddress }, 'request');
    });
    next();
  });
  logged.post(
    '/v1/redact',
    (req, res, next) => {
      if (isToken(BEARER.exec(req.headers.authorization ?? '')?.[1] ?? '')) next();
      else res.status(401).set('www-authenticate', 'Bearer').json({ error: { code: 'unauthorized' } });
    },
    bodyParser,
    answer,
  );
  const [barePort, loggedPort] = await Promise.all([listenOnLoopback(http.createServer(bare)), listenOnLoopback(http.createServer(logged))]);
  return { barePort, loggedPort };
}

/** @param {ServerOptions} options */
async function startGatewayProcess(options) {
  const { startGateway } = await loadDistModule('server.js', options.dist);
  const { loadConfig } = await loadDistModule('config/load-config.js', options.dist);
  const { createDemoBot } = await loadDistModule('chatbot/demo-bot.js', options.dist);
  const config = loadConfig({ ...options.env, PORT: '0', HOST: '127.0.0.1' });
  const gateway = await startGateway(config, config.vendor.kind === 'demo' ? { chatbot: createDemoBot({ delayMs: 0 }) } : {});
  const bare = options.bareTexts === undefined ? undefined : await startBareRoutes(options.bareTexts, config);
  return {
    info: { port: gateway.port, ...bare },
    connections: () => gateway.chat.size,
  };
}

/**
 * The two frames the gateway answers a message with, as the two-frame echo builds them: the ack
 * (the message's id, its text as redacted — here as it came — and counts), then the reply.
 * @param {string} data the message frame
 */
function twoFrames(data) {
  const { id, text } = JSON.parse(data);
  return [
    JSON.stringify({ type: 'ack', id, text, redactions: 0, kinds: {} }),
    JSON.stringify({ type: 'reply', id, text, final: true }),
  ];
}

/** The gateway's keep-alive for vendor connections (`chatbot/vendor-egress.ts`). */
const VENDOR_KEEP_ALIVE_MS = 4_000;

/**
 * The two-frame echo with a vendor: ack, a POST to `vendorUrl`, then the reply with its text.
 * @param {import('ws').WebSocket} ws
 * @param {string} vendorUrl
 * @param {import('undici').Dispatcher} dispatcher
 * @param {string} conversationId
 */
function answerThroughVendor(ws, vendorUrl, dispatcher, conversationId) {
  ws.on('message', async (data) => {
    const { id, text } = JSON.parse(String(data));
    ws.send(JSON.stringify({ type: 'ack', id, text, redactions: 0, kinds: {} }));
    const response = await request(vendorUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${conversationId}:${id}` },
      body: JSON.stringify({ conversationId, messageId: id, text }),
      dispatcher,
    });
    const answer = /** @type {{ replies: { text: string }[] }} */ (await response.body.json());
    ws.send(JSON.stringify({ type: 'reply', id, text: answer.replies.map((reply) => reply.text).join('\n\n'), final: true }));
  });
}

/** @param {ServerOptions} options */
async function startEcho(options) {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const dispatcher = options.vendorUrl === undefined ? undefined : new Agent({ keepAliveTimeout: VENDOR_KEEP_ALIVE_MS });
  let chats = 0;
  wss.on('connection', (ws) => {
    if (options.vendorUrl !== undefined && dispatcher !== undefined) {
      // A conversation id as long as the gateway's (20 letters), so the vendor reads bodies of its size.
      answerThroughVendor(ws, options.vendorUrl, dispatcher, `chat${(chats += 1)}`.padEnd(20, 'x'));
      return;
    }
    if (options.echoFrames !== 2) {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      return;
    }
    if (options.oneWrite === true) {
      // Both frames framed by ws's own Sender and handed to the socket in one write, as a server
      // that coalesces its writes does.
      const socket = /** @type {import('node:net').Socket} */ (/** @type {any} */ (ws)._socket);
      const frame = (/** @type {string} */ text) => Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false });
      ws.on('message', (data) => void socket.write(Buffer.concat(twoFrames(String(data)).flatMap(frame))));
    } else {
      ws.on('message', (data) => {
        for (const text of twoFrames(String(data))) ws.send(text);
      });
    }
  });
  const port = await listenOnLoopback(server);
  return { info: { port }, connections: () => wss.clients.size };
}

async function startStub() {
  const stub = await startVendorStub();
  return { info: { url: stub.url }, connections: () => 0 };
}

const options = /** @type {ServerOptions} */ (readChildOptions());
async function startOpenAi() {
  const stub = await startOpenAiStub({ thinkMs: options.thinkMs ?? 0 });
  return { info: { url: stub.baseUrl }, connections: () => 0 };
}

async function startProxy() {
  const proxy = await startBareProxy(options.vendorUrl ?? '');
  return { info: { url: proxy.baseUrl }, connections: () => 0 };
}

const starters = {
  gateway: () => startGatewayProcess(options),
  'ws-echo': () => startEcho(options),
  'vendor-stub': startStub,
  'openai-stub': startOpenAi,
  'bare-proxy': startProxy,
};
const started = await starters[options.kind]();
serveParent(
  { ...started.info, pid: process.pid },
  { memory: collectAndMeasure, connections: started.connections },
  { lifetimeMs: options.lifetimeMs },
);
