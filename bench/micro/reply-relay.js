/**
 * The reply relay's redaction of a streamed reply: every word through the line-break normaliser,
 * counted in UTF-8 bytes and through the streaming redactor as it arrives, with a clock reading
 * before and after each for the redaction-time metric (as the relay did first); the words of one
 * event-loop turn redacted in one piece, timed once, when the turn's frame is made, but line
 * breaks and bytes still read per word (as it did next); and the turn's text as the vendor wrote
 * it gathered, its line breaks and bytes read once too (as it does now). All release the same text.
 *
 * `npm run build && node --expose-gc bench/micro/reply-relay.js`
 *
 * @module
 */
import { loadDistModule, loadEngine } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { StreamRedactor, createPolicy } = await loadEngine();
const { composeDemoReply, splitIntoWords } = await loadDistModule('chatbot/demo-bot.js');
const { LineBreakNormalizer } = await loadDistModule('line-breaks.js');
const policy = createPolicy();
const words = splitIntoWords(composeDemoReply('Kan jeg ringe dere? Nummeret mitt er 98 76 54 32'));

function perWord() {
  const redactor = new StreamRedactor(policy);
  const lineBreaks = new LineBreakNormalizer();
  let seconds = 0;
  let bytes = 0;
  let released = '';
  for (const word of words) {
    bytes += Buffer.byteLength(word);
    const started = performance.now();
    released += redactor.push(lineBreaks.write(word));
    seconds += (performance.now() - started) / 1000;
  }
  const started = performance.now();
  released += redactor.end();
  seconds += (performance.now() - started) / 1000;
  return released.length + bytes + seconds;
}

function perTurn() {
  const redactor = new StreamRedactor(policy);
  const lineBreaks = new LineBreakNormalizer();
  let pending = '';
  let bytes = 0;
  for (const word of words) {
    bytes += Buffer.byteLength(word);
    pending += lineBreaks.write(word);
  }
  const started = performance.now();
  const released = redactor.end(pending);
  const seconds = (performance.now() - started) / 1000;
  return released.length + bytes + seconds;
}

function perTurnRead() {
  const redactor = new StreamRedactor(policy);
  const lineBreaks = new LineBreakNormalizer();
  let pending = '';
  let units = 0;
  for (const word of words) {
    units += word.length;
    pending += word;
  }
  const bytes = Buffer.byteLength(pending);
  const started = performance.now();
  const released = redactor.end(lineBreaks.write(pending));
  const seconds = (performance.now() - started) / 1000;
  return released.length + bytes + seconds + 0 * units;
}

const released = [perWord, perTurn, perTurnRead].map((way) => Math.trunc(way()));
if (new Set(released).size !== 1) throw new Error('the ways release different text');
await raceInProcess(`reply relay: a demo reply of ${words.length} words, redacted for the widget`, {
  'a push and two clock readings per word': perWord,
  'one push per turn, line breaks and bytes per word': perTurn,
  'one push per turn, line breaks and bytes once': perTurnRead,
}, { iterations: 20_000 });
