/**
 * Entry point of the latency suite's client process: `node latency-load.js OPTIONS_JSON`, started
 * by `net-process.js`. On the parent's `measure` request it plays one widget at low load: one
 * message at a time, a pause between, and in turn — A B A B — the same exchange two ways:
 *
 * - through the gateway: the widget's message frame sent, timed to its ack and to the final
 *   reply frame (the gateway redacts, acks, calls the vendor, redacts the reply);
 * - straight to the vendor: the request the gateway would make (`POST` with the generic
 *   contract's JSON body and idempotency key, over a keep-alive undici pool as the gateway's),
 *   timed to the whole reply read;
 * - to a plain `ws` echo server: the same message frame, timed to its copy — what one more
 *   WebSocket hop costs on this machine, whatever runs behind it.
 *
 * The difference between the first two is what the gateway adds to a chat; the third tells how
 * much of that any hop costs.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { readChildOptions, serveParent } from './net-child.js';

const ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const CONVERSATION_ID = 'latencybenchconversation';

/** A message id of letters, as the widget makes them. @param {number} n */
function messageId(n) {
  let id = '';
  for (let rest = n; id.length < 12; rest = Math.floor(rest / ID_LETTERS.length)) id += ID_LETTERS[rest % ID_LETTERS.length];
  return id;
}

/**
 * @param {string} url
 * @param {'message' | 'open'} readyOn the gateway is ready once its privacy notice has come
 * @returns {Promise<WebSocket>}
 */
function openSocket(url, readyOn) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('error', reject);
    ws.once(readyOn, () => resolve(ws));
  });
}

/** @param {WebSocket} ws @param {string} frame @returns {Promise<number>} ms to its copy */
function throughEcho(ws, frame) {
  return new Promise((resolve) => {
    const started = performance.now();
    ws.once('message', () => resolve(performance.now() - started));
    ws.send(frame);
  });
}

/**
 * @param {WebSocket} ws
 * @param {string} id
 * @param {string} text
 * @returns {Promise<{ ackMs: number, replyMs: number, reply: string }>}
 */
function throughGateway(ws, id, text) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ackMs = NaN;
    let reply = '';
    const onMessage = (/** @type {Buffer} */ data) => {
      const frame = JSON.parse(String(data));
      if (frame.id !== id) return;
      if (frame.type === 'ack') ackMs = performance.now() - started;
      else if (frame.type === 'reply') {
        reply += frame.text;
        if (frame.final === true) {
          ws.off('message', onMessage);
          resolve({ ackMs, replyMs: performance.now() - started, reply });
        }
      } else if (frame.type === 'error') {
        ws.off('message', onMessage);
        reject(new Error(`error frame ${frame.code}`));
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'message', id, text }));
  });
}

/**
 * @param {Agent} agent
 * @param {string} url
 * @param {string} id
 * @param {string} text
 * @returns {Promise<number>} ms to the whole reply
 */
async function straightToVendor(agent, url, id, text) {
  const started = performance.now();
  const response = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', 'idempotency-key': `${CONVERSATION_ID}:${id}` },
    body: JSON.stringify({ conversationId: CONVERSATION_ID, messageId: id, text }),
  });
  const answer = /** @type {{ replies: { text: string }[] }} */ (await response.body.json());
  if (response.statusCode !== 200 || answer.replies.length === 0) throw new Error(`the vendor answered ${response.statusCode}`);
  return performance.now() - started;
}

/**
 * @typedef {object} LatencyRequest
 * @property {string} chatUrl the gateway's /chat
 * @property {string} vendorUrl the stub the gateway calls
 * @property {string} echoUrl a ws echo server
 * @property {string[]} texts sent in turn
 * @property {number} warmup exchanges of each kind before the timed ones
 * @property {number} messages timed exchanges of each kind
 * @property {number} pauseMs between two pairs: low load, the machine idle in between
 */

/** @param {LatencyRequest} settings */
async function measure({ chatUrl, vendorUrl, echoUrl, texts, warmup, messages, pauseMs }) {
  const ws = await openSocket(chatUrl, 'message');
  const echo = await openSocket(echoUrl, 'open');
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  /** @type {number[]} */ const gateway = [];
  /** @type {number[]} */ const acks = [];
  /** @type {number[]} */ const direct = [];
  /** @type {number[]} */ const hops = [];
  /** @type {string[]} */ const replies = [];
  try {
    for (let n = 0; n < warmup + messages; n++) {
      const text = texts[n % texts.length] ?? '';
      const timed = n >= warmup;
      const viaGateway = async () => {
        const result = await throughGateway(ws, messageId(n), text);
        if (timed) {
          gateway.push(result.replyMs);
          acks.push(result.ackMs);
          replies.push(result.reply);
        }
      };
      const viaVendor = async () => {
        const ms = await straightToVendor(agent, vendorUrl, messageId(n), text);
        if (timed) direct.push(ms);
      };
      const viaEcho = async () => {
        const ms = await throughEcho(echo, JSON.stringify({ type: 'message', id: messageId(n), text }));
        if (timed) hops.push(ms);
      };
      // Rotate which goes first, so none always follows the pause.
      const legs = [viaGateway, viaVendor, viaEcho];
      for (let k = 0; k < legs.length; k++) await legs[(n + k) % legs.length]?.();
      await sleep(pauseMs);
    }
  } finally {
    ws.terminate();
    echo.terminate();
    await agent.close();
  }
  const { countLeaks } = await import('./judge.js');
  return { gateway, acks, direct, hops, leakingReplies: replies.filter((reply) => countLeaks(reply) > 0).length };
}

const { lifetimeMs } = readChildOptions();
serveParent({ pid: process.pid }, { measure }, { lifetimeMs });
