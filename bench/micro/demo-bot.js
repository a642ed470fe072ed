/**
 * The demo bot's per-reply bookkeeping, as it streams a reply word by word (`delayMs: 0`, as
 * the WebSocket suite runs it): a signal combined with `AbortSignal.any` from the caller's and
 * the bot's lifelong closing signal, against the caller's signal alone and a flag; and the split
 * into words, at lookarounds against a match of words; and a reply's words, split whole against
 * only its receipt split and the fixed answer's words split once; and a reply's parts given by an
 * async generator against a hand-made iterator.
 *
 * `npm run build && node --expose-gc bench/micro/demo-bot.js`
 *
 * @module
 */
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { composeDemoReply, splitIntoWords } = await loadDistModule('chatbot/demo-bot.js');
const reply = composeDemoReply('Hvorfor er regningen høyere enn vanlig denne gangen?');

const closing = new AbortController();
/** @param {AbortSignal} signal @param {boolean} combine */
async function* stream(signal, combine) {
  const stop = combine ? AbortSignal.any([signal, closing.signal]) : signal;
  const words = splitIntoWords(reply);
  for (let index = 0; index < words.length; index += 1) {
    if (stop.aborted) throw stop.reason;
    yield { type: 'text', text: words[index] };
  }
}
/** @param {boolean} combine */
const drain = async (combine) => {
  let length = 0;
  for await (const part of stream(new AbortController().signal, combine)) length += part.text.length;
  return length;
};

await raceInProcess('demo bot: one reply streamed word by word', {
  'AbortSignal.any([signal, closing])': () => drain(true),
  'the caller’s signal and a flag': () => drain(false),
}, { iterations: 5_000 });

const WORD = /\s*\S+\s*/g;
await raceInProcess('demo bot: a reply split into words', {
  'split(/(?<=\\s)(?=\\S)/u)': () => reply.split(/(?<=\s)(?=\S)/u),
  'match(/\\s*\\S+\\s*/g)': () => reply.match(WORD),
}, { iterations: 50_000 });

// The words of a reply: the whole reply split, against only the receipt split and the fixed
// answer's words (split once, when the bot is made) put after it — as `answerTo` does now.
const receipt = reply.slice(0, reply.indexOf('\n\n') + 2);
const answerWords = splitIntoWords(reply.slice(receipt.length));
if (JSON.stringify([...splitIntoWords(receipt), ...answerWords]) !== JSON.stringify(splitIntoWords(reply))) throw new Error('the two ways split differently');
await raceInProcess('demo bot: the words of one reply', {
  'the whole reply split': () => splitIntoWords(reply),
  'the receipt split, the answer’s words split once': () => [...splitIntoWords(receipt), ...answerWords],
}, { iterations: 50_000 });

// A reply's parts with no pause: an async generator against a hand-made async iterator (as the
// bot gives them with `delayMs: 0` now), drained by `for await` as the relay drains them.
const parts = [...splitIntoWords(reply).map((text) => ({ type: 'text', text })), { type: 'actions', actions: [] }];
async function* generated(/** @type {AbortSignal} */ signal) {
  for (const part of parts) {
    if (signal.aborted) throw signal.reason;
    yield part;
  }
}
function handMade(/** @type {AbortSignal} */ signal) {
  let next = 0;
  const ended = { done: true, value: undefined };
  const iterator = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => (next < parts.length ? (signal.aborted ? Promise.reject(signal.reason) : Promise.resolve({ done: false, value: parts[next++] })) : Promise.resolve(ended)),
    return: () => Promise.resolve(ended),
  };
  return iterator;
}
/** @param {AsyncIterable<{ type: string }>} source */
const drainParts = async (source) => {
  let count = 0;
  for await (const part of source) if (part.type === 'text') count += 1;
  return count;
};
const open = new AbortController().signal;
await raceInProcess(`demo bot: one reply's ${parts.length} parts, no pause`, {
  'an async generator': () => drainParts(generated(open)),
  'a hand-made iterator': () => drainParts(handMade(open)),
}, { iterations: 20_000 });
