/**
 * A reply's buttons, quick replies and links as the widget may see them: labels redacted like
 * reply text, links passed only when they are `http(s)` and hold no sensitive combination (a
 * link that carries a number is dropped and counted as a redaction), and the vendor's payload
 * exchanged for an opaque id that the chat remembers.
 *
 * A link is judged in every form it may be read in, not only as written: as the browser sends
 * it, and as a server reads it — query, path and fragment percent-decoded, `+` as a space
 * (`application/x-www-form-urlencoded`: `?tel=98+76+54+32` is read `98 76 54 32`), decoded
 * again for a server behind a proxy that decodes too, and with HTML character references read
 * (`&#57;`, `&nbsp;`) for a page that writes what it got into HTML. One form that holds a number
 * drops the link: a form that reads more separators or digits can only join combinations.
 *
 * @module
 */
import type { VendorAction } from '../chatbot/chatbot.js';
import { htmlToText } from '../chatbot/html-text.js';
import { normalizeLineBreaks } from '../line-breaks.js';
import type { Metrics } from '../observability/metrics.js';
import { redact, type Policy } from '../redact/index.js';
import type { ActionRegistry } from './action-registry.js';
import type { ActionView } from './protocol.js';

/** Longer links are dropped: no real button needs one, and a widget should not have to render it. */
export const MAX_URL_LENGTH = 2_048;
const WEB_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);
/** Decodings of a link judged beyond the first: a proxy and a server, and one more. */
const MAX_DECODINGS = 3;
const FORM_SPACE = /\+/g;

export interface ActionDeps {
  policy: Policy;
  metrics: Metrics;
  actions: ActionRegistry;
}

/**
 * The link the widget may open for `url`, or `undefined` when it may not: not a URL, not
 * http(s), too long, credentials in it, or a sensitive number anywhere in it (counted).
 */
export function checkLink(url: string, deps: Omit<ActionDeps, 'actions'>): string | undefined {
  if (url.length > MAX_URL_LENGTH || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (!WEB_PROTOCOLS.has(parsed.protocol) || parsed.username !== '' || parsed.password !== '') return undefined;
  // Judged as written, as sent (percent-encoding can put digits next to digits: `0 00000` is sent
  // as `0%2000000`) and as read (encoding must not hide a number).
  for (const form of [url, ...readingsOf(parsed.href)]) {
    const found = redact(form, deps.policy);
    if (found.redactions > 0) {
      deps.metrics.countRedactions('outbound', found);
      return undefined;
    }
  }
  return parsed.href;
}

/**
 * `href` as it may be read: as sent, then form-decoded (`+` a space, percent-escapes decoded)
 * once and again while that changes it, up to {@link MAX_DECODINGS} times, and the last of
 * these with its HTML character references read.
 */
function readingsOf(href: string): string[] {
  const readings = [href];
  let read = href;
  for (let round = 0; round < MAX_DECODINGS; round += 1) {
    const next = safeDecode(read.replace(FORM_SPACE, ' '));
    if (next === read) break;
    readings.push(next);
    read = next;
  }
  readings.push(htmlToText(read));
  return readings;
}

/** `href` with every run of percent-escapes decoded that is valid UTF-8; other runs stay as written. */
function safeDecode(href: string): string {
  return href.replace(/(?:%[\da-f]{2})+/gi, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return escapes;
    }
  });
}

/**
 * The widget's view of `actions`, remembered in the chat's registry. An action with a link the
 * widget may not open is dropped whole: its label alone would be a button that does nothing.
 */
export function viewActions(actions: readonly VendorAction[], deps: ActionDeps): ActionView[] {
  const views: ActionView[] = [];
  for (const action of actions) {
    const url = action.url === undefined ? undefined : checkLink(action.url, deps);
    if (action.url !== undefined && url === undefined) continue;
    if (url === undefined && action.payload === undefined) continue;
    const label = redact(normalizeLineBreaks(action.label), deps.policy);
    deps.metrics.countRedactions('outbound', label);
    const id = deps.actions.remember({ label: label.text, ...(action.payload !== undefined && { payload: action.payload }) });
    views.push({ id, label: label.text, ...(url !== undefined && { url }) });
  }
  return views;
}
