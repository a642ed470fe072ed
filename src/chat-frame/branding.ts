/**
 * A host's branding, read without trusting it: the embed's `data-` attributes and CSS custom
 * properties (colours, font, corner radius, the assistant's name and avatar), each held to a
 * small grammar or dropped, and the colours the launcher and the chat then use — the text on the
 * brand colour and the brand colour as text, each checked to reach WCAG AA (`contrast.ts`)
 * whatever the host chose. The launcher reads the settings and hands them to the frame in a
 * message; the frame reads them again here before it applies them, as it would any message.
 *
 * The assistant's name is the host's configuration, not the user's text, but it is shown in the
 * gateway's page: it is one line, cut to {@link MAX_ASSISTANT_NAME_LENGTH}, drawn as text only,
 * and the frame redacts it with the gateway's policy like the title — a page cannot make the
 * chat show a number, to call or otherwise, under the service's name.
 *
 * @module
 */
import { adjustForContrast, BLACK, formatColour, mixColours, parseColour, readableTextOn, relativeLuminance, WHITE } from './contrast.js';

/** The settings, each valid or absent. */
export interface Branding {
  /** The brand colour (`#rrggbb`): the launcher, the Send button, the user's messages, links. */
  readonly accent?: string;
  /** The text colour wanted on {@link accent}; used only when it reaches 4.5:1 on it. */
  readonly accentText?: string;
  /** Font families, each name quoted (generic families bare); the page's own stack follows. */
  readonly font?: string;
  /** The corner radius in CSS pixels, 0 to {@link MAX_RADIUS_PX}. */
  readonly radius?: number;
  /** The assistant's name: one line, not yet redacted. */
  readonly assistantName?: string;
  /** The avatar: an absolute `https:` URL, the gateway's own, or a `data:image/…` URL. */
  readonly avatar?: string;
}

/** A setting as the host wrote it: the `data-` attribute (its `dataset` key) and, for the looks, the CSS custom property. */
export interface BrandSetting {
  readonly dataKey: string;
  readonly property?: string;
}

/** Where each setting is read. A valid `data-` attribute wins over the custom property. */
export const BRAND_SETTINGS: Readonly<Record<keyof Branding, BrandSetting>> = {
  accent: { dataKey: 'accent', property: '--chat-redact-accent' },
  accentText: { dataKey: 'accentText', property: '--chat-redact-accent-text' },
  font: { dataKey: 'font', property: '--chat-redact-font' },
  radius: { dataKey: 'radius', property: '--chat-redact-radius' },
  assistantName: { dataKey: 'assistantName' },
  avatar: { dataKey: 'avatar' },
};

export const MAX_RADIUS_PX = 24;
/** Code points of the assistant's name that are shown. */
export const MAX_ASSISTANT_NAME_LENGTH = 40;
const MAX_FONT_LENGTH = 200;
const MAX_FONT_FAMILIES = 6;
/** A family name: letters, digits, spaces, `-` and `_` — nothing that could end a CSS value. */
const FAMILY_NAME = /^[\p{L}\p{N} _-]{1,64}$/u;
const GENERIC_FAMILIES = new Set(['serif', 'sans-serif', 'monospace', 'cursive', 'fantasy', 'system-ui', 'ui-sans-serif', 'ui-serif', 'ui-rounded']);
const RADIUS = /^(\d{1,3}(?:\.\d{1,2})?)(?:px)?$/i;
const MAX_URL_LENGTH = 2_048;
/** A small inline avatar; a larger image belongs at a URL. */
const MAX_DATA_URL_LENGTH = 48 * 1_024;
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif|svg\+xml)(?:;base64)?,/i;
/** Control characters and the bidirectional controls that could reorder what is drawn around the name. */
const UNSHOWN = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const SPACE = /\s+/gu;

/** Where the settings were written: the base for a relative URL, and the gateway's origin (the one `http:` origin allowed). */
export interface BrandContext {
  readonly baseUrl: string;
  readonly gatewayOrigin: string;
}

/**
 * The branding `read` gives — `read(key)` is the host's text for a setting, or anything else when
 * it gave none — with every value that breaks its grammar left out.
 *
 * @example
 * ```ts
 * readBranding((key) => ({ accent: '#0a7d45', radius: '6px' })[key], context); // { accent: '#0a7d45', radius: 6 }
 * ```
 */
