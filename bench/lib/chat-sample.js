/**
 * The messages the network suites send: a few dozen from the start of the seeded chat corpus,
 * with the share that carries a number to delete fixed, so every run sends the very same ones.
 *
 * @module
 */
import { generateCorpus } from '../corpus.js';

/** Corpus generated to pick from: enough for far more messages than are ever sampled. */
const POOL_BYTES = 256 * 1024;

/**
 * `count` messages in corpus order, `withNumbers` of them with a number the policy deletes (the
 * first such in the corpus), spread evenly among the others.
 * @param {{ count: number, withNumbers: number, hasNumber: (text: string) => boolean }} settings
 * @returns {string[]}
 */
export function sampleMessages({ count, withNumbers, hasNumber }) {
  const { messages } = generateCorpus({ bytes: POOL_BYTES });
  const numbered = messages.filter(hasNumber).slice(0, withNumbers);
  const plain = messages.filter((m) => !hasNumber(m)).slice(0, count - withNumbers);
  if (numbered.length < withNumbers || plain.length < count - withNumbers) throw new RangeError('the corpus pool is too small');
  const sample = [...plain];
  numbered.forEach((message, k) => sample.splice(Math.floor(((k + 0.5) * count) / withNumbers), 0, message));
  return sample;
}
