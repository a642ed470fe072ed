/**
 * How a variable's text is read: the zod parsers the configuration's sections are made of. Each
 * gives exactly one problem line however its value is wrong, and says what the value must be.
 *
 * @module
 */
import { z } from 'zod';
import { isTrustableAddress, type TrustProxy } from '../client-address.js';
import { ALLOW_LIMITS, foldAllowEntry, readPolicySetting } from '../redact/index.js';
import { maskUrl } from './problems.js';

/** One printable ASCII character other than a space: what tokens, secrets and model names are made of. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const DIGITS = /^\d+$/;
const HTTP_PROTOCOLS = /^https?$/;

/** Whether `value` is non-empty printable ASCII without spaces: the one rule for tokens, secrets and names. */
export function isPrintableAscii(value: string): boolean {
  return PRINTABLE_ASCII.test(value);
}

/** Non-empty printable ASCII without spaces, or `message`. */
export const printableAscii = (message: string) => z.string().refine(isPrintableAscii, { message });

/** A token (`VENDOR_TOKEN`, `WIDGET_TOKEN`, `METRICS_TOKEN`); unset by default. */
export const secret = printableAscii('must be non-empty printable ASCII without spaces').optional();

/** Text with something in it besides white space, trimmed. */
export const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });

/** Text with something in it, of at most `max` characters. */
export const boundedText = (max: number) => nonEmpty.max(max, { message: `must be at most ${max} characters` });

/** An `http://` or `https://` URL. */
export const httpUrl = z.url({ protocol: HTTP_PROTOCOLS, message: 'must be an http:// or https:// URL' });

/**
 * A whole number within bounds, or `fallback` when unset. One check and one message, so a bad
 * value gives exactly one line however it is wrong (letters, sign, too large, unsafe integer).
 */
export const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const text = value.trim();
      const number = DIGITS.test(text) ? Number(text) : Number.NaN;
      if (number >= min && number <= max) return number;
      ctx.issues.push({ code: 'custom', message: `must be a whole number from ${min} to ${max}`, input: value });
      return z.NEVER;
    });

/** One of `choices`, in any case and with white space around it. */
export const oneOf = <const T extends readonly [string, ...string[]]>(choices: T) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(choices, { message: `must be one of ${choices.join(', ')}` }));

/** The entries of a comma-separated list, trimmed; empty entries dropped. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * The origin a browser would send for `value` (`scheme://host[:port]`, lower-case, default port
 * dropped), or `undefined` when `value` is more than an origin. A trailing `/` is forgiven: it
 * is the most common way to write an origin by hand, and it names the same origin.
 */
function toOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const isWeb = url.protocol === 'http:' || url.protocol === 'https:';
  const isBare = url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '';
  // An empty query or fragment (`https://a.example?`) or userinfo (`https://@a.example`) leaves
  // no trace on the parsed URL, yet it is not an origin either.
  const hasNoExtras = !/[?#@]/.test(value);
  // A wildcard only as a whole first label before a domain of two labels or more, as CSP reads it.
  const hasFairWildcard = !url.hostname.includes('*') || WILDCARD_HOST.test(url.hostname);
  return isWeb && isBare && hasNoExtras && hasFairWildcard ? url.origin : undefined;
}

/** `*.` and then a domain of at least two labels, with no other `*`. */
const WILDCARD_HOST = /^\*\.[^*.]+(?:\.[^*.]+)+$/;

/**
 * A comma-separated list of origins (`ALLOWED_ORIGINS`, `EMBED_ORIGINS`), the one syntax of both:
 * exact origins, or `https://*.example.no` for every subdomain of a domain (one `*.` before a
 * domain of two labels or more; never `https://*`). Empty by default.
 */
export const originList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = splitList(value);
    const origins = entries.map(toOrigin);
    const bad = entries.filter((_, k) => origins[k] === undefined);
    if (bad.length === 0) return Object.freeze([...new Set(origins as string[])]);
    ctx.issues.push({
      code: 'custom',
      message:
        'must be a comma-separated list of origins like https://chat.example.no (or https://*.example.no for its subdomains); ' +
        `not an origin: ${bad.map((entry) => `"${maskUrl(entry)}"`).join(', ')}`,
      input: value,
    });
    return z.NEVER;
  });

/**
 * Kept classes, comma-separated (`amounts,future_dates,org_numbers`), read by the engine's own
 * rule for the policy's `keep`.
 */
export const keptClasses = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const read = readPolicySetting('keep', splitList(value));
    if (read.problems.length === 0) return read.value;
    ctx.issues.push({ code: 'custom', message: read.problems.join('; '), input: value });
    return z.NEVER;
  });

/**
 * Public numbers to keep, comma-separated; each entry checked by the engine's own rule, and every
 * bad one named on the variable's one line.
 */
export const allowedNumbers = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = splitList(value);
    const problems = entries.flatMap((entry) => {
      const folded = foldAllowEntry(entry);
      return 'problem' in folded ? [folded.problem] : [];
    });
    if (entries.length > ALLOW_LIMITS.maxEntries) problems.push(`must list at most ${ALLOW_LIMITS.maxEntries} numbers`);
    if (problems.length === 0) return entries;
    ctx.issues.push({ code: 'custom', message: problems.join('; '), input: value });
    return z.NEVER;
  });

/** The most reverse proxies `TRUST_PROXY` may count. */
const MAX_TRUSTED_HOPS = 16;

/**
 * `TRUST_PROXY`: unset (the socket's peer is the client), a number of reverse proxies in front
 * (`1`; `0` is unset), or comma-separated addresses and CIDRs of the proxies
 * (`10.0.0.0/8,fd00::/8`, or `loopback`, `linklocal`, `uniquelocal`). `true` is refused: trusting
 * every peer would let any client write its own address.
 */
export const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): TrustProxy | undefined => {
    if (value === undefined) return undefined;
    const text = value.trim();
    const isCount = DIGITS.test(text);
    if (isCount && Number(text) <= MAX_TRUSTED_HOPS) return Number(text) === 0 ? undefined : { hops: Number(text) };
    const entries = splitList(text);
    const bad = entries.filter((entry) => !isTrustableAddress(entry));
    if (!isCount && entries.length > 0 && bad.length === 0) return Object.freeze({ addresses: Object.freeze(entries) });
    ctx.issues.push({
      code: 'custom',
      message:
        `must be how many reverse proxies are in front (0–${MAX_TRUSTED_HOPS}) or their addresses (10.0.0.0/8,fd00::/8)` +
        (bad.length > 0 && !isCount ? `; not an address: ${bad.map((entry) => `"${entry}"`).join(', ')}` : ''),
      input: value,
    });
    return z.NEVER;
  });
