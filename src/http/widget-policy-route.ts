/**
 * `GET /widget-policy.json`: the gateway's redaction policy, for the widget to run the same
 * engine with the same settings in the browser before anything is sent. A JSON route rather
 * than a value written into the page, because the page's CSP allows no inline script.
 *
 * @module
 */
import { Router, type RequestHandler } from 'express';
import { WIDGET_POLICY_PATH } from '../client/local-redaction.js';
import { HTTP_STATUS } from '../http-status.js';
import type { Policy } from '../redact/index.js';

// The client library names the path it reads; the route serves that one.
export { WIDGET_POLICY_PATH };

/**
 * The policy as the widget gets it: every setting of the engine's policy, as the gateway holds
 * it (an allow-list's numbers are public by definition, so listing them discloses nothing).
 *
 * @example
 * ```ts
 * describeWidgetPolicy(createPolicy({ minDigits: 8 })); // { minDigits: 8, maxGap: 3, replacement: '' }
 * ```
 */
export function describeWidgetPolicy(policy: Policy): Record<string, unknown> {
  return { ...policy };
}

/**
 * The route. Any origin may read it (a web team's own UI on another origin runs the engine too);
 * it carries no cookie and nothing secret. Revalidated on every load, so a changed policy
 * reaches widgets with the next page load.
 */
export function createWidgetPolicyRoute(policy: Policy): RequestHandler {
  const body = JSON.stringify(describeWidgetPolicy(policy));
  const router = Router();
  router.get(WIDGET_POLICY_PATH, (_request, response) => {
    response
      .status(HTTP_STATUS.ok)
      .set({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-cache',
        'access-control-allow-origin': '*',
      })
      .send(body);
  });
  return router;
}
