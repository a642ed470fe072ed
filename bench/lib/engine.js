/**
 * The compiled engine (`dist/`), as the benchmarks use it: they measure what users run.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The built library entry. */
export const DIST_INDEX = new URL('../../dist/index.js', import.meta.url);
/** The built command line. */
export const DIST_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** @returns {Promise<typeof import('../../dist/index.js')>} */
export async function loadEngine() {
  if (!existsSync(DIST_INDEX)) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
  return import(DIST_INDEX.href);
}

/**
 * A module of the built gateway, by its path under `dist/` (`server.js`, `chatbot/demo-bot.js`);
 * with `distDir`, of another build (a micro-benchmark racing two builds).
 * @param {string} relative
 * @param {string} [distDir] an absolute path; default this tree's `dist/`
 * @returns {Promise<any>}
 */
export async function loadDistModule(relative, distDir) {
  const url = distDir === undefined ? new URL(`../../dist/${relative}`, import.meta.url) : pathToFileURL(path.join(distDir, relative));
  if (!existsSync(url)) throw new Error(`dist/${relative} is missing: run \`npm run build\` first (npm run bench does)`);
  return import(url.href);
}

/**
 * The chat corpus messages from the file the parent wrote. Parsed from JSON, as a gateway gets
 * them, each message is a string of its own: one-byte when it is all Latin-1. Split from one
 * text, each would be a slice of a two-byte string, and measured 20% slower to redact.
 * @param {string} file
 * @returns {string[]}
 */
export const readMessages = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The corpus as one text, its messages joined by line breaks. @param {string} file */
export const readJoinedText = (file) => readMessages(file).join('\n');
