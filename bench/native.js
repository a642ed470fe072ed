/**
 * Native OpenAI endpoint: what the gateway adds to an app that keeps its OpenAI SDK and changes
 * its base URL (`NATIVE_API=on`). One client at low load streams Chat Completions through the
 * gateway's `/v1/chat/completions` and straight to the same OpenAI-compatible stub, in turn; the
 * gateway's share is the difference, at p50 and p99, of the time to the first token and of the
 * whole reply. Gateway, stub and client each run in a fresh process.
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
        const stub = await group.start(SERVER, { kind: 'openai-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'OpenAI stub' });
        const env = { LOG_LEVEL: 'info', VENDOR_KIND: 'openai', VENDOR_MODEL: 'bench', VENDOR_URL: stub.ready.url, NATIVE_API: 'on', NATIVE_TOKEN: TOKEN };
        const gateway = await group.start(SERVER, { kind: 'gateway', env, lifetimeMs: CHILD_LIFETIME_MS }, { name: 'gateway' });
        const load = await group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'native client' });
        return load.request('measure', {
          gatewayUrl: `http://127.0.0.1:${gateway.ready.port}/v1/chat/completions`,
          vendorUrl: `${stub.ready.url}/chat/completions`,
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
  /** @param {string} benchmark @param {string} through @param {string} straight @param {number} p */
  const addedRow = (benchmark, through, straight, p) => {
    const samples = added(through, straight, p);
    const details = [`${formatNumber(across((r) => r[through], p))} − ${formatNumber(across((r) => r[straight], p))} ms`];
    return makeRow({ benchmark, variant: 'gateway − straight to the vendor', unit, value: median(samples), samples, details });
  };
  /** @param {string} benchmark @param {string} through @param {string} straight @param {number} p */
  const pairRows = (benchmark, through, straight, p) => [
    makeRow({ benchmark, variant: 'through the native endpoint', unit, value: across((r) => r[through], p), baseline: { variant: 'straight to the vendor', value: across((r) => r[straight], p) } }),
    makeRow({ benchmark, variant: 'straight to the vendor', unit, value: across((r) => r[straight], p), isBaseline: true }),
  ];
  const rows = [
    addedRow('added time to first token, p50', 'gatewayFirst', 'directFirst', 0.5),
    addedRow('added time to first token, p99', 'gatewayFirst', 'directFirst', 0.99),
    addedRow('added whole reply, p50', 'gatewayWhole', 'directWhole', 0.5),
    addedRow('added whole reply, p99', 'gatewayWhole', 'directWhole', 0.99),
    ...pairRows('time to first token, p50', 'gatewayFirst', 'directFirst', 0.5),
    ...pairRows('whole reply, p99', 'gatewayWhole', 'directWhole', 0.99),
  ];
  const leaking = results.reduce((sum, r) => sum + r.leakingAnswers, 0);
  const wrong = results.flatMap((r) => r.answers).filter((answer) => answer !== REDACTED_ANSWER).length;
  return {
    description: [
      `One client, one streamed \`POST /v1/chat/completions\` at a time, ${formatNumber(settings.pauseMs)} ms of pause after each pair: through the ` +
        'gateway (NATIVE_API=on, NATIVE_TOKEN, VENDOR_KIND=openai: the request redacted, forwarded over the shared vendor core, each chunk redacted ' +
        `per choice as it streams) and straight to the same stub, which streams ${STUB_DELTAS.length} content chunks, one write per turn of its event ` +
        'loop, with a phone number split across two of them. Each over a keep-alive undici pool; alternating which goes first.',
      `${formatNumber(settings.messages)} timed pairs after ${formatNumber(settings.warmup)} untimed, in each of ${settings.rounds} rounds with fresh ` +
        'processes (gateway, stub, client); a percentile is taken in each round, the figure is the median over rounds. Questions: ' +
        `${MESSAGE_COUNT} from the seeded corpus, ${MESSAGES_WITH_NUMBERS} with a number to delete. Time to first token: to the first event with content.`,
    ],
    rows,
    notes: [
      `Answers in which a combination of 7 or more digits (by the tests' reference judge) reached the client: ${leaking}.`,
      `Answers through the gateway other than the stub's answer redacted: ${wrong}.`,
    ],
  };
}
