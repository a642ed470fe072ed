/**
 * Latency: what one chat at low load waits for the gateway. One widget sends a message, waits for
 * the final reply (ws → redaction → ack → HTTP vendor stub → redaction → final reply), pauses, and
 * between its messages makes the very request the gateway would make straight to the same stub,
 * and sends the frame to a plain `ws` echo server (one WebSocket hop); the three rotate. The
 * gateway's share is the difference of the first two latencies, at the median and
 * at the 99th percentile. Gateway, stub and client each run in a fresh process.
 *
 * @module
 */
import { sampleMessages } from './lib/chat-sample.js';
import { countLeaks } from './lib/judge.js';
import { median, percentile } from './lib/measure.js';
import { withProcessGroup } from './lib/net-process.js';
import { CHILD_LIFETIME_MS, percentileAcrossRounds, raceInRounds } from './lib/net-race.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'Latency — what the gateway adds to one chat at low load';

const SERVER = new URL('./lib/net-server.js', import.meta.url);
const LOAD = new URL('./lib/latency-load.js', import.meta.url);
const PAIRS = 'gateway and vendor in turn';
/** The targets for the added latency, in ms. */
const TARGET_P50_MS = 0.2;
const TARGET_P99_MS = 1;
const MESSAGE_COUNT = 40;
const MESSAGES_WITH_NUMBERS = 2;
const GATEWAY_ENV = { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000' };

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, progress }) {
  const settings = options.latency;
  const texts = sampleMessages({ count: MESSAGE_COUNT, withNumbers: MESSAGES_WITH_NUMBERS, hasNumber: (text) => countLeaks(text) > 0 });
  const runs = await raceInRounds(
    [PAIRS],
    settings.rounds,
    () =>
      withProcessGroup(async (group) => {
        const stub = await group.start(SERVER, { kind: 'vendor-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'vendor stub' });
        const gateway = await group.start(SERVER, { kind: 'gateway', env: { ...GATEWAY_ENV, VENDOR_URL: stub.ready.url }, lifetimeMs: CHILD_LIFETIME_MS }, { name: 'gateway' });
        const echo = await group.start(SERVER, { kind: 'ws-echo', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'ws echo server' });
        const load = await group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'latency client' });
        return load.request('measure', {
          chatUrl: `ws://127.0.0.1:${gateway.ready.port}/chat`,
          vendorUrl: stub.ready.url,
          echoUrl: `ws://127.0.0.1:${echo.ready.port}/`,
          texts,
          ...settings,
        });
      }),
    progress,
  );
  const results = runs.get(PAIRS) ?? [];
  /** @param {(r: any) => number[]} pick @param {number} p */
  const across = (pick, p) => percentileAcrossRounds(results, pick, p);
  const figures = {
    gateway50: across((r) => r.gateway, 0.5),
    gateway99: across((r) => r.gateway, 0.99),
    direct50: across((r) => r.direct, 0.5),
    direct99: across((r) => r.direct, 0.99),
    ack50: across((r) => r.acks, 0.5),
    ack99: across((r) => r.acks, 0.99),
    hop50: across((r) => r.hops, 0.5),
    hop99: across((r) => r.hops, 0.99),
  };
  /** @param {number} p */
  const addedSamples = (p) => results.map((r) => percentile(r.gateway, p) - percentile(r.direct, p));
  const added50 = addedSamples(0.5);
  const added99 = addedSamples(0.99);
  const leaking = results.reduce((sum, r) => sum + r.leakingReplies, 0);
  const unit = 'ms';
  /**
   * The added latency less the echo hop, in each round: the gateway's own work, a reference row
   * beside the (whose targets apply to the added latency itself).
   * @param {number} p @param {number} hop the hop's figure across rounds
   */
  const lessHopRow = (p, hop) => {
    const samples = results.map((r) => percentile(r.gateway, p) - percentile(r.direct, p) - percentile(r.hops, p));
    const benchmark = `added latency less one WebSocket hop, p${Math.round(p * 100)}`;
    return makeRow({ benchmark, variant: 'the gateway’s own work', unit, value: median(samples), samples, details: [`hop ${formatNumber(hop)} ms`] });
  };
  const rows = [
    makeRow({ benchmark: 'added latency, p50', variant: 'gateway − straight to the vendor', unit, value: median(added50), samples: added50, details: [`${formatNumber(figures.gateway50)} − ${formatNumber(figures.direct50)} ms`], target: { op: '<=', value: TARGET_P50_MS } }),
    makeRow({ benchmark: 'added latency, p99', variant: 'gateway − straight to the vendor', unit, value: median(added99), samples: added99, details: [`${formatNumber(figures.gateway99)} − ${formatNumber(figures.direct99)} ms`], target: { op: '<=', value: TARGET_P99_MS } }),
    makeRow({ benchmark: 'round trip, p50', variant: 'through the gateway', unit, value: figures.gateway50, details: [`ack ${formatNumber(figures.ack50)} ms`], baseline: { variant: 'straight to the vendor', value: figures.direct50 } }),
    makeRow({ benchmark: 'round trip, p99', variant: 'through the gateway', unit, value: figures.gateway99, details: [`ack ${formatNumber(figures.ack99)} ms`], baseline: { variant: 'straight to the vendor', value: figures.direct99 } }),
    makeRow({ benchmark: 'round trip, p50', variant: 'straight to the vendor', unit, value: figures.direct50, isBaseline: true }),
    makeRow({ benchmark: 'round trip, p99', variant: 'straight to the vendor', unit, value: figures.direct99, isBaseline: true }),
    makeRow({ benchmark: 'one WebSocket hop, p50', variant: 'ws echo server', unit, value: figures.hop50 }),
    makeRow({ benchmark: 'one WebSocket hop, p99', variant: 'ws echo server', unit, value: figures.hop99 }),
    lessHopRow(0.5, figures.hop50),
    lessHopRow(0.99, figures.hop99),
  ];
  return {
    description: [
      `One widget (\`ws\`), one message at a time, ${formatNumber(settings.pauseMs)} ms of pause after each pair: through the gateway (message frame → ack → ` +
        'the gateway\'s generic vendor adapter to a `node:http` stub on loopback → final reply frame), and the same request the gateway makes ' +
        '(`POST`, the generic contract\'s JSON body, idempotency key, a keep-alive undici pool) straight to the same stub, in turn with the third below, which goes first rotating.',
      `${formatNumber(settings.messages)} timed pairs after ${formatNumber(settings.warmup)} untimed, in each of ${settings.rounds} rounds with fresh processes ` +
        '(gateway, stub, client); a percentile is taken in each round, the figure is the median over rounds. ' +
        `Messages: ${MESSAGE_COUNT} from the seeded corpus, ${MESSAGES_WITH_NUMBERS} with a number to delete. The gateway at its defaults, LOG_LEVEL=info (to /dev/null).`,
      'Added latency: the gateway round trip\'s percentile less the direct call\'s, in each round. A widget that talks to the gateway ' +
        'instead of the vendor pays one more hop whatever the gateway does: a third exchange in each turn, the same frame to a plain `ws` echo ' +
        'server in a process of its own, measures that hop on this machine, and the last two rows take it off (in each round, then the median ' +
        'over rounds): a reference for the gateway\'s own work, beside the targets, which apply to the added latency itself.',
    ],
    rows,
    notes: [`Replies in which a combination of 7 or more digits (by the tests' reference judge) reached the widget: ${leaking}.`],
  };
}
