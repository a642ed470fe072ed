/**
 * OpenAI's own API, served natively (`VENDOR_KIND=openai`, `NATIVE_API=on`): `POST
 * /v1/chat/completions`, streamed or not, and `GET /v1/models`, forwarded to the API base in
 * `VENDOR_URL` (OpenAI, Azure's v1 API, Ollama, vLLM, LiteLLM). An app on an OpenAI SDK changes
 * its `baseURL` and nothing else.
 *
 * Requests: every message's content and tool results redacted (`openai-message.ts`); image,
 * audio and file parts, log probabilities and audio answers refused — this service reads text
 * only. Answers: the message's or the stream's text redacted (`openai-stream-redaction.ts`).
 * Errors in OpenAI's shape, `{"error":{"message","type","param","code"}}`, which its clients
 * raise as their `APIError`s.
 *
 * @module
 */
import { readBodyText, readMediaType } from '../chatbot/response-body.js';
import { VendorFailure } from '../chatbot/vendor-failure.js';
import { HTTP_STATUS, isServerErrorStatus } from '../http-status.js';
import { MAX_CONTENT_CHARS } from '../chatbot/openai-stream.js';
import {
  NativeRefusal,
  vendorUrlOf,
  type NativeApi,
  type NativeApiSettings,
  type NativeProblem,
  type NativeReader,
  type NativeRoute,
} from './native-api.js';
import { isObject, redactAnswerMessage, redactRequestMessage, type Json } from './openai-message.js';
import { redactCompletionStream, sseEvent } from './openai-stream-redaction.js';

export const COMPLETIONS_PATH = '/v1/chat/completions';
export const MODELS_PATH = '/v1/models';
const EVENT_STREAM = 'text/event-stream';
const JSON_TYPE = 'application/json';
/** Request fields that would make the answer carry text in a form nothing here redacts. */
const REFUSED_PARAMETERS = ['logprobs', 'top_logprobs', 'audio'] as const;

/** OpenAI's error `type` for a status: its clients read the status, people read the type. */
function errorTypeOf(status: number): string {
  if (isServerErrorStatus(status)) return 'server_error';
  if (status === HTTP_STATUS.unauthorized) return 'authentication_error';
  if (status === HTTP_STATUS.tooManyRequests) return 'rate_limit_error';
  return 'invalid_request_error';
}

function errorObject(problem: NativeProblem): Json {
  return { message: problem.message, type: errorTypeOf(problem.status), param: problem.param ?? null, code: problem.code };
}

/** A request with a field this service will not pass on; `true`, a number or an audio answer asked for. */
function refusedParameter(body: Json): string | undefined {
  for (const name of REFUSED_PARAMETERS) {
    const value = body[name];
    if (value !== undefined && value !== null && value !== false) return name;
  }
  return Array.isArray(body.modalities) && body.modalities.includes('audio') ? 'modalities' : undefined;
}

/** A `chat.completion` answer, whole: each choice's message redacted, log probabilities dropped. */
function readCompletionJson(limitBytes: number): NativeReader {
  return async function* readJsonAnswer(response, _signal, outbound) {
    let completion: unknown;
    try {
      completion = JSON.parse(await readBodyText(response, limitBytes));
    } catch (error) {
      if (error instanceof VendorFailure) throw error;
      throw new VendorFailure('vendor_error', { reason: 'malformed', cause: error });
    }
    const isError = isObject(completion) && 'error' in completion;
    if (!isObject(completion) || (!isError && !Array.isArray(completion.choices))) throw new VendorFailure('vendor_error', { reason: 'malformed' });
    const choices = ((completion.choices ?? []) as unknown[]).map((choice) => {
      if (!isObject(choice)) throw new VendorFailure('vendor_error', { reason: 'malformed' });
      const message = isObject(choice.message) ? redactAnswerMessage(choice.message, outbound) : null;
      return { ...choice, message, ...('logprobs' in choice && { logprobs: null }) };
    });
    yield { status: response.statusCode, contentType: JSON_TYPE };
    yield isError ? outbound.redactJson(JSON.stringify(completion)) : JSON.stringify({ ...completion, choices });
  };
}

