/**
 * `GET /chat-pass.json`: a short-lived pass for the gateway's own pages to open a chat when
 * `WIDGET_TOKEN` is set (`session/page-pass.ts`), so that the chat page and the embed launcher's
 * frame work with no extra step while clients that do not come through them must present the
 * token. Answered only to same-origin requests — no CORS header, and a browser's
 * `Sec-Fetch-Site` of any other site is refused — and never cached. Without a widget token the
 * answer is `{}`: no pass is needed.
 *
 * @module
 */
import { Router, type RequestHandler } from 'express';
import { PAGE_PASS_PATH } from '../chat-frame/frame-messages.js';
import { CodedError } from '../errors.js';
import { sendJson } from './json-answer.js';
import type { PagePasses } from '../session/page-pass.js';

export { PAGE_PASS_PATH };

/** `Sec-Fetch-Site` values of a request the gateway's own page made (or a non-browser client, which sends none). */
const OWN_SITE = new Set(['same-origin', 'none']);

/**
 * The route; `passes` is absent when no widget token is set.
 *
 * @example
 * ```ts
 * app.use(createPagePassRoute(config.chat.widgetToken === undefined ? undefined : createPagePasses(config.chat.widgetToken)));
 * ```
 */
export function createPagePassRoute(passes: PagePasses | undefined): RequestHandler {
  const router = Router();
  router.get(PAGE_PASS_PATH, (request, response) => {
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && !OWN_SITE.has(site)) throw new CodedError('forbidden_origin', { message: 'Only the gateway’s own pages get a pass.' });
    sendJson(response, passes === undefined ? {} : { pass: passes.issue() });
  });
  return router;
}
