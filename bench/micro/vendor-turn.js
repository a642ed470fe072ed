/**
 * The shared vendor core's own work for one turn (`chatbot/vendor-client.ts` `turn`), without
 * the network: a chat's turns one after another under the chat's signal, each yielding one part
 * — breaker permit, budget timer, the turn's abort controller and its link to the chat's signal,
 * the metrics. Builds race each other in one process (each `dist/` loaded beside the others),
 * rounds interleaved; `micro/chat-turn.js stub` weighs the turn with its request.
 *
 * ```sh
 * npm run build && node --expose-gc bench/micro/vendor-turn.js /tmp/before/dist
 * ```
 *
 * @module
 */
import { Writable } from 'node:stream';
import path from 'node:path';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const devNull = new Writable({ write: (_chunk, _encoding, done) => done() });
const PART = { type: 'text', text: 'svar' };

/** @param {string | undefined} dist */
async function turner(dist) {
  const load = (/** @type {string} */ relative) => loadDistModule(relative, dist);
  const { createVendorClient } = await load('chatbot/vendor-client.js');
  const { createMetrics } = await load('observability/metrics.js');
  const { METRIC_LABELS } = await load('metric-labels.js');
  const { createLogger } = await load('observability/logger.js');
  const client = createVendorClient({
    kind: 'generic',
    timeoutMs: 10_000,
    metrics: createMetrics(METRIC_LABELS, { collectDefaults: false }),
    logger: createLogger({ level: 'info', scrub: (/** @type {string} */ text) => text, destination: devNull }),
  });
  const chat = new AbortController();
  let parts = 0;
  return async () => {
    for await (const _ of client.turn(chat.signal, async function* () {
      yield PART;
    })) parts += 1;
    return parts;
  };
}

/** @type {Record<string, () => unknown>} */
const variants = {};
for (const [k, dist] of process.argv.slice(2).entries()) variants[`other build ${k + 1}`] = await turner(path.resolve(dist));
variants['this build'] = await turner(undefined);
await raceInProcess("one vendor turn's own work in the shared core (no request)", variants, { iterations: 20_000 });
