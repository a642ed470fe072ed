/**
 * What stands before the redaction API's routes (`/v1/redact`, `/v1/redact/stream`): the method
 * (405 with `Allow`), the per-client rate (429 with `Retry-After`), the bearer token when
 * `REDACT_API_TOKEN` is set (401, one timing-safe compare) — in that order, so a client guessing
 * tokens is metered too — and the refusal of query parameters that would change the policy (400:
 * the policy is the gateway's, and a parameter silently ignored would let a caller believe it
 * got `minDigits=8`). `REDACT_API=off` is not here: the routes are then not mounted at all.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientAddressOf } from '../client-address.js';
import type { RedactApiSettings } from '../config/load-config.js';
import { CodedError } from '../errors.js';
import { createSecretCheck } from '../secret-check.js';
import { createClientRate } from './client-rate.js';

/** The one method the redaction routes take. */
const ALLOWED_METHOD = 'POST';
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The policy's settings, by every way a caller might write one (`minDigits`, `min_digits`,
 * `min-digits`, in any case): refused by the setting's own name — our vocabulary, never the
 * caller's input.
 */
const POLICY_PARAMETERS: ReadonlyMap<string, string> = new Map(
  ['minDigits', 'maxGap', 'replacement', 'allow', 'keep', 'policy'].flatMap((name) =>
    ['', '_', '-'].map((joint) => [name.replace(/[A-Z]/g, (letter) => joint + letter).toLowerCase(), name] as const),
  ),
);

/**
 * The 400 message for a query that names a policy setting, or `undefined` when none does.
 *
 * @example
 * ```ts
 * policyParameterProblem(['min_digits']); // 'The policy is the gateway’s own: the parameter "minDigits" is not taken.'
 * ```
 */
export function policyParameterProblem(names: Iterable<string>): string | undefined {
  for (const name of names) {
    const setting = POLICY_PARAMETERS.get(name.toLowerCase());
    if (setting !== undefined) return `The policy is the gateway’s own: the parameter "${setting}" is not taken.`;
  }
  return undefined;
}

/** The names of the query parameters of `request`, without their values. */
export function queryNamesOf(request: IncomingMessage): string[] {
  const url = request.url ?? '';
  const search = url.indexOf('?');
  return search === -1 ? [] : [...new URLSearchParams(url.slice(search + 1)).keys()];
}

/**
 * The guard's check of one request: returns when it may go on, throws the `CodedError` to
 * answer (with its header set on `res`) when not. One per application, shared by the routes and
 * the route served before express, so a client has one rate whichever door it comes through.
 *
 * @example
 * ```ts
 * const check = createRedactApiCheck(config.redactApi, clientAddressOf);
 * router.all(['/v1/redact', '/v1/redact/stream'], (req, res, next) => { check(req, res); next(); });
 * ```
 */
export type RedactApiCheck = (req: IncomingMessage, res: ServerResponse) => void;

/** The check of {@link RedactApiCheck} for `settings`. */
export function createRedactApiCheck(settings: RedactApiSettings, clientAddressOf: ClientAddressOf): RedactApiCheck {
  const rate = createClientRate(settings.ratePerMinute);
  const isToken = settings.token === undefined ? undefined : createSecretCheck(settings.token);
  return (req, res) => {
    if (req.method !== ALLOWED_METHOD) {
      res.setHeader('allow', ALLOWED_METHOD);
      throw new CodedError('method_not_allowed', { message: `This address takes ${ALLOWED_METHOD} only.` });
    }
    const verdict = rate.take(clientAddressOf(req) ?? '');
    if (!verdict.ok) {
      res.setHeader('retry-after', String(verdict.retryAfterSeconds));
      throw new CodedError('rate_limited', { message: 'Too many requests from this client; wait as long as Retry-After says.' });
    }
    if (isToken !== undefined && !isToken(BEARER.exec(req.headers.authorization ?? '')?.[1] ?? '')) {
      res.setHeader('www-authenticate', 'Bearer');
      throw new CodedError('unauthorized', { message: 'Send the redaction API token as authorization: Bearer <token>.' });
    }
    const problem = policyParameterProblem(queryNamesOf(req));
    if (problem !== undefined) throw new CodedError('invalid_request', { message: problem });
  };
}
