/**
 * What a person reads or wrote in OpenAI's Chat Completions messages, both ways: a request's
 * message contents (a string or `text` parts) and tool results, and an answer's message or
 * stream delta — `content`, `refusal`, reasoning text (`reasoning_content`, `reasoning`) and a
 * tool call's `arguments`, redacted as JSON so that valid JSON stays valid JSON. Ids, names,
 * roles and finish reasons pass untouched.
 *
 * An answer's message is rebuilt from the fields known here: a field a server adds of its own
 * (an audio answer, an extension) may carry text that nothing here would redact, and is dropped
 * — fail closed.
 *
 * @module
 */
import { VendorFailure } from '../chatbot/vendor-failure.js';
import { NativeRefusal } from './native-api.js';
import type { NativeText, TextStream } from './native-text.js';

/** Fields of a message or delta that are text a person reads, in the order they are written. */
export const TEXT_FIELDS = ['content', 'refusal', 'reasoning_content', 'reasoning'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
/** A tool call's `function` is `{name, arguments}`; `arguments` is JSON text. */
const TOOL_CALLS = 'tool_calls';
/** The deprecated single call of `functions`. */
const FUNCTION_CALL = 'function_call';
/** Web search citations: titles and URLs, redacted as JSON strings. */
const ANNOTATIONS = 'annotations';
/** Fields passed as they came: not text. */
const KEPT_FIELDS: ReadonlySet<string> = new Set(['role', 'name', 'tool_call_id']);
/** Content part types that are text, and the field that holds it. */
const TEXT_PARTS: Readonly<Record<string, string>> = { text: 'text', refusal: 'refusal' };

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTextField(key: string): key is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(key);
}

/** Any JSON value with every string in it redacted (and a number with a sensitive combination made `null`). */
export function redactJsonValue(value: unknown, text: NativeText): unknown {
  return JSON.parse(text.redactJson(JSON.stringify(value))) as unknown;
}

/** A tool call (or `function_call`) with its `arguments` redacted as JSON. */
function redactCall(call: unknown, text: NativeText): unknown {
  if (!isObject(call)) return call;
  const fn = call.function;
  if (isObject(fn) && typeof fn.arguments === 'string') return { ...call, function: { ...fn, arguments: text.redactJson(fn.arguments) } };
  if (typeof call.arguments === 'string') return { ...call, arguments: text.redactJson(call.arguments) };
  return call;
}

/**
 * A request message's content: a string, or parts of which only `text` (and an assistant's
 * `refusal`) are accepted; an image, audio or file part is refused, as anything this service
 * cannot read is.
 */
function redactContent(content: unknown, param: string, text: NativeText): unknown {
  if (content === null || content === undefined) return content;
  if (typeof content === 'string') return text.redact(content);
  if (!Array.isArray(content)) throw new NativeRefusal('invalid_request', 'A message content must be a string or an array of parts.', param);
  return content.map((part: unknown, k) => {
    const field = isObject(part) && typeof part.type === 'string' ? TEXT_PARTS[part.type] : undefined;
    if (field === undefined || !isObject(part) || typeof part[field] !== 'string') {
      throw new NativeRefusal('unsupported_content', undefined, `${param}[${k}]`);
    }
    return { ...part, [field]: text.redact(part[field]) };
  });
}

/** One message of a request, every text a person (or an earlier answer) wrote redacted. */
export function redactRequestMessage(message: unknown, index: number, text: NativeText): Json {
  const param = `messages[${index}]`;
  if (!isObject(message)) throw new NativeRefusal('invalid_request', 'Each message must be an object.', param);
  const out: Json = { ...message };
  for (const field of TEXT_FIELDS) {
    if (field in message) out[field] = redactContent(message[field], `${param}.${field}`, text);
  }
  if (Array.isArray(message[TOOL_CALLS])) out[TOOL_CALLS] = message[TOOL_CALLS].map((call) => redactCall(call, text));
  if (FUNCTION_CALL in message) out[FUNCTION_CALL] = redactCall(message[FUNCTION_CALL], text);
  return out;
}

/** A text field's value of an answer, redacted: a string, `null`, or (a server's own) parts as JSON. */
function redactAnswerText(value: unknown, text: NativeText): unknown {
  if (typeof value === 'string') return text.redact(value);
  return value === null || value === undefined ? value : redactJsonValue(value, text);
}

