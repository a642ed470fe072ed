/**
 * Strict configuration: a variable with one of the gateway's prefixes that it does not read is a
 * mistake (`VENDOR_KND=boost` would otherwise leave the demo bot answering without a word), and
 * stops the start with a line naming the closest variable it does read. And the production
 * guards: with `NODE_ENV=production` the built-in demo bot never answers customers, and several
 * processes never seal sessions with keys of their own.
 *
 * @module
 */
import type { Env } from './problems.js';

/** Prefixes of the gateway's variables: an unknown name with one of them is refused. */
export const VARIABLE_PREFIXES = ['VENDOR_', 'REDACT_', 'SESSION_', 'PRIVACY_', 'WIDGET_', 'EMBED_', 'MAX_', 'RATE_', 'METRICS_', 'TRUST_'] as const;

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours) between two names. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known variable closest to `name` (ties: the first in `known`).
 *
 * @example
 * ```ts
 * closestVariable('VENDOR_KND', ['VENDOR_URL', 'VENDOR_KIND']); // 'VENDOR_KIND'
 * ```
 */
export function closestVariable(name: string, known: readonly string[]): string | undefined {
  let closest: string | undefined;
  let best = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(name.toUpperCase(), candidate);
    if (d < best) {
      best = d;
      closest = candidate;
    }
  }
  return closest;
}

/** One line for each variable of `env` with a gateway prefix that is not in `known`. */
export function findUnknownVariables(env: Env, known: readonly string[]): string[] {
  const knownSet = new Set(known);
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && !knownSet.has(name) && VARIABLE_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .sort()
    .map((name) => `${name}: unknown; did you mean ${closestVariable(name, known)}?`);
}

/** What the production guards look at, as the configuration has read it. */
export interface ProductionFacts {
  readonly production: boolean;
  /** The built-in demo bot would answer: no `VENDOR_URL` for the generic kind. */
  readonly demoBot: boolean;
  /** More than one process may serve chats (`WORKERS` above 1 or `auto`). */
  readonly severalProcesses: boolean;
  readonly hasSessionSecret: boolean;
}

/** The lines with which `NODE_ENV=production` refuses a configuration; none when it is fine. */
export function findProductionProblems(facts: ProductionFacts): string[] {
  if (!facts.production) return [];
  const problems: string[] = [];
  if (facts.demoBot) problems.push('VENDOR_URL: must be set when NODE_ENV is production (without it the built-in demo bot would answer customers)');
  if (facts.severalProcesses && !facts.hasSessionSecret) {
    problems.push('SESSION_SECRET: must be set when NODE_ENV is production and WORKERS is not 1 (each process would seal sessions with a key of its own)');
  }
  return problems;
}
