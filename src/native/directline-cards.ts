/**
 * The cards of a Direct Line activity as a person reads them (SPEC §2 *Native endpoints*,
 * `directline`): every text of a hero, thumbnail, receipt, animation, audio, video, sign-in or
 * OAuth card and of an Adaptive Card redacted, and a link that holds a sensitive combination
 * dropped with what it belongs to — an `openUrl` button, an `Action.OpenUrl`, an image — so that
 * no button opens a number and no image's address carries one. What a card sends back (a
 * button's `postBack` value, an `Action.Submit`'s `data`, a choice's `value`) is the bot's data and
 * passes untouched; an `imBack` value is the text Web Chat posts and shows as the user's
 * message, so it is redacted like text.
 *
 * The Adaptive Card is walked by its schema: `TextBlock` text, `RichTextBlock` inlines and
 * `TextRun`s, `FactSet` titles and values, inputs' labels, placeholders, prefilled values and
 * error messages, actions' titles and tooltips, `ShowCard`'s card, containers, columns, tables,
 * image sets, fallbacks — and a card's `speak` and `fallbackText`.
 *
 * @module
 */
import type { NativeText } from './native-text.js';

/** A JSON object as this module reads it. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Card actions whose `value` is a link the client opens. */
const LINK_ACTIONS: ReadonlySet<string> = new Set(['openUrl', 'signin', 'downloadFile', 'playAudio', 'playVideo', 'showImage', 'call']);
/** Card actions whose `value` is text the client sends as the user's message and shows. */
const TEXT_VALUE_ACTIONS: ReadonlySet<string> = new Set(['imBack']);
/** Fields of a card action a person reads. */
const ACTION_TEXTS = ['title', 'text', 'displayText', 'imageAltText'] as const;
/** Fields of a rich card (and its images, facts and items) a person reads. */
const RICH_CARD_TEXTS = ['title', 'subtitle', 'text', 'alt', 'key', 'value', 'price', 'quantity', 'tax', 'vat', 'total'] as const;

/** `object` with each of `fields` that is a string redacted. */
function redactFields(object: JsonObject, fields: readonly string[], outbound: NativeText): JsonObject {
  const out = { ...object };
  for (const field of fields) if (typeof out[field] === 'string') out[field] = outbound.redact(out[field]);
  return out;
}

/** `items` mapped by `each`, those it drops (`undefined`) left out; not an array: as it came. */
function mapKept(items: unknown, each: (item: unknown) => unknown): unknown {
  return Array.isArray(items) ? items.map(each).filter((item) => item !== undefined) : items;
}

/** `object` with its link `field` kept when it may be shown, or the field dropped. */
function withLink(object: JsonObject, field: string, outbound: NativeText): JsonObject {
  const url = object[field];
  if (typeof url !== 'string') return object;
  const kept = outbound.link(url);
  const { [field]: _dropped, ...rest } = object;
  return kept === undefined ? rest : { ...rest, [field]: kept };
}

/**
 * A card action (a button, a suggested action, a tap) as it may be shown, or `undefined` when
 * its link holds a number: a button that opens nothing is no button.
 */
export function redactCardAction(action: unknown, outbound: NativeText): JsonObject | undefined {
  if (!isObject(action)) return undefined;
  const type = typeof action.type === 'string' ? action.type : '';
  let out = withLink(redactFields(action, ACTION_TEXTS, outbound), 'image', outbound);
  if (typeof action.value === 'string') {
    if (LINK_ACTIONS.has(type)) {
      const kept = outbound.link(action.value);
      if (kept === undefined) return undefined;
      out = { ...out, value: kept };
    } else if (TEXT_VALUE_ACTIONS.has(type)) {
      out = { ...out, value: outbound.redact(action.value) };
    }
  }
  return out;
}

/** An image of a rich card: its `alt` redacted, and gone when its address holds a number. */
function redactCardImage(image: unknown, outbound: NativeText): JsonObject | undefined {
  if (!isObject(image)) return undefined;
  if (typeof image.url === 'string' && outbound.link(image.url) === undefined) return undefined;
  return redactTap(redactFields(image, ['alt'], outbound), outbound);
}

function redactTap(object: JsonObject, outbound: NativeText): JsonObject {
  if (object.tap === undefined) return object;
  const { tap, ...rest } = object;
  const kept = redactCardAction(tap, outbound);
  return kept === undefined ? rest : { ...rest, tap: kept };
}