/** A streamed answer as it streams, or a whole one when the server answered with JSON after all. */
function readCompletion(limitBytes: number): NativeReader {
  const readJson = readCompletionJson(limitBytes);
  return async function* readAnswer(response, signal, outbound) {
    if (readMediaType(response) !== EVENT_STREAM) {
      yield* readJson(response, signal, outbound);
      return;
    }
    yield { status: response.statusCode, contentType: EVENT_STREAM };
    yield* redactCompletionStream(response, outbound, { limitBytes, maxArgumentChars: MAX_CONTENT_CHARS });
  };
}

/** The list of models: ids and owners, no text of anyone's; passed as it came, bounded. */
function readModels(limitBytes: number): NativeReader {
  return async function* readModelList(response) {
    const text = await readBodyText(response, limitBytes);
    yield { status: response.statusCode, contentType: JSON_TYPE };
    yield text;
  };
}

/**
 * The OpenAI-compatible native API for the API base `settings.baseUrl`.
 *
 * @example
 * ```ts
 * const api = createOpenAiNativeApi({ baseUrl: 'https://api.openai.com/v1', answerLimitBytes: 1_048_576 });
 * api.routes.map((route) => `${route.method} ${route.path}`); // ['POST /v1/chat/completions', 'GET /v1/models']
 * ```
 */
export function createOpenAiNativeApi(settings: NativeApiSettings): NativeApi {
  const completionsUrl = vendorUrlOf(settings.baseUrl, COMPLETIONS_PATH);
  const modelsUrl = vendorUrlOf(settings.baseUrl, MODELS_PATH);
  const completions: NativeRoute = {
    method: 'POST',
    path: COMPLETIONS_PATH,
    operationId: 'createChatCompletion',
    summary: 'OpenAI Chat Completions, redacted both ways (VENDOR_KIND=openai)',
    description:
      'OpenAI’s own request and answer, streamed or not. Message contents (strings and text parts), tool results and ' +
      'tool-call arguments are redacted on the way in; content, refusal, reasoning text and tool-call arguments (as ' +
      'JSON) on the way out, split-safe per choice in a stream. Image, audio and file parts, log probabilities and ' +
      'audio answers are refused (`unsupported_content`).',
    prepare({ body, headers }, inbound) {
      if (!isObject(body)) throw new NativeRefusal('invalid_request', 'The body must be a JSON object.');
      if (!Array.isArray(body.messages)) throw new NativeRefusal('invalid_request', 'The field "messages" must be an array.', 'messages');
      const refused = refusedParameter(body);
      if (refused !== undefined) throw new NativeRefusal('unsupported_content', undefined, refused);
      const messages = body.messages.map((message: unknown, index) => redactRequestMessage(message, index, inbound));
      const prediction = isObject(body.prediction) ? { prediction: redactRequestMessage(body.prediction, 0, inbound) } : {};
      const idempotencyKey = headers['idempotency-key'];
      return {
        spec: {
          url: completionsUrl,
          json: { ...body, messages, ...prediction },
          // Without the client's key the vendor may act twice: sent again only when it surely did not act.
          ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : { unkeyed: true }),
        },
        read: readCompletion(settings.answerLimitBytes),
      };
    },
  };
  const models: NativeRoute = {
    method: 'GET',
    path: MODELS_PATH,
    operationId: 'listModels',
    summary: 'OpenAI’s list of models (VENDOR_KIND=openai)',
    description: 'Passed as the vendor answers it: model ids and owners, no one’s text.',
    prepare: () => ({ spec: { url: modelsUrl, method: 'GET', idempotent: true }, read: readModels(settings.answerLimitBytes) }),
  };
  return {
    routes: [completions, models],
    passedRequestHeaders: ['openai-organization', 'openai-project', 'openai-beta'],
    passedAnswerHeaders: [
      'x-request-id',
      'openai-processing-ms',
      'openai-version',
      'retry-after',
      'retry-after-ms',
      'x-should-retry',
      'x-ratelimit-limit-requests',
      'x-ratelimit-limit-tokens',
      'x-ratelimit-remaining-requests',
      'x-ratelimit-remaining-tokens',
      'x-ratelimit-reset-requests',
      'x-ratelimit-reset-tokens',
    ],
    errorBody: (problem) => ({ error: errorObject(problem) }),
    // An LLM's answer is Markdown, and OpenAI apps render it as such.
    markup: 'markdown',
    failedEnd: (problem) => sseEvent(JSON.stringify({ error: errorObject(problem) })),
  };
}
