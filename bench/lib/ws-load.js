/**
 * Entry point of a WebSocket load process: `node ws-load.js OPTIONS_JSON`, started by
 * `net-process.js`. It plays widget clients written with `ws`, on the parent's requests:
 *
 * - `traffic`: N clients each send a message, wait for its answer (the gateway's reply frame
 *   with `final: true`; the echo server's copy of the frame), and send the next; after a warm-up,
 *   a timed window counts the answers and times each round trip, from just before `send` to the
 *   answer's arrival. CPU time of the watched processes (the servers) is read over the window.
 * - `open`: open idle connections until it holds the number asked for (each open once the
 *   gateway's privacy notice has arrived, or the echo server's handshake is done).
 * - `drop`: cut every idle connection (no close handshake), and wait until each has closed.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { readChildOptions, serveParent } from './net-child.js';
import { readCpuMs } from './net-process.js';

/** Connection attempts in flight at once: more only overflow the server's accept queue. */
const CONNECT_CONCURRENCY = 64;
/** A connection not ready within this counts as failed. */
const CONNECT_TIMEOUT_MS = 15_000;
/** After the timed window, how long answers still in flight are waited for. */
const DRAIN_MS = 5_000;
/** Letters of a message id, as the widget makes them: letters only, so no id looks like a number. */
const ID_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 16;

/**
 * How a server answers: the gateway (privacy notice first; an ack, then reply frames up to one
 * with `final: true`), the one-frame echo (its copy of the frame), the two-frame echo (open at the
 * handshake, then answering as the gateway does: an ack, then one reply frame with `final: true`).
 * @typedef {'gateway' | 'echo' | 'two-frame-echo'} Protocol
 */

/**
 * A message id of {@link ID_LENGTH} letters: the client's letters, then the count in base 26.
 * @param {number} client
 * @param {number} count
 */
function messageId(client, count) {
  let id = '';
  for (let n = client * 1_000_003 + count; id.length < ID_LENGTH; n = Math.floor(n / ID_LETTERS.length)) {
    id += ID_LETTERS[n % ID_LETTERS.length];
  }
  return id;
}

/**
 * Open one connection; resolves once it is ready for messages.
 * @param {string} url
 * @param {Protocol} protocol
 * @returns {Promise<WebSocket>}
 */
function openOne(url, protocol) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => fail(new Error('not ready in time')), CONNECT_TIMEOUT_MS);
    /** @param {Error} error */
    function fail(error) {
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    }
    ws.on('error', (error) => fail(error));
    ws.once('close', (code) => fail(new Error(`closed with ${code} before it was ready`)));
    const ready = () => {
      clearTimeout(timer);
      ws.removeAllListeners('close');
      resolve(ws);
    };
    if (protocol !== 'gateway') ws.once('open', ready);
    // The gateway sends its privacy notice once the chat is set up on its side.
    else ws.once('message', ready);
  });
}

/**
 * Open `count` connections, at most {@link CONNECT_CONCURRENCY} at a time.
 * @param {string} url
 * @param {number} count
 * @param {Protocol} protocol
 * @returns {Promise<{ sockets: WebSocket[], failed: number, firstError: string | null }>}
 */
function openMany(url, count, protocol) {
  /** @type {WebSocket[]} */
  const sockets = [];
  let started = 0;
  let settled = 0;
  let failed = 0;
  /** @type {string | null} */
  let firstError = null;
  return new Promise((resolve) => {
    if (count <= 0) resolve({ sockets, failed, firstError });
    const next = () => {
      while (started < count && started - settled < CONNECT_CONCURRENCY) {
        started += 1;
        openOne(url, protocol)
          .then(
            (ws) => void sockets.push(ws),
            (/** @type {Error} */ error) => {
              failed += 1;
              firstError ??= error.message;
            },
          )
          .finally(() => {
            settled += 1;
            if (settled === count) resolve({ sockets, failed, firstError });
            else next();
          });
      }
    };
    next();
  });
}

/** @param {WebSocket[]} sockets @returns {Promise<void>} once every one has closed */
function cutAll(sockets) {
  return Promise.all(
    sockets.map(
      (ws) =>
        new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) resolve(undefined);
          else {
            ws.once('close', resolve);
            ws.terminate();
          }
        }),
    ),
  ).then(() => undefined);
}

/** @param {number[]} sorted @param {number} p in [0, 1] */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;

/**
 * @typedef {object} TrafficRequest
 * @property {string} url
 * @property {Protocol} protocol
 * @property {number} clients
 * @property {number} warmupMs
 * @property {number} durationMs
 * @property {string[]} texts sent in turn, each client starting elsewhere in the list
 * @property {number[]} watchPids processes whose CPU time is read over the timed window
 */

