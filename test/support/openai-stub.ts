/**
 * An OpenAI-compatible Chat Completions server for tests, on the real HTTP stub of
 * `vendor-stub.ts`: it checks requests as OpenAI does (path, bearer key, model, messages) and
 * answers with OpenAI's status codes, headers and error bodies, and with event streams in the
 * shapes each compatible server really sends — OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM —
 * with ids full of digits, which must reach no widget.
 *
 * @example
 * ```ts
 * const stub = await startOpenAiStub({ apiKey: 'sk-test' });
 * stub.vendor.script(completionReply(['Hei', ' der'], { flavor: 'vllm' }));
 * // … point the adapter at stub.baseUrl …
 * expect(stub.completionRequests()[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'hei' });
 * ```
 */
import { startVendorStub, type RecordedRequest, type StubReply, type VendorStub } from './vendor-stub.js';

/** The compatible servers whose stream quirks the stub can play. */
export type Flavor = 'openai' | 'azure' | 'ollama' | 'vllm' | 'litellm';
export const FLAVORS: readonly Flavor[] = ['openai', 'azure', 'ollama', 'vllm', 'litellm'];

export const STUB_MODEL = 'gpt-4o-mini';
/** Vendor ids as the servers write them: digits included, some 7 or more in a row. */
export const COMPLETION_ID = 'chatcmpl-Qz8xVendorIdB9MBs20240918123456';
export const FINGERPRINT = 'fp_VendorPrint44d5c63a7b';
export const REQUEST_ID = 'req_VendorReq0123456789abcdef';
export const CREATED = 1_726_650_000;
/** Words that appear only in vendor ids and metadata: never in a frame. */
export const VENDOR_ID_MARKERS = ['chatcmpl', 'VendorId', 'VendorPrint', 'VendorReq', 'fp_'];

/** One message of a request's `messages`: its content a string, text parts, or `null` beside tool calls. */
export interface ChatMessage {
  role: string;
  content: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

/** The text of a message's content, whichever way it is written. */
export function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

/** Whether `message` is one OpenAI would take: a role, and text content (a string, text parts, or nothing beside tool calls). */
function isAcceptedMessage(message: Partial<ChatMessage> | undefined): boolean {
  if (typeof message?.role !== 'string') return false;
  const { content } = message;
  if (typeof content === 'string') return true;
  if (content === null) return Array.isArray(message.tool_calls);
  return Array.isArray(content) && content.every((part) => part?.type === 'text' && typeof part.text === 'string');
}

/** A completions request as the stub received it. */
export interface CompletionRequest {
  readonly model: string;
  readonly messages: ChatMessage[];
  readonly stream: boolean;
  readonly raw: RecordedRequest;
}

/** How a streamed answer is written. */
export interface StreamOptions {
  readonly flavor?: Flavor;
  /** Add a usage chunk (`choices: []`, LiteLLM: an empty choice) before `[DONE]`. */
  readonly usage?: boolean;
  /** `data:{…}` without the space, and CRLF line ends: both valid SSE. */
  readonly compact?: boolean;
  /** Comment lines between events, as proxies send to keep a connection open. */
  readonly keepAlive?: boolean;
  readonly finishReason?: string | null;
  /** End with `data: [DONE]` (default true). */
  readonly done?: boolean;
}

function chunk(flavor: Flavor, choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const id = flavor === 'ollama' ? 'chatcmpl-4821937' : COMPLETION_ID;
  const fingerprint = flavor === 'ollama' ? 'fp_ollama' : FINGERPRINT;
  return { id, object: 'chat.completion.chunk', created: CREATED, model: STUB_MODEL, system_fingerprint: fingerprint, choices, ...extra };
}

/** The chunks of one streamed reply, in the order and shape `flavor` sends them. */
export function completionChunks(deltas: readonly string[], options: StreamOptions = {}): unknown[] {
  const flavor = options.flavor ?? 'openai';
  const finish = options.finishReason === undefined ? 'stop' : options.finishReason;
  const filter = { hate: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => {
    const base: Record<string, unknown> = { index: 0, delta };
    // vLLM (0.9+) leaves out a null finish_reason; the others write it.
    if (finishReason !== null || flavor !== 'vllm') base.finish_reason = finishReason;
    if (flavor === 'azure') base.content_filter_results = filter;
    return base;
  };
  const chunks: unknown[] = [];
  if (flavor === 'azure') chunks.push({ ...chunk(flavor, []), prompt_filter_results: [{ prompt_index: 0, content_filter_results: filter }] });
  if (flavor !== 'ollama') chunks.push(chunk(flavor, [choice({ role: 'assistant', content: '', refusal: null })]));
  deltas.forEach((content, index) => {
    const last = index === deltas.length - 1;
    // Ollama repeats the role in every chunk and puts the finish reason on the last content.
    if (flavor === 'ollama') chunks.push(chunk(flavor, [choice({ role: 'assistant', content }, last ? finish : null)]));
    else chunks.push(chunk(flavor, [choice({ content })], flavor === 'openai' ? { obfuscation: 'Xq3' } : {}));
  });
  if (flavor !== 'ollama' || deltas.length === 0) chunks.push(chunk(flavor, [choice({}, finish)]));
  if (options.usage === true) {
    const usage = { prompt_tokens: 1234567, completion_tokens: 89, total_tokens: 1234656 };
    chunks.push(chunk(flavor, flavor === 'litellm' ? [{ index: 0, delta: {} }] : [], { usage }));
  }
  return chunks;
}

/** The event stream of `chunks` (each an object, or a raw `data` string), one event per chunk. */
export function eventStream(chunks: readonly unknown[], options: Pick<StreamOptions, 'compact' | 'keepAlive' | 'done'> = {}): string {
  const end = options.compact === true ? '\r\n' : '\n';
  const prefix = options.compact === true ? 'data:' : 'data: ';
  const events = chunks.map((value) => {
    const data = typeof value === 'string' ? value : JSON.stringify(value);
    return `${options.keepAlive === true ? `: keep-alive${end}` : ''}${prefix}${data}${end}${end}`;
  });
  if (options.done ?? true) events.push(`${prefix}[DONE]${end}${end}`);
  return events.join('');
}

/** OpenAI's response headers: a request id and the rate-limit state. */
export function openAiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'x-request-id': REQUEST_ID,
    'openai-processing-ms': '187',
    'openai-version': '2020-10-01',
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-remaining-requests': '9999',
    'x-ratelimit-reset-requests': '6ms',
    ...extra,
  };
}