export function readBranding(read: (key: keyof Branding) => unknown, context: BrandContext): Branding {
  const text = (key: keyof Branding): string | undefined => {
    const value = read(key);
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const colour = (key: 'accent' | 'accentText'): string | undefined => {
    const value = text(key);
    const parsed = value === undefined ? undefined : parseColour(value);
    return parsed === undefined ? undefined : formatColour(parsed);
  };
  const accent = colour('accent');
  const accentText = colour('accentText');
  const font = mapDefined(text('font'), parseFont);
  const radius = mapDefined(text('radius'), parseRadius);
  const assistantName = mapDefined(text('assistantName'), cutAssistantName);
  const avatar = mapDefined(text('avatar'), (value) => parseAvatar(value, context));
  return {
    ...(accent !== undefined && { accent }),
    ...(accentText !== undefined && { accentText }),
    ...(font !== undefined && { font }),
    ...(radius !== undefined && { radius }),
    ...(assistantName !== undefined && assistantName !== '' && { assistantName }),
    ...(avatar !== undefined && { avatar }),
  };
}

function mapDefined<T>(value: string | undefined, parse: (value: string) => T | undefined): T | undefined {
  return value === undefined ? undefined : parse(value);
}

/** A font-family list of at most six names, each quoted unless generic; `undefined` if any name is not a plain one. */
export function parseFont(text: string): string | undefined {
  if (text.length > MAX_FONT_LENGTH) return undefined;
  const names = text.split(',').map((name) => name.trim().replace(/^(["'])(.*)\1$/u, '$2').trim());
  if (names.length > MAX_FONT_FAMILIES || !names.every((name) => FAMILY_NAME.test(name))) return undefined;
  return names.map((name) => (GENERIC_FAMILIES.has(name.toLowerCase()) ? name.toLowerCase() : `"${name}"`)).join(', ');
}

/** Pixels (`8` or `8px`), clamped to 0–{@link MAX_RADIUS_PX}. */
export function parseRadius(text: string): number | undefined {
  const match = RADIUS.exec(text.trim());
  return match === null ? undefined : Math.min(MAX_RADIUS_PX, Number(match[1]));
}

/** One line, without control or bidirectional characters, cut to {@link MAX_ASSISTANT_NAME_LENGTH} code points. */
export function cutAssistantName(text: string): string {
  const line = text.replace(UNSHOWN, ' ').replace(SPACE, ' ').trim();
  return Array.from(line).slice(0, MAX_ASSISTANT_NAME_LENGTH).join('').trim();
}

/**
 * The avatar's URL, absolute, when it is `https:`, `http:` on the gateway's own origin, or a
 * `data:` URL of an image type; never `javascript:`, another `data:`, or a URL with credentials.
 */
export function parseAvatar(text: string, context: BrandContext): string | undefined {
  const value = text.trim();
  if (/^data:/i.test(value)) return value.length <= MAX_DATA_URL_LENGTH && DATA_IMAGE.test(value) ? value : undefined;
  if (value.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(value, context.baseUrl);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '') return undefined;
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && url.origin === context.gatewayOrigin);
  return allowed ? url.href : undefined;
}

/**
 * The panel colours of `public/widget.css` (`--panel`, light and dark), against which the brand
 * colour is checked as text; `test/chat-frame/branding.test.ts` reads the style sheet to keep
 * the two the same.
 */
export const PANEL_COLOURS = { light: '#ffffff', dark: '#1a2029' } as const;

/** The colours that follow from a brand colour, every pair of text and background at 4.5:1 or more. */
export interface BrandColours {
  /** The brand colour, as a background. */
  readonly accent: string;
  /** Text on {@link accent}: the host's choice when readable, else white or black. */
  readonly accentText: string;
  /** {@link accent} under the pointer: moved away from the text colour, so contrast only grows. */
  readonly accentHover: string;
  /** The brand colour as text on the light and the dark panel (links, quick replies), adjusted until readable. */
  readonly accentOnLight: string;
  readonly accentOnDark: string;
}

/** How far a hovered button moves from its colour. */
const HOVER_SHARE = 0.15;

/** The colours for `branding`'s accent, or `undefined` when it sets none. */
export function brandColours(branding: Branding): BrandColours | undefined {
  const accent = branding.accent === undefined ? undefined : parseColour(branding.accent);
  if (accent === undefined) return undefined;
  const wanted = branding.accentText === undefined ? undefined : parseColour(branding.accentText);
  const text = readableTextOn(accent, wanted);
  // Under the pointer the background moves away from its text: darker under light text, lighter under dark.
  const hover = mixColours(accent, relativeLuminance(text) > relativeLuminance(accent) ? BLACK : WHITE, HOVER_SHARE);
  const on = (panel: string): string => formatColour(adjustForContrast(accent, parseColour(panel)!));
  return {
    accent: formatColour(accent),
    accentText: formatColour(text),
    accentHover: formatColour(hover),
    accentOnLight: on(PANEL_COLOURS.light),
    accentOnDark: on(PANEL_COLOURS.dark),
  };
}
