/**
 * Native OpenAI endpoint: what the gateway adds to an app that keeps its OpenAI SDK and changes
 * its base URL (`NATIVE_API=on`). One client at low load streams Chat Completions through the
 * gateway's `/v1/chat/completions` and straight to the same OpenAI-compatible stub, in turn; the
 * gateway's share is the difference, at p50 and p99, of the time to the first token and of the
 * whole reply. Gateway, stub and client each run in a fresh process. A third leg in each turn goes
 * through a bare HTTP proxy (`lib/openai-stub.js`: read the body, forward it over undici, pass every
 * chunk on) to the same stub: one HTTP hop, which any gateway in front of a vendor costs; the
 * added time to first token says what is left less it, for reference beside the targets.
 *
 * @module
 */
import { sampleMessages } from './lib/chat-sample.js';
import { countLeaks } from './lib/judge.js';
import { median, percentile } from './lib/measure.js';
import { withProcessGroup } from './lib/net-process.js';
import { CHILD_LIFETIME_MS, percentileAcrossRounds, raceInRounds } from './lib/net-race.js';
import { REDACTED_ANSWER, STUB_DELTAS } from './lib/openai-stub.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'Native OpenAI endpoint — time to first token and whole reply, against the vendor straight';

const SERVER = new URL('./lib/net-server.js', import.meta.url);
const LOAD = new URL('./lib/native-load.js', import.meta.url);
const PAIRS = 'gateway and vendor in turn';
const TOKEN = 'bench-native-token';
const MESSAGE_COUNT = 40;
const MESSAGES_WITH_NUMBERS = 4;
/** The targets for the added time to first token, in ms. */
const TARGET_P50_MS = 0.2;
const TARGET_P99_MS = 1;

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, progress }) {
  const settings = options.native;
  const texts = sampleMessages({ count: MESSAGE_COUNT, withNumbers: MESSAGES_WITH_NUMBERS, hasNumber: (text) => countLeaks(text) > 0 });
  const runs = await raceInRounds(
    [PAIRS],
    settings.rounds,
    () =>
      withProcessGroup(async (group) => {
        const stub = await group.start(SERVER, { kind: 'openai-stub', thinkMs: settings.thinkMs, lifetimeMs: CHILD_LIFETIME_MS }, { name: 'OpenAI stub' });
        const env = { LOG_LEVEL: 'info', VENDOR_KIND: 'openai', VENDOR_MODEL: 'bench', VENDOR_URL: stub.ready.url, NATIVE_API: 'on', NATIVE_TOKEN: TOKEN };
        const gateway = await group.start(SERVER, { kind: 'gateway', env, lifetimeMs: CHILD_LIFETIME_MS }, { name: 'gateway' });
        const proxy = await group.start(SERVER, { kind: 'bare-proxy', vendorUrl: stub.ready.url, lifetimeMs: CHILD_LIFETIME_MS }, { name: 'bare proxy' });
        const load = await group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'native client' });
        return load.request('measure', {
          gatewayUrl: `http://127.0.0.1:${gateway.ready.port}/v1/chat/completions`,
          vendorUrl: `${stub.ready.url}/chat/completions`,
          proxyUrl: `${proxy.ready.url}/chat/completions`,
          token: TOKEN,
          texts,
          ...settings,
        });
      }),
    progress,
  );
  const results = runs.get(PAIRS) ?? [];
  /** @param {(r: any) => number[]} pick @param {number} p */
  const across = (pick, p) => percentileAcrossRounds(results, pick, p);
  /** @param {string} through @param {string} straight @param {number} p */
  const added = (through, straight, p) => results.map((r) => percentile(r[through], p) - percentile(r[straight], p));
  const unit = 'ms';
  /**
   * @param {string} benchmark @param {string} through @param {string} straight @param {number} p
   * @param {import('./lib/report.js').Target} [target]
   */
  const addedRow = (benchmark, through, straight, p, target) => {
    const samples = added(through, straight, p);
    const details = [`${formatNumber(across((r) => r[through], p))} − ${formatNumber(across((r) => r[straight], p))} ms`];
    return makeRow({ benchmark, variant: 'gateway − straight to the vendor', unit, value: median(samples), samples, details, ...(target !== undefined && { target }) });
  };
  /**
   * The added time to first token, with the gateway's own work beside it for reference: less one
   * bare HTTP hop (the bare proxy's added time), in each round, the median over rounds.
   * @param {number} p @param {import('./lib/report.js').Target} target
   */
  const addedFirstRow = (p, target) => {
    const row = addedRow(`added time to first token, p${Math.round(p * 100)}`, 'gatewayFirst', 'directFirst', p, target);
    const hop = median(added('proxyFirst', 'directFirst', p));
    const own = median(results.map((r) => percentile(r.gatewayFirst, p) - percentile(r.proxyFirst, p)));
    return { ...row, details: [...row.details, `less one bare HTTP hop (${formatNumber(hop)} ms): ${formatNumber(own)} ms`] };
  };
  /** @param {string} benchmark @param {string} through @param {string} proxied @param {string} straight @param {number} p */
  const pairRows = (benchmark, through, proxied, straight, p) => {
    const baseline = { variant: 'straight to the vendor', value: across((r) => r[straight], p) };
    return [
      makeRow({ benchmark, variant: 'through the native endpoint', unit, value: across((r) => r[through], p), baseline }),
      makeRow({ benchmark, variant: 'through a bare HTTP proxy', unit, value: across((r) => r[proxied], p), baseline }),
      makeRow({ benchmark, variant: 'straight to the vendor', unit, value: baseline.value, isBaseline: true }),
    ];
  };
  const rows = [
    addedFirstRow(0.5, { op: '<=', value: TARGET_P50_MS }),
    addedFirstRow(0.99, { op: '<=', value: TARGET_P99_MS }),
    addedRow('added whole reply, p50', 'gatewayWhole', 'directWhole', 0.5),
    addedRow('added whole reply, p99', 'gatewayWhole', 'directWhole', 0.99),
    ...pairRows('time to first token, p50', 'gatewayFirst', 'proxyFirst', 'directFirst', 0.5),
    ...pairRows('time to first token, p99', 'gatewayFirst', 'proxyFirst', 'directFirst', 0.99),
    ...pairRows('whole reply, p99', 'gatewayWhole', 'proxyWhole', 'directWhole', 0.99),
  ];
  const leaking = results.reduce((sum, r) => sum + r.leakingAnswers, 0);
  const wrong = results.flatMap((r) => r.answers).filter((answer) => answer !== REDACTED_ANSWER).length;
  return {
    description: [
      `One client, one streamed \`POST /v1/chat/completions\` at a time, ${formatNumber(settings.pauseMs)} ms of pause after each pair: through the ` +
        'gateway (NATIVE_API=on, NATIVE_TOKEN, VENDOR_KIND=openai: the request redacted, forwarded over the shared vendor core, each chunk redacted ' +
        `per choice as it streams) and straight to the same stub, which writes its headers and the role's chunk at once, then after a think time of ` +
        `${formatNumber(settings.thinkMs)} ms streams ${STUB_DELTAS.length} content chunks, one write per turn of its event loop, with a phone number ` +
        'split across two of them. Each over a keep-alive undici pool; alternating which goes first.',
      `${formatNumber(settings.messages)} timed pairs after ${formatNumber(settings.warmup)} untimed, in each of ${settings.rounds} rounds with fresh ` +
        'processes (gateway, stub, client); a percentile is taken in each round, the figure is the median over rounds. Questions: ' +
        `${MESSAGE_COUNT} from the seeded corpus, ${MESSAGES_WITH_NUMBERS} with a number to delete. Time to first token: to the first event with content.`,
      'A third request in each turn, which goes first rotating, passes through a bare HTTP proxy (`node:http` server, the body forwarded over an ' +
        'undici pool, every chunk of the answer written on as it comes; no routing, checks, logs, parsing or redaction) to the same stub: one HTTP ' +
        'hop on this machine, which any gateway in front of the vendor costs. The added time to first token says beside it, for reference, what is ' +
        'left less that hop (in each round, then the median over rounds): the gateway\'s own work. The targets apply to the added time itself.',
    ],
    rows,
    notes: [
      `Answers in which a combination of 7 or more digits (by the tests' reference judge) reached the client: ${leaking}.`,
      `Answers through the gateway other than the stub's answer redacted: ${wrong}.`,
    ],
  };
}
