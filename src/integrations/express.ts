/**
 * Express middleware that redacts chosen string fields of a parsed request body in place, so the
 * handlers after it — and whatever they log, store or forward — never see the numbers.
 *
 * Typed structurally rather than with express's own types, so a user needs no `@types/express`
 * for it (helmet does the same); it fits `app.use`, `router.post` and every other place that
 * takes a request handler.
 *
 * @module
 */
import { redact, resolvePolicy, type Policy, type PolicyOptions } from '../redact/index.js';

/**
 * Options of {@link redactBody}.
 *
 * @example
 * ```ts
 * const options: RedactBodyOptions = { fields: ['message', 'attachments.*.caption'], policy: { replacement: '…' } };
 * ```
 */
export interface RedactBodyOptions {
  /**
   * Dot paths into `req.body` of the fields to redact: `'message'`, `'customer.note'`,
   * `'items.*.text'`. A `*` segment stands for every element of an array or every own property
   * of an object; a number segment picks one array element (`'items.0.text'`). Only strings are
   * redacted: a path that ends on a number, object or array is left alone (use `'tags.*'` for an
   * array of strings), and a path that is not in the body is skipped.
   */
  readonly fields: readonly string[];
  /** The redaction policy (default: 7 digits, gaps of up to 3 separators). */
  readonly policy?: PolicyOptions | Policy;
}

/** What the middleware reads and writes of a request: express's `req` is one. */
export interface BodyRequest {
  body?: unknown;
}

/** What the middleware writes of a response: express's `res` is one. */
export interface LocalsResponse {
  locals: Record<string, unknown>;
}

/**
 * A request handler as express calls it; what {@link redactBody} returns.
 *
 * @example
 * ```ts
 * const scrubTicket: RedactBodyHandler = redactBody({ fields: ['note'] });
 * router.post('/tickets', express.json(), scrubTicket, saveTicket);
 * ```
 */
export type RedactBodyHandler = (req: BodyRequest, res: LocalsResponse, next: (error?: unknown) => void) => void;

/** The path segment that stands for every element or property. */
const WILDCARD = '*';
const PATH_SEPARATOR = '.';

function parseFields(fields: readonly string[]): string[][] {
  if (!Array.isArray(fields) || fields.length === 0) {
    throw new TypeError('redactBody: `fields` must list at least one dot path, e.g. ["message"]');
  }
  return fields.map((field) => {
    const segments = typeof field === 'string' ? field.split(PATH_SEPARATOR) : [];
    if (segments.length === 0 || segments.some((segment) => segment === '')) {
      throw new TypeError(`redactBody: ${JSON.stringify(field)} is not a dot path such as "customer.note"`);
    }
    return segments;
  });
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The keys of `container` that `segment` names; own properties only, so `__proto__` never matches. */
function keysFor(container: Record<string, unknown>, segment: string): string[] {
  if (segment === WILDCARD) return Object.keys(container);
  return Object.hasOwn(container, segment) ? [segment] : [];
}

/** Redact the strings at `segments[index…]` below `container`; returns the deletions made. */
function redactPath(container: Record<string, unknown>, segments: readonly string[], index: number, policy: Policy): number {
  const segment = segments[index]!;
  const isLast = index === segments.length - 1;
  let redactions = 0;
  for (const key of keysFor(container, segment)) {
    const value = container[key];
    if (isLast) {
      if (typeof value !== 'string') continue;
      const result = redact(value, policy);
      if (result.redactions > 0) container[key] = result.text;
      redactions += result.redactions;
    } else if (isContainer(value)) {
      redactions += redactPath(value, segments, index + 1, policy);
    }
  }
  return redactions;
}

/**
 * Middleware that redacts the string fields `fields` of `req.body` in place. Mount it after the
 * body parser (`express.json()`, `express.urlencoded()`); without a parsed body it does nothing.
 * It adds the number of deleted combinations to `res.locals.redactions` (0 when nothing was
 * deleted), so a handler can tell the user that a number was removed.
 *
 * The options are checked and the policy validated when the middleware is made, not per request.
 *
 * @throws `TypeError` for an empty or malformed field list; `PolicyError` for an invalid policy
 * @example
 * ```ts
 * import express from 'express';
 * import { redactBody } from 'chat-redact';
 *
 * const app = express();
 * app.post('/tickets', express.json(), redactBody({ fields: ['subject', 'customer.note', 'items.*.text'] }), (req, res) => {
 *   // req.body.customer.note: 'ring meg på ' — the number never reaches this handler
 *   res.json({ saved: true, removedNumbers: res.locals.redactions });
 * });
 * ```
 */
export function redactBody(options: RedactBodyOptions): RedactBodyHandler {
  const paths = parseFields(options.fields);
  const policy = resolvePolicy(options.policy);
  return (req, res, next) => {
    const { body } = req;
    let redactions = 0;
    if (isContainer(body)) for (const segments of paths) redactions += redactPath(body, segments, 0, policy);
    const before = res.locals.redactions;
    res.locals.redactions = (typeof before === 'number' ? before : 0) + redactions;
    next();
  };
}
