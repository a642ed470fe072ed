/**
 * The chat page inside the embed launcher's frame: its close button and the Escape key ask the
 * launcher to close it, the launcher's "focus" puts the cursor in the text box when it opens,
 * its "title" names the chat and its "brand" dresses it. Outside a frame (the page opened on its own) the close button
 * stays hidden.
 *
 * @module
 */
import { frameMessage, isFrameMessage, readBrandMessage, readTitleMessage } from '../chat-frame/frame-messages.js';

/** What the bridge works with. */
export interface FrameBridgeOptions {
  /** The close button; shown only inside a frame. */
  readonly closeButton: HTMLButtonElement | null;
  /** Put the focus where the user writes. */
  readonly focus: () => void;
  /** Show the title the launcher gives (its `data-title`, not yet redacted). */
  readonly title: (text: string) => void;
  /** Apply the branding the launcher gives, as it came: still to be read with `readBranding`. */
  readonly brand: (settings: Readonly<Record<string, unknown>>) => void;
}

/**
 * Wire the page to the launcher when it is framed; returns whether it is. The launcher's origin
 * is not known here, and the close message says nothing, so it goes to any parent; only the
 * parent's own messages are heeded.
 */
export function connectToLauncher(options: FrameBridgeOptions): boolean {
  if (window.parent === window) return false;
  const parent = window.parent;
  document.documentElement.classList.add('framed');
  const close = (): void => parent.postMessage(frameMessage('close'), '*');
  if (options.closeButton !== null) {
    options.closeButton.hidden = false;
    options.closeButton.addEventListener('click', close);
  }
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.isComposing) {
      event.preventDefault();
      close();
    }
  });
  window.addEventListener('message', (event) => {
    if (event.source !== parent) return;
    if (isFrameMessage(event.data, 'focus')) options.focus();
    const title = readTitleMessage(event.data);
    if (title !== undefined) options.title(title);
    const brand = readBrandMessage(event.data);
    if (brand !== undefined) options.brand(brand);
  });
  return true;
}
