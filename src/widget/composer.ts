/**
 * Where the user writes: the text box, the send button, and the hint under them that says —
 * while the user types, before anything is sent — how many numbers will be removed, that the
 * start of the message would complete the number the last one ended in, or that nothing would be
 * left to send (then Send is disabled until there is). The hint is a polite live region: screen
 * readers hear it when what it says changes, not on every key.
 *
 * @module
 */
import type { LocalRedactor } from '../client/local-redaction.js';
import type { Texts } from './texts.js';

/** The composer's elements. */
export interface ComposerElements {
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  readonly send: HTMLButtonElement;
  /** The live region under the input. */
  readonly hint: HTMLElement;
}

/** What the composer needs from the page. */
export interface ComposerOptions {
  readonly texts: Texts;
  /** The same redactor that the message passes on its way out. */
  readonly redactor: () => LocalRedactor;
  /** Send what the user wrote (as typed: the client redacts it). */
  readonly submit: (text: string) => void;
}

/** The composer: sends on Enter (Shift+Enter for a new line) or the button, only while the chat is open. */
export class Composer {
  readonly #elements: ComposerElements;
  readonly #options: ComposerOptions;
  #enabled = false;

  constructor(elements: ComposerElements, options: ComposerOptions) {
    this.#elements = elements;
    this.#options = options;
    elements.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    elements.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#submit();
      }
    });
    elements.input.addEventListener('input', () => this.#updateHint());
    this.setEnabled(false);
  }

  /** Sending is possible only while the chat is open, and something would be left to send; writing always is. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    this.#updateHint();
  }

  focus(): void {
    this.#elements.input.focus();
  }

  /** Say what the text as written now would lose, or that nothing would be left; say nothing while it would lose none. */
  #updateHint(): void {
    const { texts } = this.#options;
    const written = this.#elements.input.value;
    const local = this.#options.redactor().redact(written);
    const nothingLeft = written.trim() !== '' && local.text.trim() === '';
    this.#elements.send.disabled = !this.#enabled || nothingLeft;
    if (nothingLeft) this.#setHint(local.split ? `${texts.willCompleteNumber} ${texts.nothingLeft}` : texts.nothingLeft);
    else if (local.split) this.#setHint(texts.willCompleteNumber);
    else this.#setHint(local.redactions > 0 ? texts.willRemove(local.redactions) : '');
  }

  #setHint(text: string): void {
    const { hint } = this.#elements;
    // Writing the same text again would make some screen readers repeat it. The region is never
    // hidden: a live region that appears with its text is not announced by every screen reader.
    if (hint.textContent !== text) hint.textContent = text;
  }

  #submit(): void {
    const { input } = this.#elements;
    const text = input.value;
    if (!this.#enabled || text.trim() === '') return;
    if (this.#options.redactor().redact(text).text.trim() === '') {
      this.#setHint(this.#options.texts.nothingLeft);
      return;
    }
    this.#options.submit(text);
    input.value = '';
    this.#updateHint();
    input.focus();
  }
}
