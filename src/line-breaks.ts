/**
 * Line breaks on the chat path, written one way: `\n`. A person reads `98\r76\r54\r32` as four
 * lines, and so does the policy (a line break is never a separator); but a page draws a carriage
 * return, a form feed or U+2028 as nothing at all, and would show `98765432`. So the gateway
 * writes every line break as `\n` in what it sends to the vendor and in every frame to the widget,
 * and the widget in what it sends and draws (`white-space: pre-wrap` draws each `\n`).
 *
 * `\r\n`, `\r`, `\v` (U+000B), `\f` (U+000C), U+0085, U+2028 and U+2029 each become one `\n`.
 * Normalising cannot change what redaction deletes: every one of these, and `\n`, is a line
 * break, neither digit nor separator, so a combination ends at each just the same whichever is
 * written. The gateway normalises before it redacts, for two reasons: the text it sends is then
 * still made by the engine alone (`RedactedText`), and afterwards would be wrong — a deletion can
 * put a `\r` right before a `\n` (`a\r0000000\nb`), and two line breaks would become one.
 *
 * A shared leaf: the gateway and the browser code (client, widget) import it.
 *
 * @module
 */

const CARRIAGE_RETURN = '\r';
const LINE_FEED = '\n';
const LINE_FEED_CODE = 0x0a;
/** Every line break but `\n`, with `\r\n` first so that the pair becomes one break. */
const OTHER_LINE_BREAKS = /\r\n|[\r\v\f\u0085\u2028\u2029]/g;
/** Whether a text holds any line break but `\n` (tested first: most text has none, and is returned as it is). */
const HAS_OTHER_LINE_BREAK = /[\r\v\f\u0085\u2028\u2029]/;

/**
 * `text` with every line break written `\n`.
 *
 * @example
 * ```ts
 * normalizeLineBreaks('98\r76\r\n54\u202832'); // '98\n76\n54\n32'
 * ```
 */
export function normalizeLineBreaks(text: string): string {
  return HAS_OTHER_LINE_BREAK.test(text) ? text.replace(OTHER_LINE_BREAKS, LINE_FEED) : text;
}

/**
 * {@link normalizeLineBreaks} over a text that comes in pieces, split anywhere: a `\r` at the end
 * of one piece and a `\n` at the start of the next are still one line break. Nothing is held
 * back: the `\r` is written as `\n` at once, and the `\n` that may follow it is dropped.
 *
 * @example
 * ```ts
 * const lines = new LineBreakNormalizer();
 * lines.write('98\r'); // '98\n'
 * lines.write('\n76'); // '76'
 * ```
 */
export class LineBreakNormalizer {
  /** The last piece ended in `\r`: a `\n` that begins the next belongs to it. */
  #afterCarriageReturn = false;

  /** The next piece, normalised. */
  write(piece: string): string {
    if (piece === '') return piece;
    const start = this.#afterCarriageReturn && piece.charCodeAt(0) === LINE_FEED_CODE ? 1 : 0;
    this.#afterCarriageReturn = piece.endsWith(CARRIAGE_RETURN);
    return normalizeLineBreaks(start === 0 ? piece : piece.slice(start));
  }
}
