/**
 * A reply's link judged (`chatbot/link-check.ts`): read in every form it may be read in — as
 * written, as sent, percent- and form-decoded, HTML references read — each redacted, against a
 * link judged showable lately and remembered. The demo bot offers its privacy link with every
 * answer, as real bots repeat their own few links; a link never seen before (a letter suffix of
 * its own each time, so nothing is remembered) pays the reading and the remembering.
 *
 * `npm run build && node --expose-gc bench/micro/link-check.js`
 *
 * @module
 */
import { loadDistModule } from '../lib/engine.js';
import { raceInProcess } from '../lib/micro.js';

const { judgeLink } = await loadDistModule('chatbot/link-check.js');
const { createPolicy } = await loadDistModule('redact/index.js');
const policy = createPolicy({});
const LINK = 'https://www.datatilsynet.no/en/';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
let count = 0;
/** A link of letters only, new every call. */
const freshLink = () => {
  let suffix = '';
  for (let n = count++; suffix.length < 6; n = Math.floor(n / LETTERS.length)) suffix += LETTERS[n % LETTERS.length];
  return `${LINK}?side=${suffix}`;
};

await raceInProcess('link check: one reply’s link', {
  'a link not seen before: judged': () => judgeLink(freshLink(), policy).href,
  'a link shown lately: remembered': () => judgeLink(LINK, policy).href,
}, { iterations: 20_000 });
