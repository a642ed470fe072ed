/**
 * Entry point of the native suite's client process: `node native-load.js OPTIONS_JSON`, started
 * by `net-process.js`. On the parent's `measure` request it plays an app on an OpenAI SDK at low
 * load: one streamed Chat Completions request at a time, a pause between, in turn — A B, B A —
 * through the gateway's native endpoint and straight to the same stub (and, given `proxyUrl`,
 * through a bare HTTP proxy to it as a third, which goes first rotating), each timed to its first
 * content (time to first token) and to `data: [DONE]` (the whole reply), over a keep-alive undici
 * pool each, as an SDK's fetch keeps one. Given `watchPids`, the CPU time of those processes over
 * the timed pairs is read from /proc.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { complete } from './completion-client.js';
import { readChildOptions, serveParent } from './net-child.js';
import { readCpuMs } from './net-process.js';

/**
 * @typedef {object} NativeRequest
 * @property {string} gatewayUrl the gateway's `/v1/chat/completions`
 * @property {string} vendorUrl the stub's `/v1/chat/completions` (or a second gateway's, for a paired A/B of two builds)
 * @property {string} [vendorToken] sent as a bearer token on the `vendorUrl` leg (a second gateway's NATIVE_TOKEN)
 * @property {string} [proxyUrl] the bare proxy's `/v1/chat/completions`: a third leg, one plain HTTP hop
 * @property {string} token the gateway's NATIVE_TOKEN
 * @property {string[]} texts the questions, in turn
 * @property {number} warmup
 * @property {number} messages
 * @property {number} pauseMs
 * @property {number[]} [watchPids] processes whose CPU time is read over the timed pairs
 */

/** @param {NativeRequest} settings */
async function measure({ gatewayUrl, vendorUrl, vendorToken, proxyUrl, token, texts, warmup, messages, pauseMs, watchPids = [] }) {
  const toGateway = new Agent({ keepAliveTimeout: 4_000 });
  const toVendor = new Agent({ keepAliveTimeout: 4_000 });
  const toProxy = new Agent({ keepAliveTimeout: 4_000 });
  /** @type {Record<'gatewayFirst' | 'gatewayWhole' | 'directFirst' | 'directWhole' | 'proxyFirst' | 'proxyWhole', number[]>} */
  const figures = { gatewayFirst: [], gatewayWhole: [], directFirst: [], directWhole: [], proxyFirst: [], proxyWhole: [] };
  /** @type {string[]} */ const answers = [];
  /** @type {(number | null)[]} */ let cpuBefore = [];
  /** @type {(number | null)[]} */ let cpuAfter = [];
  try {
    for (let n = 0; n < warmup + messages; n++) {
      const question = texts[n % texts.length] ?? '';
      const timed = n >= warmup;
      if (n === warmup) cpuBefore = watchPids.map(readCpuMs);
      const viaGateway = async () => {
        const result = await complete(toGateway, gatewayUrl, { authorization: `Bearer ${token}` }, question);
        if (!timed) return;
        figures.gatewayFirst.push(result.firstMs);
        figures.gatewayWhole.push(result.wholeMs);
        answers.push(result.text);
      };
      const viaVendor = async () => {
        const result = await complete(toVendor, vendorUrl, vendorToken === undefined ? {} : { authorization: `Bearer ${vendorToken}` }, question);
        if (!timed) return;
        figures.directFirst.push(result.firstMs);
        figures.directWhole.push(result.wholeMs);
      };
      const viaProxy = async () => {
        const result = await complete(toProxy, proxyUrl ?? '', {}, question);
        if (!timed) return;
        figures.proxyFirst.push(result.firstMs);
        figures.proxyWhole.push(result.wholeMs);
      };
      // Rotate which goes first, so none always follows the pause.
      const legs = proxyUrl === undefined ? [viaGateway, viaVendor] : [viaGateway, viaVendor, viaProxy];
      for (let k = 0; k < legs.length; k++) await legs[(n + k) % legs.length]?.();
      await sleep(pauseMs);
    }
    cpuAfter = watchPids.map(readCpuMs);
  } finally {
    await toGateway.close();
    await toVendor.close();
    await toProxy.close();
  }
  const { countLeaks } = await import('./judge.js');
  const watchedCpuMs = cpuAfter.map((after, k) => {
    const before = cpuBefore[k];
    return after === null || before === null || before === undefined ? null : after - before;
  });
  return { ...figures, watchedCpuMs, answers: [...new Set(answers)], leakingAnswers: answers.filter((text) => countLeaks(text) > 0).length };
}

const { lifetimeMs } = readChildOptions();
serveParent({ pid: process.pid }, { measure }, { lifetimeMs });
