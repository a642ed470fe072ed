/**
 * The egress proxy's variables: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, read as curl and
 * undici read them — the lower-case name wins over the upper-case one when both are set, and the
 * `https:` proxy falls back to the `http:` one (`vendor-egress.ts` does that part). A proxy URL's
 * credentials are never shown in a problem line.
 *
 * @module
 */
import { z } from 'zod';
import type { EgressProxy } from '../chatbot/vendor-egress.js';
import { httpUrl } from './parsers.js';
import type { Env } from './problems.js';

/** The proxy variables, each with the lower-case name that curl and undici read first. */
export const PROXY_ALIASES: Readonly<Record<string, string>> = { HTTPS_PROXY: 'https_proxy', HTTP_PROXY: 'http_proxy', NO_PROXY: 'no_proxy' };

/** One `NO_PROXY` entry: `*`, a host or domain (`.` or `*.` before it), an IPv4 or a bracketed IPv6 address; an optional port. */
const NO_PROXY_ENTRY = /^(?:\*|(?:\*?\.)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** A proxy URL; empty is none, as in curl. */
const proxyUrl = z.preprocess((value) => (value === '' ? undefined : value), httpUrl.optional());

/** The variables of the egress proxy. */
export const egressVariables = {
  HTTPS_PROXY: proxyUrl,
  HTTP_PROXY: proxyUrl,
  NO_PROXY: z
    .string()
    .refine((value) => value.split(/[,\s]/).every((entry) => entry === '' || NO_PROXY_ENTRY.test(entry)), {
      message: 'must be comma-separated host names or addresses (bank.no, .bank.no, *.bank.no, 10.0.0.1, [::1]), each with an optional :port, or *',
    })
    .optional(),
};

/**
 * `env` with each proxy variable's lower-case value in place of the upper-case one, where it is
 * set; what the schema then reads under the upper-case name.
 */
export function preferLowerCaseProxies(env: Env): Env {
  const merged: Record<string, string | undefined> = { ...env };
  for (const [upper, lower] of Object.entries(PROXY_ALIASES)) {
    if (env[lower] !== undefined) merged[upper] = env[lower];
  }
  return merged;
}

/** The egress proxy of a read environment, or `undefined` when no proxy is set (`NO_PROXY` alone changes nothing). */
export function toEgressProxy(env: z.output<z.ZodObject<typeof egressVariables>>): EgressProxy | undefined {
  if (env.HTTPS_PROXY === undefined && env.HTTP_PROXY === undefined) return undefined;
  return { httpsProxy: env.HTTPS_PROXY, httpProxy: env.HTTP_PROXY, noProxy: env.NO_PROXY ?? '' };
}
