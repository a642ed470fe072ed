/**
 * One chat turn's work in the gateway's JavaScript, without the widget's network: a widget's
 * message frame handed to a chat (`gateway/connection.ts`) on a stand-in socket, read, redacted,
 * acked, answered and relayed, until its final reply frame — the `ws` suite's turn less the
 * kernel's and `ws`'s share. `demo`: the demo bot, word by word (`delayMs: 0`); `stub`: the
 * generic adapter (undici) to the HTTP vendor stub of the `ws` suite in a process of its own,
 * over loopback. Builds race each other in one process (each `dist/` loaded beside the others),
 * rounds interleaved, so a change to the per-message path can be weighed in seconds;
 * `micro/ws-builds.js` weighs it on the wire.
 *
 * ```sh
 * npm run build && node --expose-gc bench/micro/chat-turn.js demo /tmp/before/dist
 * ```
 *
 * @module
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import path from 'node:path';
import { sampleMessages } from '../lib/chat-sample.js';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';
import { NetProcess } from '../lib/net-process.js';
import { CHILD_LIFETIME_MS } from '../lib/net-race.js';

const OPEN = 1;
/** The `ws` surface a chat uses; frames are counted, not kept. */
class StandInSocket extends EventEmitter {
  OPEN = OPEN;
  CLOSED = 3;
  readyState = OPEN;
  bufferedAmount = 0;
  frames = 0;
  /** @type {(() => void) | undefined} */
  onFinal;
  /** @param {string} data */
  send(data) {
    this.frames += 1;
    if (data.includes('"final":true')) this.onFinal?.();
  }
  close() {}
  terminate() {}
}

/** The gateway's `ws` suite messages: seeded corpus chat, 5% with a number. */
const TEXTS = sampleMessages({ count: 40, withNumbers: 2, hasNumber: (text) => /\d{7,}/.test(text.replace(/\D+/g, '')) });
const devNull = new Writable({ write: (_chunk, _encoding, done) => done() });

const [vendor, ...others] = process.argv.slice(2);
if (vendor !== 'demo' && vendor !== 'stub') throw new Error('usage: node bench/micro/chat-turn.js demo|stub [OTHER_DIST…]');
const stub =
  vendor === 'stub' ? await NetProcess.start(new URL('../lib/net-server.js', import.meta.url), { kind: 'vendor-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'vendor stub' }) : undefined;

/**
 * A chat of the build in `dist` (undefined: this tree's), and a function that runs one turn.
 * @param {string | undefined} dist
 */
async function openChat(dist) {
  const load = (/** @type {string} */ relative) => loadDistModule(relative, dist);
  const { ChatConnection } = await load('gateway/connection.js');
  const { loadConfig } = await load('config/load-config.js');
  const { createDemoBot } = await load('chatbot/demo-bot.js');
  const { createChatbot } = await load('chatbot/create-chatbot.js');
  const { createMetrics } = await load('observability/metrics.js');
  const { METRIC_LABELS } = await load('metric-labels.js');
  const { createLogger } = await load('observability/logger.js');
  const { createSessionSealer } = await load('session/session-sealer.js');
  const { redact } = await load('redact/index.js');
  const config = loadConfig({ RATE_LIMIT_PER_MINUTE: '100000', ...(stub !== undefined && { VENDOR_URL: stub.ready.url }) });
  const policy = config.policy;
  const socket = new StandInSocket();
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const logger = createLogger({ level: 'info', scrub: (/** @type {string} */ text) => redact(text, policy).text, destination: devNull });
  new ChatConnection(socket, {
    policy,
    chatbot: stub === undefined ? createDemoBot({ delayMs: 0 }) : createChatbot(config.vendor, metrics, logger),
    sessions: createSessionSealer(config.session),
    sessionTtlMs: config.session.ttlSeconds * 1000,
    metrics,
    logger,
    privacyNotice: 'notice',
    limits: config.chat.limits,
    acrossMessages: config.chat.acrossMessages,
    maxBufferedBytes: 1 << 20,
  });
  let count = 0;
  return () =>
    new Promise((resolve) => {
      socket.onFinal = () => resolve(socket.frames);
      const text = TEXTS[count % TEXTS.length];
      const id = `m${String.fromCharCode(97 + (count % 26))}${count++}`.replace(/\d/g, (d) => String.fromCharCode(103 + Number(d)));
      socket.emit('message', Buffer.from(JSON.stringify({ type: 'message', id, text })), false);
    });
}

/** @type {Record<string, () => Promise<unknown>>} */
const variants = {};
for (const [k, dist] of others.entries()) variants[`other build ${k + 1}`] = await openChat(path.resolve(dist));
variants['this build'] = await openChat(undefined);
const title = vendor === 'demo' ? 'demo bot reply (no network)' : 'HTTP vendor stub over loopback (no widget network)';
try {
  await raceInProcess(`one chat turn in the gateway: message → ack → ${title} → final frame`, variants, { iterations: vendor === 'demo' ? 5_000 : 2_000 });
} finally {
  await stub?.stop();
}
