/**
 * Boost.ai's Chat API v2, served natively (`VENDOR_KIND=boost`, `NATIVE_API=on`): `POST
 * /api/chat/v2`, one command per request as boost.ai's chat panel and mobile SDKs send it
 * (START, POST, POLL, HUMANCHATPOST, DOWNLOAD, STOP, …), every command forwarded to the bot in
 * `VENDOR_URL`. Of a request, what a person wrote is redacted: the `value` of a text `POST` and
 * of `HUMANCHATPOST`, and every string of a `custom_payload`; a `files` POST is refused (files
 * are not read here). Of an answer, every `response` and `responses[]` entry's elements: `text`,
 * `html` (kept as HTML) and the `links`' `text`, a link whose `url` holds a number dropped; the
 * transcript a `DOWNLOAD` returns is redacted whole. Ids — conversation, response, link —,
 * `posted_id`, state and tokens pass untouched.
 * Errors in Boost's shape, `{"error": message}`.
 *
 * @module
 */
import { z } from 'zod';
import { isJsonMediaType, parseJsonAs, readBodyText, readMediaType } from '../chatbot/response-body.js';
import { NativeRefusal, vendorUrlOf, type NativeApi, type NativeApiSettings, type NativeReader } from './native-api.js';
import type { NativeText } from './native-text.js';

export const CHAT_PATH = '/api/chat/v2';
const DOWNLOAD = 'DOWNLOAD';
/** Commands whose `value` is what a person wrote (a POST only when its `type` is `text`). */
const HUMAN_CHAT_POST = 'HUMANCHATPOST';

const elementSchema = z.looseObject({ type: z.unknown(), payload: z.unknown() });
const responseSchema = z.looseObject({ elements: z.array(elementSchema).nullish() });
/** What every command but DOWNLOAD answers with 200; everything besides the elements passes as it came. */
const answerSchema = z.looseObject({ response: responseSchema.nullish(), responses: z.array(responseSchema).nullish() });
type BoostElement = z.infer<typeof elementSchema>;
type BoostResponse = z.infer<typeof responseSchema>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The links with their `text` redacted; one whose `url` holds a sensitive combination is dropped, as on the chat path. */
function redactLinks(links: unknown, outbound: NativeText): unknown {
  if (!Array.isArray(links)) return links;
  return links
    .filter((link: unknown) => !(isRecord(link) && typeof link.url === 'string' && outbound.redact(link.url) !== link.url))
    .map((link: unknown) => (isRecord(link) && typeof link.text === 'string' ? { ...link, text: outbound.redact(link.text) } : link));
}

/** One element with what a person reads of it redacted; a type with no text (image, video, json) passes. */
function redactElement(element: BoostElement, outbound: NativeText): BoostElement {
  const { payload } = element;
  if (!isRecord(payload)) return element;
  if (element.type === 'text' && typeof payload.text === 'string') return { ...element, payload: { ...payload, text: outbound.redact(payload.text) } };
  if (element.type === 'html' && typeof payload.html === 'string') return { ...element, payload: { ...payload, html: outbound.redactHtml(payload.html) } };
  if (element.type === 'links') return { ...element, payload: { ...payload, links: redactLinks(payload.links, outbound) } };
  return element;
}

function redactResponse(response: BoostResponse, outbound: NativeText): BoostResponse {
  const { elements } = response;
  return elements === null || elements === undefined ? response : { ...response, elements: elements.map((element) => redactElement(element, outbound)) };
}

function readAnswer(limitBytes: number): NativeReader {
  return async function* readCommandAnswer(response, _signal, outbound) {
    const answer = parseJsonAs(await readBodyText(response, limitBytes), answerSchema);
    yield { status: response.statusCode, contentType: 'application/json' };
    const { response: one, responses } = answer;
    yield JSON.stringify({
      ...answer,
      ...(one !== null && one !== undefined && { response: redactResponse(one, outbound) }),
      ...(responses !== null && responses !== undefined && { responses: responses.map((entry) => redactResponse(entry, outbound)) }),
    });
  };
}

/** The transcript: text (or HTML) redacted as a person reads it, JSON with every string redacted. */
function readTranscript(limitBytes: number): NativeReader {
  return async function* readDownload(response, _signal, outbound) {
    const text = await readBodyText(response, limitBytes);
    const mediaType = readMediaType(response) || 'text/plain';
    const json = isJsonMediaType(mediaType);
    const contentType = json ? 'application/json' : mediaType === 'text/html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
    yield { status: response.statusCode, contentType };
    yield json ? outbound.redactJson(text) : mediaType === 'text/html' ? outbound.redactHtml(text) : outbound.redact(text);
  };
}

/** A client's command with what its person wrote redacted. */
function redactCommand(command: Record<string, unknown>, inbound: NativeText): Record<string, unknown> {
  const out = { ...command };
  const { value, custom_payload: customPayload } = command;
  const written = command.command === HUMAN_CHAT_POST || (command.command === 'POST' && command.type === 'text');
  if (written && typeof value === 'string') out.value = inbound.redact(value);
  if (typeof customPayload === 'string') out.custom_payload = inbound.redactJson(customPayload);
  else if (customPayload !== undefined && customPayload !== null) out.custom_payload = JSON.parse(inbound.redactJson(JSON.stringify(customPayload))) as unknown;
  return out;
}

/**
 * The Boost Chat API v2 native API for the bot `settings.baseUrl`.
 *
 * @example
 * ```ts
 * const api = createBoostNativeApi({ baseUrl: 'https://acme.boost.ai', answerLimitBytes: 1_048_576 });
 * ```
 */
export function createBoostNativeApi(settings: NativeApiSettings): NativeApi {
  const url = vendorUrlOf(settings.baseUrl, CHAT_PATH);
  return {
    routes: [
      {
        method: 'POST',
        path: CHAT_PATH,
        operationId: 'postBoostCommand',
        summary: 'Boost.ai’s Chat API v2, every command, redacted both ways (VENDOR_KIND=boost)',
        description:
          'The `value` of a text `POST` and of `HUMANCHATPOST` and every `custom_payload` string are redacted on the way in; ' +
          'the elements of type `text` and `html` (HTML kept as HTML), links’ `text` and the `DOWNLOAD` transcript on the way ' +
          'out. A `files` POST is refused. Ids and the conversation’s state pass as they came.',
        prepare({ body }, inbound) {
          if (!isRecord(body) || typeof body.command !== 'string') {
            throw new NativeRefusal('invalid_request', 'The body must be a JSON object like {"command":"POST",…}.');
          }
          if (body.command === 'POST' && body.type === 'files') {
            throw new NativeRefusal('invalid_request', 'Files are not passed on through this gateway.', 'type');
          }
          const read = body.command === DOWNLOAD ? readTranscript(settings.answerLimitBytes) : readAnswer(settings.answerLimitBytes);
          // Boost takes no idempotency key: sent again only when it surely did not act on it.
          return { spec: { url, json: redactCommand(body, inbound), unkeyed: true }, read };
        },
      },
    ],
    passedRequestHeaders: [],
    passedAnswerHeaders: ['content-disposition'],
    errorBody: (problem) => ({ error: problem.message }),
  };
}