/**
 * @typedef {object} TrafficResult
 * @property {number} clients connected
 * @property {number} failedConnections
 * @property {number} seconds length of the timed window
 * @property {number} messages answers in the window
 * @property {number} errors error frames in the window (each also ends its message)
 * @property {number} framesPerMessage frames received per answered message
 * @property {number} p50Ms round trip
 * @property {number} p99Ms
 * @property {number} meanMs
 * @property {number} samples how many round trips the percentiles are over
 * @property {number} leakingReplies answers of the timed window that brought a 7+ digit combination to the client, by the reference judge (should be 0)
 * @property {(number | null)[]} watchedCpuMs CPU time of each watched process over the window
 * @property {number} loadCpuMs this process's CPU time over the window
 * @property {number} unanswered messages still without an answer when it gave up waiting
 */

/**
 * @param {TrafficRequest} request
 * @returns {Promise<TrafficResult>}
 */
async function traffic({ url, protocol, clients, warmupMs, durationMs, texts, watchPids }) {
  const opened = await openMany(url, clients, protocol);
  if (opened.sockets.length === 0) throw new Error(`no connection opened: ${opened.firstError}`);
  /** @type {'warmup' | 'timed' | 'stopping'} */
  let phase = 'warmup';
  /** @type {number[]} */
  const roundTrips = [];
  let messages = 0;
  let errors = 0;
  let frames = 0;
  /** Every reply of the timed window, judged for leaks after it so the judge costs the load nothing. */
  /** @type {string[]} */
  const timedReplies = [];
  let inFlight = 0;
  /** @type {() => void} */
  let onIdle = () => {};

  const clientsState = opened.sockets.map((ws, index) => {
    const state = { ws, index, count: 0, next: (index * 7) % texts.length, id: '', sentAt: 0, reply: '', frames: 0 };
    ws.on('message', (data) => receive(state, JSON.parse(String(data))));
    return state;
  });

  /** @param {typeof clientsState[number]} state */
  function send(state) {
    if (phase === 'stopping') return;
    const text = texts[state.next] ?? '';
    state.next = (state.next + 1) % texts.length;
    state.id = messageId(state.index, state.count++);
    state.reply = '';
    state.frames = 0;
    inFlight += 1;
    state.sentAt = performance.now();
    state.ws.send(JSON.stringify({ type: 'message', id: state.id, text }));
  }

  /** @param {typeof clientsState[number]} state @param {boolean} ok */
  function answered(state, ok) {
    const roundTrip = performance.now() - state.sentAt;
    inFlight -= 1;
    if (phase === 'timed') {
      roundTrips.push(roundTrip);
      frames += state.frames;
      if (ok) messages += 1;
      else errors += 1;
      timedReplies.push(state.reply);
    }
    if (phase === 'stopping' && inFlight === 0) onIdle();
    send(state);
  }

  /** @param {typeof clientsState[number]} state @param {any} frame */
  function receive(state, frame) {
    state.frames += 1;
    if (protocol === 'echo') {
      if (frame.id === state.id) answered(state, true);
      return;
    }
    if (frame.id !== state.id) return;
    if (frame.type === 'reply') {
      state.reply += frame.text;
      if (frame.final === true) answered(state, true);
    } else if (frame.type === 'error') answered(state, false);
  }

  for (const state of clientsState) send(state);
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  phase = 'timed';
  const cpuBefore = watchPids.map(readCpuMs);
  const ownBefore = process.cpuUsage();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  const seconds = (performance.now() - start) / 1000;
  const ownCpu = process.cpuUsage(ownBefore);
  const cpuAfter = watchPids.map(readCpuMs);
  phase = 'stopping';
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, DRAIN_MS);
    onIdle = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    if (inFlight === 0) onIdle();
  });
  const unanswered = inFlight;
  await cutAll(opened.sockets);
  const { countLeaks } = await import('./judge.js');
  const leakingReplies = timedReplies.filter((reply) => countLeaks(reply) > 0).length;
  const sorted = roundTrips.sort((a, b) => a - b);
  const answers = messages + errors;
  return {
    clients: opened.sockets.length,
    failedConnections: opened.failed,
    seconds,
    messages,
    errors,
    framesPerMessage: answers === 0 ? 0 : frames / answers,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    meanMs: sorted.length === 0 ? NaN : sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length,
    samples: sorted.length,
    leakingReplies,
    watchedCpuMs: cpuAfter.map((after, k) => {
      const before = cpuBefore[k];
      return after === null || before === null || before === undefined ? null : after - before;
    }),
    loadCpuMs: (ownCpu.user + ownCpu.system) / 1000,
    unanswered,
  };
}

/** @type {WebSocket[]} */
const idle = [];

/**
 * Open idle connections until `total` are held.
 * @param {{ url: string, protocol: Protocol, total: number }} request
 */
async function openIdle({ url, protocol, total }) {
  const opened = await openMany(url, total - idle.length, protocol);
  idle.push(...opened.sockets);
  return { held: idle.length, failed: opened.failed, firstError: opened.firstError };
}

async function dropIdle() {
  await cutAll(idle.splice(0));
  return { held: 0 };
}

const { lifetimeMs } = readChildOptions();
serveParent({ pid: process.pid }, { traffic, open: openIdle, drop: dropIdle }, { lifetimeMs });