/** A streamed 200 answer, one write per event. */
export function completionReply(deltas: readonly string[], options: StreamOptions & { chunkDelayMs?: number } = {}): StubReply {
  const text = eventStream(completionChunks(deltas, options), options);
  const end = options.compact === true ? '\r\n\r\n' : '\n\n';
  const chunks = text.split(end).filter((part) => part !== '').map((part) => part + end);
  return { kind: 'sse', chunks, chunkDelayMs: options.chunkDelayMs ?? 0, headers: openAiHeaders() };
}

/** An error answer with OpenAI's body `{"error":{"message","type","param","code"}}`. */
export function errorReply(
  status: number,
  error: { message: string; type?: string | null; param?: string | null; code?: string | number | null },
  headers: Record<string, string> = {},
): StubReply {
  const body = JSON.stringify({ error: { type: null, param: null, code: null, ...error } });
  return { kind: 'raw', status, contentType: 'application/json; charset=utf-8', body, headers: openAiHeaders(headers) };
}

/** The errors OpenAI sends, by what went wrong. */
export const OPENAI_ERRORS = {
  rateLimited: (headers: Record<string, string> = {}) =>
    errorReply(429, { message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.', type: 'requests', code: 'rate_limit_exceeded' }, headers),
  quota: () =>
    errorReply(429, { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', code: 'insufficient_quota' }),
  contextLength: () =>
    errorReply(400, {
      message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    }),
  badKey: () => errorReply(401, { message: 'Incorrect API key provided: sk-wrong. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' }),
  noModel: (model: string) =>
    errorReply(404, { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' }),
  server: () => errorReply(500, { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' }),
  overloaded: () => errorReply(503, { message: 'The engine is currently overloaded, please try again later.', type: 'server_error' }),
} as const;

/** A running stub. */
export interface OpenAiStub {
  /** The API base, as `VENDOR_URL` names it: `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** The HTTP stub underneath: scripted replies, every request recorded. */
  readonly vendor: VendorStub;
  /** The completion requests received, parsed. */
  completionRequests(): CompletionRequest[];
  /** How unscripted requests are answered: the deltas of the reply to `messages`. */
  setResponder(respond: (messages: ChatMessage[]) => readonly string[]): void;
  reset(): void;
  close(): Promise<void>;
}

/** The default answer: the last user message, echoed in two deltas. */
const echo = (messages: ChatMessage[]): readonly string[] => ['Du skrev: ', contentText(messages.at(-1)?.content ?? '')];

/** Start the stub; with `apiKey`, a request without `authorization: Bearer <apiKey>` gets OpenAI's 401. */
export async function startOpenAiStub(options: { apiKey?: string; models?: readonly string[] } = {}): Promise<OpenAiStub> {
  const vendor = await startVendorStub();
  const models = options.models ?? [STUB_MODEL];
  let respond = echo;
  const handle = (request: RecordedRequest): StubReply => {
    const path = request.path.split('?', 1)[0];
    if (request.method === 'GET' && path === '/v1/models') {
      if (options.apiKey !== undefined && request.authorization !== `Bearer ${options.apiKey}`) return OPENAI_ERRORS.badKey();
      const data = models.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'system' }));
      return { kind: 'json', body: { object: 'list', data }, headers: openAiHeaders() };
    }
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      return errorReply(404, { message: `Invalid URL (${request.method} ${request.path})`, type: 'invalid_request_error' });
    }
    if (options.apiKey !== undefined && request.authorization !== `Bearer ${options.apiKey}`) return OPENAI_ERRORS.badKey();
    const body = request.body as Partial<CompletionRequest> | undefined;
    if (!Array.isArray(body?.messages) || !body.messages.every(isAcceptedMessage)) {
      return errorReply(400, { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error', param: 'messages', code: 'missing_required_parameter' });
    }
    if (typeof body.model !== 'string' || !models.includes(body.model)) return OPENAI_ERRORS.noModel(String(body.model));
    if (body.stream !== true) {
      const content = respond(body.messages).join('');
      const completion = {
        id: COMPLETION_ID,
        object: 'chat.completion',
        created: CREATED,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      };
      return { kind: 'json', body: completion, headers: openAiHeaders() };
    }
    return completionReply(respond(body.messages));
  };
  vendor.setHandler(handle);
  return {
    baseUrl: new URL('/v1', vendor.url).href,
    vendor,
    completionRequests: () =>
      vendor.requests
        .filter((request) => request.path.startsWith('/v1/chat/completions'))
        .map((raw) => {
          const body = raw.body as Omit<CompletionRequest, 'raw'>;
          return { model: body.model, messages: body.messages, stream: body.stream, raw };
        }),
    setResponder: (next) => void (respond = next),
    reset: () => {
      vendor.reset();
      vendor.setHandler(handle);
      respond = echo;
    },
    close: () => vendor.close(),
  };
}
