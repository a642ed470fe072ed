/**
 * The run's scratch folder under `os.tmpdir()`: the corpus as a file for the fresh processes to
 * read, and the CLI's large input. Deleted when the run ends, however it ends.
 *
 * @module
 */
import { mkdtempSync, rmSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCorpus } from '../corpus.js';

/**
 * @typedef {object} CorpusFile
 * @property {string} path the messages as a JSON array
 * @property {number} messages
 * @property {number} bytes UTF-8 bytes of the messages, line breaks not counted
 * @property {number} characters UTF-16 code units of the messages
 * @property {Record<string, number>} tally messages by category (see `generateMessage`)
 */

export class Workspace {
  /** @type {string} */
  dir;
  /** @type {Map<number, CorpusFile>} */
  #corpora = new Map();

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'chat-redact-bench-'));
    const remove = () => this.remove();
    process.once('exit', remove);
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
      process.once(signal, () => {
        remove();
        process.exit(130);
      });
    }
  }

  /**
   * The corpus of (at least) `bytes` bytes as a file, generated once per run and size.
   * @param {number} bytes
   * @returns {CorpusFile}
   */
  corpusFile(bytes) {
    const known = this.#corpora.get(bytes);
    if (known) return known;
    /** @type {Record<string, number>} */
    const tally = {};
    const corpus = generateCorpus({ bytes, tally });
    const file = path.join(this.dir, `corpus-${bytes}.json`);
    writeFileSync(file, JSON.stringify(corpus.messages));
    const characters = corpus.messages.reduce((sum, m) => sum + m.length, 0);
    const entry = { path: file, messages: corpus.messages.length, bytes: corpus.bytes, characters, tally };
    this.#corpora.set(bytes, entry);
    return entry;
  }

  /**
   * A file of `bytes` bytes (to the end of the line): the corpus, one message a line, over and over. Repeating a
   * 16 MiB corpus costs a second where generating 1 GiB costs fifteen, and no program under test
   * keeps anything across 16 MiB that could profit from the repetition.
   * @param {string} name
   * @param {number} bytes
   * @param {number} corpusBytes
   * @returns {{ path: string, bytes: number }}
   */
  repeatedCorpusFile(name, bytes, corpusBytes) {
    const corpus = generateCorpus({ bytes: Math.min(bytes, corpusBytes) });
    const block = Buffer.from(`${corpus.messages.join('\n')}\n`, 'utf8');
    const file = path.join(this.dir, name);
    const fd = openSync(file, 'w');
    let written = 0;
    try {
      while (written + block.length <= bytes) written += writeSync(fd, block);
      // The last, partial block ends at the first line break at or after the size asked for.
      const end = block.indexOf(0x0a, Math.max(0, bytes - written - 1)) + 1;
      if (written < bytes) written += writeSync(fd, block.subarray(0, end));
    } finally {
      closeSync(fd);
    }
    return { path: file, bytes: written };
  }

  /** Delete the folder and everything in it. */
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
