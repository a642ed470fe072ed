/**
 * Colours a host page chooses, made readable whatever they are: the WCAG 2.x contrast ratio,
 * computed here, and the text colour (or the colour adjusted towards black or white) that reaches
 * AA's 4.5:1 on a given background. The launcher and the chat page both use it, so the button on
 * the host page and the chat in the frame judge a brand colour the same way.
 *
 * Only `#rgb`, `#rrggbb` and `rgb(r g b)` / `rgb(r, g, b)` are read: a colour this code cannot
 * compute with cannot be checked, so it is not used (the default stays).
 *
 * @module
 */

/** A colour in sRGB, each channel 0–255. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** WCAG 2.x AA for normal text (success criterion 1.4.3). */
export const MIN_TEXT_CONTRAST = 4.5;
export const WHITE: Rgb = { r: 255, g: 255, b: 255 };
export const BLACK: Rgb = { r: 0, g: 0, b: 0 };

/** Longer than any colour this module reads: a longer value is refused before it is parsed. */
const MAX_COLOUR_LENGTH = 40;
const HEX_COLOUR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
const RGB_COLOUR = /^rgb\(\s*(\d{1,3})(?:\s*,\s*|\s+)(\d{1,3})(?:\s*,\s*|\s+)(\d{1,3})\s*\)$/i;
const CHANNEL_MAX = 255;
/** Steps of the search for the least change that reaches a ratio: 2^-12 of the way is finer than one channel step. */
const SEARCH_STEPS = 12;

/**
 * The colour `text` names, or `undefined` when it is not one of the forms this module reads.
 *
 * @example
 * ```ts
 * parseColour('#0a7'); // { r: 0, g: 170, b: 119 }
 * parseColour('rgb(10 20 30)'); // { r: 10, g: 20, b: 30 }
 * parseColour('red'); // undefined
 * ```
 */
export function parseColour(text: string): Rgb | undefined {
  const value = text.trim();
  if (value.length > MAX_COLOUR_LENGTH) return undefined;
  const hex = HEX_COLOUR.exec(value)?.[1];
  if (hex !== undefined) {
    const full = hex.length === 3 ? Array.from(hex, (digit) => digit + digit).join('') : hex;
    return { r: parseInt(full.slice(0, 2), 16), g: parseInt(full.slice(2, 4), 16), b: parseInt(full.slice(4, 6), 16) };
  }
  const rgb = RGB_COLOUR.exec(value);
  if (rgb === null) return undefined;
  const [r, g, b] = [rgb[1], rgb[2], rgb[3]].map(Number) as [number, number, number];
  return r <= CHANNEL_MAX && g <= CHANNEL_MAX && b <= CHANNEL_MAX ? { r, g, b } : undefined;
}

/** `#rrggbb` for `colour`. */
export function formatColour(colour: Rgb): string {
  return `#${[colour.r, colour.g, colour.b].map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** One sRGB channel, linearised (WCAG 2.x's definition of relative luminance). */
function linear(channel: number): number {
  const c = channel / CHANNEL_MAX;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(colour: Rgb): number {
  return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b);
}

/**
 * The contrast ratio of two colours, 1 to 21, the same whichever is the text.
 *
 * @example
 * ```ts
 * contrastRatio(WHITE, BLACK); // 21
 * ```
 */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** `from` moved the share `t` (0–1) of the way to `to`, channel by channel. */
export function mixColours(from: Rgb, to: Rgb, t: number): Rgb {
  const at = (a: number, b: number): number => Math.round(a + (b - a) * t);
  return { r: at(from.r, to.r), g: at(from.g, to.g), b: at(from.b, to.b) };
}

/**
 * The text colour for `background`: `preferred` when it reaches `minRatio` on it, else white or
 * black, whichever contrasts more — one of them always reaches 4.5:1 (the worst background
 * gives both about 4.58:1).
 *
 * @example
 * ```ts
 * readableTextOn(parseColour('#ffd400')!, WHITE); // BLACK: white on yellow is 1.4:1
 * ```
 */
export function readableTextOn(background: Rgb, preferred?: Rgb, minRatio = MIN_TEXT_CONTRAST): Rgb {
  if (preferred !== undefined && contrastRatio(preferred, background) >= minRatio) return preferred;
  return contrastRatio(WHITE, background) >= contrastRatio(BLACK, background) ? WHITE : BLACK;
}

/**
 * `colour` as little changed as it takes to reach `minRatio` against `background`: moved towards
 * black or white, whichever end contrasts more with the background. Each channel moves one way
 * only, so the luminance, and with it the ratio, grows steadily along the way and a binary search
 * finds the nearest colour that is readable.
 *
 * @example
 * ```ts
 * adjustForContrast(parseColour('#7fb2ff')!, WHITE); // a darker blue, 4.5:1 on white
 * ```
 */
export function adjustForContrast(colour: Rgb, background: Rgb, minRatio = MIN_TEXT_CONTRAST): Rgb {
  if (contrastRatio(colour, background) >= minRatio) return colour;
  const end = readableTextOn(background);
  let low = 0;
  let high = 1;
  for (let step = 0; step < SEARCH_STEPS; step += 1) {
    const middle = (low + high) / 2;
    if (contrastRatio(mixColours(colour, end, middle), background) >= minRatio) high = middle;
    else low = middle;
  }
  // Rounding a channel can cost a hair of contrast: step on until the ratio holds.
  for (let t = high; t <= 1; t = Math.min(1, t + 1 / CHANNEL_MAX)) {
    const candidate = mixColours(colour, end, t);
    if (contrastRatio(candidate, background) >= minRatio || t === 1) return candidate;
  }
  return end;
}
