/**
 * The one table of HTTP status names for the whole service (RFC 9110 §15), as hono keeps
 * `utils/http-status.ts`: the error registry, the express app, the upgrade checks and the vendor
 * core all name a status from here, and ask here which class a status is in. A leaf: it imports
 * nothing.
 *
 * @module
 */

/** The statuses the service sends or reads by name. */
export const HTTP_STATUS = Object.freeze({
  ok: 200,
  noContent: 204,
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  tooManyRequests: 429,
  internalServerError: 500,
  badGateway: 502,
  serviceUnavailable: 503,
  gatewayTimeout: 504,
} as const);

/** One of the named statuses. */
export type HttpStatus = (typeof HTTP_STATUS)[keyof typeof HTTP_STATUS];

/** The classes of RFC 9110 §15: 1xx to 5xx, each a hundred wide. */
const CLASS_WIDTH = 100;
const SUCCESS_CLASS = 2;
const CLIENT_ERROR_CLASS = 4;
const SERVER_ERROR_CLASS = 5;
const FIRST_CLASS = 1;

const classOf = (status: number): number => Math.floor(status / CLASS_WIDTH);

/** A status code at all: a whole number from 100 to 599. */
export function isHttpStatus(status: number): boolean {
  return Number.isInteger(status) && classOf(status) >= FIRST_CLASS && classOf(status) <= SERVER_ERROR_CLASS;
}

/**
 * 2xx: the request succeeded.
 *
 * @example
 * ```ts
 * isSuccessStatus(204); // true
 * isSuccessStatus(304); // false
 * ```
 */
export function isSuccessStatus(status: number): boolean {
  return classOf(status) === SUCCESS_CLASS;
}

/** 4xx: the request was at fault. */
export function isClientErrorStatus(status: number): boolean {
  return classOf(status) === CLIENT_ERROR_CLASS;
}

/** 5xx: the server was at fault. */
export function isServerErrorStatus(status: number): boolean {
  return classOf(status) === SERVER_ERROR_CLASS;
}

/** 4xx or 5xx: anything that is not an answer to use. */
export function isErrorStatus(status: number): boolean {
  return isClientErrorStatus(status) || isServerErrorStatus(status);
}
