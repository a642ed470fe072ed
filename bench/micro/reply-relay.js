/**
 * The reply relay's redaction of a streamed reply: every word through the streaming redactor as
 * it arrives, with a clock reading before and after each for the redaction-time metric (as the
 * relay did), against the words of one event-loop turn gathered and redacted in one piece, timed
 * once, when the turn's frame is made (as it does now). Both release the same text.
 *
 * `npm run build && node --expose-gc bench/micro/reply-relay.js`
 *
 * @module
 */
import { loadDistModule, loadEngine } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { StreamRedactor, createPolicy } = await loadEngine();
const { composeDemoReply, splitIntoWords } = await loadDistModule('chatbot/demo-bot.js');
const policy = createPolicy();
const words = splitIntoWords(composeDemoReply('Kan jeg ringe dere? Nummeret mitt er 98 76 54 32'));

function perWord() {
  const redactor = new StreamRedactor(policy);
  let seconds = 0;
  let bytes = 0;
  let released = '';
  for (const word of words) {
    bytes += Buffer.byteLength(word);
    const started = performance.now();
    released += redactor.push(word);
    seconds += (performance.now() - started) / 1000;
  }
  const started = performance.now();
  released += redactor.end();
  seconds += (performance.now() - started) / 1000;
  return released.length + bytes + seconds;
}

function perTurn() {
  const redactor = new StreamRedactor(policy);
  let pending = '';
  let bytes = 0;
  for (const word of words) {
    bytes += Buffer.byteLength(word);
    pending += word;
  }
  const started = performance.now();
  const released = redactor.end(pending);
  const seconds = (performance.now() - started) / 1000;
  return released.length + bytes + seconds;
}

if (Math.trunc(perWord()) !== Math.trunc(perTurn())) throw new Error('the two ways release different text');
await raceInProcess(`reply relay: a demo reply of ${words.length} words, redacted for the widget`, {
  'a push and two clock readings per word': perWord,
  'one push per turn, timed once': perTurn,
}, { iterations: 20_000 });