/** An answer's `message` (of a `chat.completion`), rebuilt from the known fields, each redacted. */
export function redactAnswerMessage(message: Json, text: NativeText): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(message)) {
    if (isTextField(key)) out[key] = redactAnswerText(value, text);
    else if (key === TOOL_CALLS) out[key] = Array.isArray(value) ? value.map((call) => redactCall(call, text)) : value;
    else if (key === FUNCTION_CALL) out[key] = redactCall(value, text);
    else if (key === ANNOTATIONS) out[key] = redactJsonValue(value, text);
    else if (KEPT_FIELDS.has(key)) out[key] = value;
  }
  return out;
}

/** The index under which a stream's `function_call` arguments are held. */
const LEGACY_CALL = -1;
/** Tool calls one choice may make: their indexes are the vendor's, and each is a held entry. */
const MAX_TOOL_CALLS = 128;

/**
 * One choice of a stream: its text fields split-safe (each its own stream redactor, so a
 * number split across chunks is still one number), its tool calls' `arguments` held until the
 * choice finishes — JSON can only be redacted as JSON whole — and then sent in one piece.
 */
export class ChoiceStream {
  readonly #text: NativeText;
  readonly #fields = new Map<TextField, TextStream>();
  /** Arguments so far by tool call index ({@link LEGACY_CALL}: `function_call`). */
  readonly #arguments = new Map<number, string>();
  readonly #maxArgumentChars: number;
  #argumentChars = 0;

  constructor(text: NativeText, maxArgumentChars: number) {
    this.#text = text;
    this.#maxArgumentChars = maxArgumentChars;
  }

  /** Whether anything is held back. */
  get isHolding(): boolean {
    return this.#fields.size > 0 || this.#arguments.size > 0;
  }

  /** A delta, rebuilt from the known fields: text released as far as it is safe, arguments held. */
  redactDelta(delta: Json): Json {
    const out: Json = {};
    for (const [key, value] of Object.entries(delta)) {
      if (isTextField(key)) out[key] = typeof value === 'string' ? this.#streamOf(key).push(value) : redactAnswerText(value, this.#text);
      else if (key === TOOL_CALLS) out[key] = Array.isArray(value) ? value.map((call) => this.#holdCall(call)) : value;
      else if (key === FUNCTION_CALL) out[key] = this.#holdCall(value, LEGACY_CALL);
      else if (key === ANNOTATIONS) out[key] = redactJsonValue(value, this.#text);
      else if (KEPT_FIELDS.has(key)) out[key] = value;
    }
    return out;
  }

  /** Release everything held into `delta`: the rest of each text field, then every tool call's whole arguments. */
  flushInto(delta: Json): Json {
    for (const [field, stream] of this.#fields) {
      const rest = stream.end();
      if (rest !== '') delta[field] = (typeof delta[field] === 'string' ? delta[field] : '') + rest;
    }
    this.#fields.clear();
    const calls: Json[] = Array.isArray(delta[TOOL_CALLS]) ? [...(delta[TOOL_CALLS] as Json[])] : [];
    for (const [index, args] of this.#arguments) {
      const redacted = this.#text.redactJson(args);
      if (index === LEGACY_CALL) delta[FUNCTION_CALL] = { ...(isObject(delta[FUNCTION_CALL]) ? delta[FUNCTION_CALL] : {}), arguments: redacted };
      else calls.push({ index, function: { arguments: redacted } });
    }
    if (calls.length > 0) delta[TOOL_CALLS] = calls;
    this.#arguments.clear();
    this.#argumentChars = 0;
    return delta;
  }

  #streamOf(field: TextField): TextStream {
    let stream = this.#fields.get(field);
    if (stream === undefined) {
      stream = this.#text.stream();
      this.#fields.set(field, stream);
    }
    return stream;
  }

  /** A tool call's piece with its `arguments` taken out and held; everything else (index, id, name) passes. */
  #holdCall(call: unknown, legacy?: number): unknown {
    if (!isObject(call)) return call;
    const fn = legacy === undefined ? call.function : call;
    if (!isObject(fn) || typeof fn.arguments !== 'string') return call;
    const index = legacy ?? (typeof call.index === 'number' ? call.index : 0);
    this.#argumentChars += fn.arguments.length;
    const isNew = !this.#arguments.has(index);
    if (this.#argumentChars > this.#maxArgumentChars || (isNew && this.#arguments.size >= MAX_TOOL_CALLS)) {
      throw new VendorFailure('vendor_error', { reason: 'too_large' });
    }
    this.#arguments.set(index, (this.#arguments.get(index) ?? '') + fn.arguments);
    const emptied = { ...fn, arguments: '' };
    return legacy === undefined ? { ...call, function: emptied } : emptied;
  }
}
