/**
 * This build's engine against another build of it (the one before a change), in one process:
 * `redact()` per message of the chat corpus, by kind of message, and `StreamRedactor` in 64- and
 * 4,096-character chunks against one-shot `redact()` of the joined corpus. Both builds must give
 * the same output (checked first).
 *
 * ```sh
 * git worktree add /tmp/before main && (cd /tmp/before && npm ci && npm run build)
 * npm run build && node --expose-gc bench/micro/engine-builds.js /tmp/before/dist
 * ```
 *
 * @module
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCorpus } from '../corpus.js';
import { loadEngine } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const NAIVE = /\d{7,}/g;
const CHUNK_SIZES = [64, 4096];

const otherDist = process.argv[2];
if (otherDist === undefined) throw new Error('usage: node --expose-gc bench/micro/engine-builds.js OTHER_DIST_DIR');
const before = await import(pathToFileURL(path.resolve(otherDist, 'index.js')).href);
const after = await loadEngine();

/** Messages parsed from JSON, as a gateway gets them: each a string of its own. */
const messages = JSON.parse(JSON.stringify(generateCorpus({ bytes: 2 * 1024 * 1024 }).messages));
for (const message of messages) {
  if (before.redact(message).text !== after.redact(message).text) throw new Error(`the builds differ on ${JSON.stringify(message)}`);
}
const byKind = {
  'every message': messages,
  'no digit': messages.filter((/** @type {string} */ m) => !/[0-9\u0660-\uffff]/.test(m)),
  'a short number': messages.filter((/** @type {string} */ m) => /[0-9]/.test(m) && after.redact(m).redactions === 0),
  'a number deleted': messages.filter((/** @type {string} */ m) => after.redact(m).redactions > 0),
};
for (const [kind, list] of Object.entries(byKind)) {
  /** @param {(text: string) => string} redactText */
  const each = (redactText) => () => {
    let length = 0;
    for (const message of list) length += redactText(message).length;
    return length;
  };
  await raceInProcess(`one-shot per message, ${kind} (${list.length} messages a round)`, {
    'naive replace': each((text) => text.replace(NAIVE, '')),
    'redact(), other build': each((text) => before.redact(text).text),
    'redact(), this build': each((text) => after.redact(text).text),
  }, { iterations: 5 });
}

const joined = messages.join('\n');
/** @param {number} size @returns {string[]} chunks that are strings of their own */
const cut = (size) => {
  const chunks = [];
  for (let at = 0; at < joined.length; at += size) chunks.push(joined.slice(at, at + size));
  return JSON.parse(JSON.stringify(chunks));
};
for (const size of CHUNK_SIZES) {
  const chunks = cut(size);
  /** @param {typeof after} engine */
  const stream = (engine) => () => {
    const redactor = new engine.StreamRedactor();
    let length = 0;
    for (const chunk of chunks) length += redactor.push(chunk).length;
    return length + redactor.end().length;
  };
  await raceInProcess(`StreamRedactor in ${size}-character chunks against one-shot redact() of the joined text`, {
    'one-shot, other build': () => before.redact(joined).text.length,
    'chunks, other build': stream(before),
    'one-shot, this build': () => after.redact(joined).text.length,
    'chunks, this build': stream(after),
  }, { iterations: 3 });
}
