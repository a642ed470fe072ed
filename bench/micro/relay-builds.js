/**
 * One vendor reply relayed to the widget (`gateway/reply-relay.ts` `relayReply`), builds raced
 * in one process (each `dist/` loaded beside the others), rounds interleaved: the HTTP vendor
 * stub's answer to each of the `ws` suite's messages (a receipt quoting it and a phone number to
 * delete), which reaches the relay as one piece of text, then its end — redacted, framed and
 * counted in the metrics, the frame handed to a `send` that only keeps its length.
 *
 * ```sh
 * npm run build && node --expose-gc bench/micro/relay-builds.js /tmp/before/dist
 * ```
 *
 * @module
 */
import path from 'node:path';
import { sampleMessages } from '../lib/chat-sample.js';
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';
import { stubReplyText } from '../lib/vendor-stub.js';

const TEXTS = sampleMessages({ count: 40, withNumbers: 2, hasNumber: (text) => /\d{7,}/.test(text.replace(/\D+/g, '')) });
const REPLIES = TEXTS.map((text) => [{ type: 'text', text: stubReplyText(text) }]);

/** @param {string | undefined} dist */
async function relayer(dist) {
  const load = (/** @type {string} */ relative) => loadDistModule(relative, dist);
  const { relayReply } = await load('gateway/reply-relay.js');
  const { ActionRegistry } = await load('gateway/action-registry.js');
  const { createMetrics } = await load('observability/metrics.js');
  const { METRIC_LABELS } = await load('metric-labels.js');
  const { loadConfig } = await load('config/load-config.js');
  const config = loadConfig({});
  let sent = 0;
  const deps = {
    policy: config.policy,
    metrics: createMetrics(METRIC_LABELS, { collectDefaults: false }),
    actions: new ActionRegistry(),
    maxReplyBytes: config.chat.limits.maxReplyBytes,
    send: (/** @type {{ text: string }} */ frame) => void (sent += frame.text.length),
  };
  let count = 0;
  return async () => {
    await relayReply(REPLIES[count % REPLIES.length], { id: `m${count++}`, stream: true }, deps);
    return sent;
  };
}

/** @type {Record<string, () => unknown>} */
const variants = {};
for (const [k, dist] of process.argv.slice(2).entries()) variants[`other build ${k + 1}`] = await relayer(path.resolve(dist));
variants['this build'] = await relayer(undefined);
await raceInProcess('one JSON vendor reply relayed: redacted, framed, counted', variants, { iterations: 10_000 });