/** A hero, thumbnail, receipt, animation, audio, video, sign-in or OAuth card's content. */
export function redactRichCard(content: JsonObject, outbound: NativeText): JsonObject {
  const out = redactTap(redactFields(content, RICH_CARD_TEXTS, outbound), outbound);
  if (out.image !== undefined) {
    const image = redactCardImage(out.image, outbound);
    if (image === undefined) delete out.image;
    else out.image = image;
  }
  out.images = mapKept(content.images, (image) => redactCardImage(image, outbound));
  out.buttons = mapKept(content.buttons, (button) => redactCardAction(button, outbound));
  out.facts = mapKept(content.facts, (fact) => (isObject(fact) ? redactFields(fact, ['key', 'value'], outbound) : fact));
  out.items = mapKept(content.items, (item) => (isObject(item) ? redactRichCard(item, outbound) : item));
  out.media = mapKept(content.media, (media) => (isObject(media) && typeof media.url === 'string' && outbound.link(media.url) === undefined ? undefined : media));
  for (const key of ['images', 'buttons', 'facts', 'items', 'media']) if (out[key] === undefined) delete out[key];
  return out;
}

/** Adaptive Card fields a person reads, wherever they stand. */
const ADAPTIVE_TEXTS = ['title', 'altText', 'label', 'placeholder', 'errorMessage', 'tooltip', 'speak', 'fallbackText', 'subtitle'] as const;
/** Elements whose `value` is text shown to the user (a prefilled input); a choice set's or toggle's value is data. */
const SHOWN_VALUES: ReadonlySet<string> = new Set(['Input.Text', 'Input.Date', 'Input.Time']);
/** Where an element's children stand. */
const CHILD_LISTS = ['body', 'actions', 'items', 'columns', 'rows', 'cells', 'images', 'inlines', 'sources', 'captionSources'] as const;
/** Where a single child element stands (`fallback` may also be the string `drop`). */
const CHILD_ELEMENTS = ['card', 'selectAction', 'inlineAction', 'fallback'] as const;
/** Links of an element that may go without it; an `Image`'s or `Action.OpenUrl`'s `url` takes its element along. */
const OPTIONAL_LINKS = ['backgroundImage', 'iconUrl', 'poster'] as const;

/**
 * An Adaptive Card element (the card itself, an element, an action, a fact, a choice, an
 * inline), or `undefined` when it is to be dropped: an image or an `Action.OpenUrl` whose link
 * holds a number. `data` and choices' values are the bot's, untouched.
 */
export function redactAdaptive(element: unknown, outbound: NativeText): unknown {
  if (typeof element === 'string') return outbound.redact(element);
  if (!isObject(element)) return element;
  const type = typeof element.type === 'string' ? element.type : '';
  if (typeof element.url === 'string' && outbound.link(element.url) === undefined) return undefined;
  let out = redactFields(element, ADAPTIVE_TEXTS, outbound);
  if (typeof element.text === 'string') out.text = outbound.markdown(element.text);
  if (typeof element.value === 'string' && SHOWN_VALUES.has(type)) out.value = outbound.redact(element.value);
  if (typeof element.value === 'number' && outbound.redact(String(element.value)) !== String(element.value)) delete out.value;
  for (const field of OPTIONAL_LINKS) out = withLink(out, field, outbound);
  if (isObject(out.backgroundImage)) out.backgroundImage = withLink(out.backgroundImage, 'url', outbound);
  // A fact's title and value are read; a choice's title is read, its value is what the bot gets back.
  if (Array.isArray(element.facts)) out.facts = element.facts.map((fact) => (isObject(fact) ? redactFields(fact, ['title', 'value'], outbound) : fact));
  if (Array.isArray(element.choices)) out.choices = element.choices.map((choice) => (isObject(choice) ? redactFields(choice, ['title'], outbound) : choice));
  for (const list of CHILD_LISTS) if (Array.isArray(element[list])) out[list] = mapKept(element[list], (child) => redactAdaptive(child, outbound));
  for (const field of CHILD_ELEMENTS) {
    if (!isObject(element[field])) continue;
    const child = redactAdaptive(element[field], outbound);
    if (child === undefined) delete out[field];
    else out[field] = child;
  }
  return out;
}
