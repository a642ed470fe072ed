/**
 * The host's branding on the chat page (in the launcher's frame): the brand colours, font and
 * radius as custom properties that `public/widget.css` reads (`--brand-…`, each with the page's
 * own value as its fallback), the avatar beside the heading, and the assistant's name, redacted,
 * in the heading and as the speaker of the assistant's messages. Set through the CSSOM: the
 * page's CSP (`style-src 'self'`) refuses `style` attributes, not `style.setProperty`.
 *
 * @module
 */
import { brandColours, type Branding } from '../chat-frame/branding.js';

/** The custom properties of `widget.css` that `brand` sets, by name. */
export function brandProperties(brand: Branding): Record<string, string> {
  const colours = brandColours(brand);
  return {
    ...(colours !== undefined && {
      '--brand-accent': colours.accent,
      '--brand-accent-text': colours.accentText,
      '--brand-accent-hover': colours.accentHover,
      '--brand-accent-on-light': colours.accentOnLight,
      '--brand-accent-on-dark': colours.accentOnDark,
    }),
    // The page's own stack follows the host's families: a font the device lacks falls back to it.
    ...(brand.font !== undefined && { '--brand-font': `${brand.font}, var(--font-stack)` }),
    ...(brand.radius !== undefined && { '--brand-radius': `${brand.radius}px` }),
  };
}

/** Where the page shows the branding. */
export interface BrandElements {
  /** The avatar's `<img>`, hidden until it has loaded. */
  readonly avatar: HTMLImageElement;
  /** The line under the heading that names the assistant. */
  readonly assistantLine: HTMLElement;
}

/**
 * Apply `brand` to the page. `name` is the assistant's name as the page may show it (already
 * redacted; empty when there is none), written as text.
 */
export function applyBranding(brand: Branding, name: string, elements: BrandElements, assistantLabel: string): void {
  const style = document.documentElement.style;
  for (const [property, value] of Object.entries(brandProperties(brand))) style.setProperty(property, value);
  if (brand.avatar !== undefined) {
    const { avatar } = elements;
    avatar.referrerPolicy = 'no-referrer';
    avatar.addEventListener('load', () => (avatar.hidden = false), { once: true });
    // Refused by the page's CSP (`img-src`), or not there: no avatar rather than a broken one.
    avatar.addEventListener('error', () => (avatar.hidden = true), { once: true });
    avatar.src = brand.avatar;
  }
  if (name !== '') {
    elements.assistantLine.textContent = `${assistantLabel} ${name}`;
    elements.assistantLine.hidden = false;
  }
}
