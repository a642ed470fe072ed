/**
 * What kept classes (`keep`) cost, in one process: `redact()` per message of the chat corpus with
 * the default policy (no `keep`), with every class kept, and — when another build's `dist/` is
 * given — that build's default policy, by kind of message (a deleted number is classified, and
 * the kinds `org_number` and `date` are tried before `phone`), so "no cost when unused" is a measured figure. Outputs of
 * the default policy must agree across builds (checked first).
 *
 * ```sh
 * git archive main | tar -x -C /tmp/before && (cd /tmp/before && npm ci && npm run build)
 * npm run build && node --expose-gc bench/micro/kept-classes.js [/tmp/before/dist]
 * ```
 *
 * @module
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCorpus } from '../corpus.js';
import { loadEngine } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const otherDist = process.argv[2];
const before = otherDist === undefined ? undefined : await import(pathToFileURL(path.resolve(otherDist, 'index.js')).href);
const after = await loadEngine();
const plain = after.createPolicy();
const kept = after.createPolicy({ keep: ['amounts', 'future_dates', 'org_numbers'] });

/** Messages parsed from JSON, as a gateway gets them: each a string of its own. */
const messages = JSON.parse(JSON.stringify(generateCorpus({ bytes: 2 * 1024 * 1024 }).messages));
if (before !== undefined) {
  for (const message of messages) {
    if (before.redact(message).text !== after.redact(message, plain).text) throw new Error(`the builds differ on ${JSON.stringify(message)}`);
  }
}

const byKind = {
  'every message': messages,
  'none deleted': messages.filter((/** @type {string} */ m) => after.redact(m, plain).redactions === 0),
  'a number deleted': messages.filter((/** @type {string} */ m) => after.redact(m, plain).redactions > 0),
};
for (const [kind, list] of Object.entries(byKind)) {
  /** @param {(text: string) => string} redactText */
  const each = (redactText) => () => {
    let length = 0;
    for (const message of list) length += redactText(message).length;
    return length;
  };
  /** @type {Record<string, () => number>} */
  const variants = {};
  if (before !== undefined) variants['no keep, other build'] = each((text) => before.redact(text).text);
  variants['no keep, this build'] = each((text) => after.redact(text, plain).text);
  variants['keep every class, this build'] = each((text) => after.redact(text, kept).text);
  await raceInProcess(`redact() per message, ${kind} (${list.length} messages a round)`, variants, { iterations: 3 });
}
