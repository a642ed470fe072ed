/**
 * Reads the project's own README, for tests that check a documented table against the code.
 */
import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);

/**
 * The rows of the first table under the `## heading` section of README.md, as arrays of trimmed
 * cells, without the header and separator rows.
 */
export function readmeTable(heading: string): string[][] {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end === -1 ? undefined : end);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((cell) => cell.trim()));
  return rows.slice(2);
}

/** The text inside the first pair of backticks of a cell, or `undefined`. */
export function codeIn(cell: string): string | undefined {
  return /`([^`]*)`/.exec(cell)?.[1];
}
