/**
 * Whether a vendor's link may be shown, judged in every form it may be read in, not only as
 * written: as the browser sends it, and as a server reads it — query, path and fragment
 * percent-decoded, `+` as a space (`application/x-www-form-urlencoded`: `?tel=98+76+54+32` is
 * read `98 76 54 32`), decoded again for a server behind a proxy that decodes too, and with HTML
 * character references read (`&#57;`, `&nbsp;`) for a page that writes what it got into HTML.
 * One form that holds a number drops the link: a form that reads more separators or digits can
 * only join combinations. The chat path's buttons and the native API's cards both ask here.
 *
 * @module
 */
import { redact, type Policy, type RedactResult } from '../redact/index.js';
import { htmlToText } from './html-text.js';

/** Longer links are dropped: no real button needs one, and a client should not have to render it. */
export const MAX_URL_LENGTH = 2_048;
const WEB_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);
/** Decodings of a link judged beyond the first: a proxy and a server, and one more. */
const MAX_DECODINGS = 3;
const FORM_SPACE = /\+/g;

/** The verdict on a link: the link to show, or `undefined` — with what was found when a number dropped it. */
export interface LinkVerdict {
  readonly href: string | undefined;
  readonly found?: RedactResult;
}

/**
 * Links judged showable lately, per policy, by the URL as written, with their verdicts. A bot
 * offers the same few links again and again (a privacy page, "contact us"), and judging one
 * reads it in four or five forms, HTML parse included: 8.5 µs a link against 0.07 µs for a
 * remembered one (bench/micro/link-check.js). Only links that hold no number are remembered, so
 * the memory never keeps a number a link was dropped for; at the bound the oldest goes.
 */
const SHOWABLE_LINKS = new WeakMap<Policy, Map<string, LinkVerdict>>();
/** Links remembered per policy: a bot's own links, with room to spare. */
const MAX_REMEMBERED_LINKS = 256;

/**
 * The link a client may open for `url`: not when it is no URL, not http(s), too long, has
 * credentials in it, or holds a sensitive number in any of its readings. A link shown lately is
 * not judged again ({@link SHOWABLE_LINKS}).
 *
 * @example
 * ```ts
 * judgeLink('https://bank.example/?tlf=98%2076%2054%2032', policy).href; // undefined
 * ```
 */
export function judgeLink(url: string, policy: Policy): LinkVerdict {
  let remembered = SHOWABLE_LINKS.get(policy);
  const known = remembered?.get(url);
  if (known !== undefined) return known;
  const verdict = judgeLinkAnew(url, policy);
  if (verdict.href === undefined) return verdict;
  if (remembered === undefined) SHOWABLE_LINKS.set(policy, (remembered = new Map()));
  if (remembered.size >= MAX_REMEMBERED_LINKS) remembered.delete(remembered.keys().next().value!);
  remembered.set(url, Object.freeze(verdict));
  return verdict;
}

/** {@link judgeLink}'s verdict, reached without what it remembers. */
function judgeLinkAnew(url: string, policy: Policy): LinkVerdict {
  if (url.length > MAX_URL_LENGTH || !URL.canParse(url)) return { href: undefined };
  const parsed = new URL(url);
  if (!WEB_PROTOCOLS.has(parsed.protocol) || parsed.username !== '' || parsed.password !== '') return { href: undefined };
  // Judged as written, as sent (percent-encoding can put digits next to digits: `0 00000` is sent
  // as `0%2000000`) and as read (encoding must not hide a number).
  for (const form of [url, ...readingsOf(parsed.href)]) {
    const found = redact(form, policy);
    if (found.redactions > 0) return { href: undefined, found };
  }
  return { href: parsed.href };
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
