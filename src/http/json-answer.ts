/**
 * A JSON answer that is never cached: what every JSON route and every error sends, with the
 * headers express's `res.json` would set (`content-type: application/json; charset=utf-8` and
 * the `content-length`), written straight to Node's response. The app sets no JSON replacer,
 * spaces or escaping and no ETag, so express would write the very same bytes; its `json` and
 * `send` would only look those settings up again, with the media type and freshness, per answer.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import { HTTP_STATUS } from '../http-status.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_STORE = 'no-store';

/**
 * Answer `res` with `body` as JSON and status `status` (default 200), not to be cached.
 *
 * Measured with the body reader that replaced body-parser on the same route (the figure is at
 * `readJsonBody`, `json-body.ts`).
 *
 * @example
 * ```ts
 * sendJson(res, { text: 'ring me on ', redactions: 1, kinds: { phone: 1 } });
 * ```
 */
export function sendJson(res: ServerResponse, body: unknown, status: number = HTTP_STATUS.ok): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('cache-control', NO_STORE);
  res.setHeader('content-type', JSON_TYPE);
  res.setHeader('content-length', Buffer.byteLength(text, 'utf8'));
  res.end(text);
}
