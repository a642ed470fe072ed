/**
 * The launcher's look, applied inside its own shadow root so that the host page's styles cannot
 * reach it and it cannot reach the page's. Colours meet WCAG AA contrast (white on the accent:
 * 6.2:1; a host's brand colour gets a text colour checked in `chat-frame/branding.ts`); motion is
 * left out for users who ask for reduced motion.
 *
 * @module
 */
import type { Branding, BrandColours } from '../chat-frame/branding.js';

/** Which bottom corner the launcher sits in (`data-position`). */
export type LauncherPosition = 'left' | 'right';

const DEFAULT_COLOURS = { accent: '#2457d6', accentText: '#ffffff', accentHover: '#1c46b0' } as const;
const FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const PILL = '999px';
const PANEL_RADIUS = '16px';

/**
 * The style sheet for a launcher in the `position` corner, in the host's colours, font and radius
 * when it gave them. Every brand value here has passed `readBranding`'s grammar (a `#rrggbb`
 * colour, quoted family names of letters and digits, a number), so none can end the declaration
 * it is written into.
 */
export function launcherStyle(position: LauncherPosition, brand: Branding = {}, colours: Pick<BrandColours, keyof typeof DEFAULT_COLOURS> = DEFAULT_COLOURS): string {
  const font = brand.font === undefined ? FONT_STACK : `${brand.font}, ${FONT_STACK}`;
  const buttonRadius = brand.radius === undefined ? PILL : `${brand.radius}px`;
  const panelRadius = brand.radius === undefined ? PANEL_RADIUS : `${brand.radius}px`;
  return `
:host { all: initial; }
[hidden] { display: none !important; }
.launcher {
  position: fixed; bottom: 20px; ${position}: 20px; z-index: 2147483000;
  display: inline-flex; align-items: center; gap: 8px;
  min-height: 48px; padding: 12px 20px; border: 0; border-radius: ${buttonRadius};
  font: 600 16px/1.2 ${font};
  color: ${colours.accentText}; background: ${colours.accent}; box-shadow: 0 6px 20px rgb(0 0 0 / 0.25); cursor: pointer;
}
.launcher:hover { background: ${colours.accentHover}; }
.launcher:focus-visible { outline: 3px solid #1b2330; outline-offset: 3px; box-shadow: 0 0 0 6px #ffffff; }
/* The symbols are decoration: the second form, where understood, keeps them out of the button's name. */
.launcher::before { content: "💬"; content: "💬" / ""; font-size: 18px; }
.launcher[aria-expanded="true"]::before { content: "✕"; content: "✕" / ""; }
.avatar { width: 28px; height: 28px; margin: -4px 0 -4px -8px; border-radius: 50%; object-fit: cover; }
.launcher[aria-expanded="false"]:has(.avatar:not([hidden]))::before { content: none; }
.launcher[aria-expanded="true"] .avatar { display: none; }
.panel {
  position: fixed; bottom: 84px; ${position}: 20px; z-index: 2147483000;
  width: min(400px, calc(100vw - 32px)); height: min(640px, calc(100vh - 112px));
  border-radius: ${panelRadius}; overflow: hidden; background: #ffffff;
  box-shadow: 0 12px 40px rgb(0 0 0 / 0.3);
  animation: rise 160ms ease-out;
}
.panel iframe { display: block; width: 100%; height: 100%; border: 0; }
@keyframes rise { from { opacity: 0; transform: translateY(12px); } }
@media (prefers-reduced-motion: reduce) {
  .panel { animation: none; }
}
`;
}
