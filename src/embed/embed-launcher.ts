/**
 * `/embed.js`: one `<script src="https://<gateway>/embed.js" defer></script>` on a customer's
 * page adds a launcher button in a bottom corner that opens the chat in a frame served by the
 * gateway. The conversation lives only in that frame, whose origin is the gateway's, so the host
 * page's scripts cannot read it; this script sees nothing of it either.
 *
 * `data-` attributes on the script tag: `data-language` (`en`, `nb` or `nn`; default the
 * browser's), `data-position` (`right`, the default, or `left`), `data-title` (the launcher's
 * label and the chat's heading, one line cut to `MAX_TITLE_LENGTH`; the frame redacts it before it
 * shows it), and the branding (`chat-frame/branding.ts`): `data-accent`, `data-accent-text`,
 * `data-font`, `data-radius`, `data-assistant-name`, `data-avatar` — the looks also as CSS custom
 * properties (`--chat-redact-accent`, …) that the page sets on the launcher's element or above it.
 *
 * Keyboard: the launcher is a button (Enter or Space); opening moves the focus into the chat's
 * text box; Escape — in the chat or on the page — or the chat's close button closes it and puts
 * the focus back on the launcher.
 *
 * @module
 */
import { BRAND_SETTINGS, brandColours, readBranding, type Branding } from '../chat-frame/branding.js';
import { brandMessage, CHAT_FRAME_PATH, cutTitle, frameMessage, isFrameMessage, titleMessage } from '../chat-frame/frame-messages.js';
import { chooseLanguage, type Language } from '../chat-frame/languages.js';
import { launcherStyle, type LauncherPosition } from './launcher-style.js';

const PANEL_ID = 'chat-redact-panel';
/** The launcher's label when the page gives none (`data-title`). */
const OPEN_CHAT: Readonly<Record<Language, string>> = { en: 'Chat with us', nb: 'Chat med oss', nn: 'Chat med oss' };

function adoptStyle(root: ShadowRoot, css: string): void {
  // A constructed sheet needs no `style-src` allowance from the host page's CSP; a <style> does.
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}

/**
 * The host's branding: each setting from the script's `data-` attribute when it is valid, else
 * from the custom property the page's CSS gives the launcher's element (inherited from `:root` or
 * set on `[data-chat-redact]`). Read once, when the launcher is added.
 */
function readHostBranding(script: HTMLScriptElement, host: HTMLElement, gateway: URL): Branding {
  const computed = getComputedStyle(host);
  const context = { baseUrl: document.baseURI, gatewayOrigin: gateway.origin };
  const fromAttributes = readBranding((key) => script.dataset[BRAND_SETTINGS[key].dataKey], context);
  const fromProperties = readBranding((key) => {
    const { property } = BRAND_SETTINGS[key];
    return property === undefined ? undefined : computed.getPropertyValue(property);
  }, context);
  return { ...fromProperties, ...fromAttributes };
}

/** The avatar in the launcher button: decoration (the button says its name in text), gone if it does not load. */
function addAvatar(launcher: HTMLButtonElement, url: string): void {
  const avatar = document.createElement('img');
  avatar.className = 'avatar';
  avatar.alt = '';
  avatar.hidden = true;
  avatar.referrerPolicy = 'no-referrer';
  avatar.addEventListener('load', () => (avatar.hidden = false));
  avatar.addEventListener('error', () => avatar.remove());
  avatar.src = url;
  launcher.prepend(avatar);
}

function install(script: HTMLScriptElement): void {
  const gateway = new URL(script.src);
  const language = chooseLanguage(script.dataset.language, navigator.languages);
  const position: LauncherPosition = script.dataset.position === 'left' ? 'left' : 'right';
  const title = cutTitle(script.dataset.title ?? '') || OPEN_CHAT[language];

  const host = document.createElement('div');
  host.dataset.chatRedact = 'launcher';
  // The shadow root keeps the page's styles off the launcher. It is open: closing it would hide
  // nothing that matters (the conversation is in the frame, out of the page's reach by origin)
  // and would only keep testing tools and assistive extensions out.
  const root = host.attachShadow({ mode: 'open' });
  // Attached first, so that the page's CSS reaches the element whose custom properties are read.
  document.body.append(host);
  const brand = readHostBranding(script, host, gateway);
  adoptStyle(root, launcherStyle(position, brand, brandColours(brand)));

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'launcher';
  launcher.textContent = title;
  launcher.lang = language;
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', PANEL_ID);
  if (brand.avatar !== undefined) addAvatar(launcher, brand.avatar);
  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.id = PANEL_ID;
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', title);
  root.append(panel, launcher);

  let frame: HTMLIFrameElement | undefined;
  // Until its page has loaded, the frame holds about:blank of the host's origin: a message sent
  // to the gateway's origin then is refused by the browser (a target-origin error on the page).
  let loaded = false;
  const focusFrame = (): void => {
    frame?.focus();
    if (loaded) frame?.contentWindow?.postMessage(frameMessage('focus'), gateway.origin);
  };

  function open(): void {
    if (frame === undefined) {
      frame = document.createElement('iframe');
      const url = new URL(CHAT_FRAME_PATH, gateway);
      url.searchParams.set('lang', language);
      frame.src = url.href;
      frame.title = title;
      frame.referrerPolicy = 'no-referrer';
      frame.addEventListener('load', () => {
        loaded = true;
        // The title goes in a message: the frame's page writes nothing its address says.
        frame?.contentWindow?.postMessage(titleMessage(title), gateway.origin);
        frame?.contentWindow?.postMessage(brandMessage(brand), gateway.origin);
        if (!panel.hidden) focusFrame();
      });
      panel.append(frame);
    }
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    focusFrame();
  }

  function close(): void {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  window.addEventListener('message', (event) => {
    if (frame !== undefined && event.source === frame.contentWindow && event.origin === gateway.origin && isFrameMessage(event.data, 'close')) close();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
}

const current = document.currentScript;
// A page that includes the snippet twice gets one launcher.
const installed = document.querySelector('[data-chat-redact="launcher"]') !== null;
if (!installed && current instanceof HTMLScriptElement && current.src !== '') {
  if (document.body === null) document.addEventListener('DOMContentLoaded', () => install(current), { once: true });
  else install(current);
}
