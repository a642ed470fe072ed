/**
 * The launcher's look, applied inside its own shadow root so that the host page's styles cannot
 * reach it and it cannot reach the page's. Colours meet WCAG AA contrast (white on the accent:
 * 6.0:1); motion is left out for users who ask for reduced motion.
 *
 * @module
 */

/** Which bottom corner the launcher sits in (`data-position`). */
export type LauncherPosition = 'left' | 'right';

/** The style sheet for a launcher in the `position` corner. */
export function launcherStyle(position: LauncherPosition): string {
  return `
:host { all: initial; }
[hidden] { display: none !important; }
.launcher {
  position: fixed; bottom: 20px; ${position}: 20px; z-index: 2147483000;
  display: inline-flex; align-items: center; gap: 8px;
  min-height: 48px; padding: 12px 20px; border: 0; border-radius: 999px;
  font: 600 16px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #ffffff; background: #2457d6; box-shadow: 0 6px 20px rgb(0 0 0 / 0.25); cursor: pointer;
}
.launcher:hover { background: #1c46b0; }
.launcher:focus-visible { outline: 3px solid #1b2330; outline-offset: 3px; box-shadow: 0 0 0 6px #ffffff; }
.launcher::before { content: "💬"; font-size: 18px; }
.launcher[aria-expanded="true"]::before { content: "✕"; }
.panel {
  position: fixed; bottom: 84px; ${position}: 20px; z-index: 2147483000;
  width: min(400px, calc(100vw - 32px)); height: min(640px, calc(100vh - 112px));
  border-radius: 16px; overflow: hidden; background: #ffffff;
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
