/**
 * The metrics of one chat turn (`observability/metrics.ts`), as the gateway counts them: the
 * widget's message and the bot's reply observed (messages, bytes, deletions by kind, allowed and
 * kept numbers, redaction time), the HTTP vendor's turn (its outcome and duration), and the labels
 * of the reply's three buttons counted — with a
 * message's results from the engine and a streaming redactor's counts, whose `kinds` is a getter.
 * Builds race each other in one process (each `dist/` loaded beside the others).
 *
 * `npm run build && node --expose-gc bench/micro/metrics.js [OTHER_DIST…]`
 *
 * @module
 */
import path from 'node:path';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

/** @param {string | undefined} dist */
async function turnOf(dist) {
  const load = (/** @type {string} */ relative) => loadDistModule(relative, dist);
  const { createMetrics } = await load('observability/metrics.js');
  const { METRIC_LABELS } = await load('metric-labels.js');
  const { redact, createPolicy, StreamRedactor } = await load('redact/index.js');
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const policy = createPolicy();
  const message = redact('Hei, jeg lurer på fakturaen min fra mars, ring meg på 98 76 54 32', policy);
  const reply = new StreamRedactor(policy);
  reply.push('This is what reached me: “Hei, jeg lurer på fakturaen min fra mars”. Ring 22 00 00 00.');
  reply.end();
  const label = redact('Faktura og betalingsavtale', policy);
  // A build before `vendorTurnCounter` counted a vendor's turn with prom-client's `inc`, as this did.
  /** @type {(outcome: string) => void} */
  const countTurn = metrics.vendorTurnCounter?.('generic') ?? ((outcome) => metrics.vendorRequests.inc({ vendor: 'generic', outcome }));
  return () => {
    metrics.observeRedaction('inbound', message, 70, 1e-5);
    countTurn('ok');
    metrics.vendorDuration.observe(0.004);
    metrics.observeRedaction('outbound', reply, 300, 2e-5);
    for (let k = 0; k < 3; k++) metrics.countRedactions('outbound', label);
  };
}

/** @type {Record<string, () => unknown>} */
const variants = {};
for (const [k, dist] of process.argv.slice(2).entries()) variants[`other build ${k + 1}`] = await turnOf(path.resolve(dist));
variants['this build'] = await turnOf(undefined);
await raceInProcess('metrics of one chat turn: a message and its reply observed, a vendor turn, three button labels counted', variants, { iterations: 50_000 });
