/**
 * Bot Framework Direct Line 3.0, served natively (`VENDOR_KIND=directline`, `NATIVE_API=on`):
 * Web Chat, DirectLineJS or any Direct Line client sets its domain to
 * `https://<gateway>/v3/directline` and changes nothing else. Served: tokens (generate,
 * refresh), conversations (start; get, which reconnects from a `?watermark=` with a fresh
 * stream URL), activities (GET, POST), and the conversation's stream — the `streamUrl` in
 * Direct Line's answer is rewritten to the gateway's own address (same path and query: the
 * stream's token and watermark pass untouched), and the gateway bridges it to Direct Line's
 * stream at `VENDOR_URL`, each activity set redacted (`native-stream.ts`). A dropped stream is
 * renewed by the client as Direct Line's rules say (`GET …/conversations/{id}?watermark=`,
 * served here too). `upload` is refused. Activities are redacted as `directline-activities.ts`
 * says; errors in Direct Line's shape, `{"error":{"code","message"}}`.
 *
 * @module
 */
import { directLineApiUrl } from '../chatbot/directline-api.js';
import { readBodyText } from '../chatbot/response-body.js';
import { VendorFailure } from '../chatbot/vendor-failure.js';
import { redactActivitySet, redactUserActivity } from './directline-activities.js';
import { isObject } from './directline-cards.js';
import {
  NativeRefusal,
  type NativeApi,
  type NativeApiSettings,
  type NativeReader,
  type NativeRequest,
  type NativeRoute,
  type NativeStream,
} from './native-api.js';

export const DIRECT_LINE_PATH = '/v3/directline';
const CONVERSATION = `${DIRECT_LINE_PATH}/conversations/{conversationId}`;
/** A conversation's stream, as Direct Line names it; the gateway serves it at the same path. */
const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
const JSON_TYPE = 'application/json';

/** The vendor's JSON answer, whole, or a failure that passes nothing on. */
async function readJsonAnswer(response: Parameters<NativeReader>[0], limitBytes: number): Promise<unknown> {
  const text = await readBodyText(response, limitBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new VendorFailure('vendor_error', { reason: 'malformed', cause: error });
  }
}

/**
 * The gateway's own address for Direct Line's `streamUrl`: its path and query as Direct Line
 * wrote them, under the origin the client called (`http` → `ws`). A stream URL that is not a
 * conversation's stream is dropped: the client then polls.
 */
export function rewriteStreamUrl(streamUrl: string, origin: string): string | undefined {
  if (!URL.canParse(streamUrl)) return undefined;
  const url = new URL(streamUrl);
  const at = url.pathname.indexOf(`${DIRECT_LINE_PATH}/`);
  const path = at === -1 ? '' : url.pathname.slice(at);
  if (!STREAM_PATH.test(path)) return undefined;
  return `${origin.replace(/^http/, 'ws')}${path}${url.search}`;
}

/** A conversation's answer (start, get, tokens): passed as it came but for its stream URL, now the gateway's. */
function readConversation(limitBytes: number, origin: string): NativeReader {
  return async function* readConversationAnswer(response) {
    const conversation = await readJsonAnswer(response, limitBytes);
    if (!isObject(conversation)) throw new VendorFailure('vendor_error', { reason: 'malformed' });
    const { streamUrl, ...rest } = conversation;
    const rewritten = typeof streamUrl === 'string' ? rewriteStreamUrl(streamUrl, origin) : undefined;
    yield { status: response.statusCode, contentType: JSON_TYPE };
    yield JSON.stringify(rewritten === undefined ? rest : { ...rest, streamUrl: rewritten });
  };
}

/** An activity set, every activity redacted. */
function readActivities(limitBytes: number): NativeReader {
  return async function* readActivitySet(response, _signal, outbound) {
    const set = redactActivitySet(await readJsonAnswer(response, limitBytes), outbound);
    if (set === undefined) throw new VendorFailure('vendor_error', { reason: 'malformed' });
    yield { status: response.statusCode, contentType: JSON_TYPE };
    yield JSON.stringify(set);
  };
}

/** An answer that holds ids only (`{"id"}` of a posted activity): passed as it came, bounded. */
function readIds(limitBytes: number): NativeReader {
  return async function* readIdAnswer(response) {
    const answer = await readJsonAnswer(response, limitBytes);
    yield { status: response.statusCode, contentType: JSON_TYPE };
    yield JSON.stringify(answer);
  };
}

/**
 * The Direct Line native API for `settings.baseUrl` (`https://directline.botframework.com` or a
 * regional host).
 *
 * @example
 * ```ts
 * const api = createDirectLineNativeApi({ baseUrl: 'https://europe.directline.botframework.com', answerLimitBytes: 1_048_576 });
 * ```
 */
export function createDirectLineNativeApi(settings: NativeApiSettings): NativeApi {
  const api = directLineApiUrl(settings.baseUrl);
  const limit = settings.answerLimitBytes;
  /** The vendor's URL for the client's `request` of `path`: the same path under `VENDOR_URL`, the same query. */
  const vendorUrl = (path: string, request: NativeRequest): string =>
    api + path.slice(DIRECT_LINE_PATH.length).replace('{conversationId}', encodeURIComponent(request.params.conversationId ?? '')) + request.search;
  const route = (
    method: NativeRoute['method'],
    path: string,
    operationId: string,
    summary: string,
    description: string,
    prepare: NativeRoute['prepare'],
    body?: NativeRoute['body'],
  ): NativeRoute => ({ method, path, operationId, summary: `${summary} (VENDOR_KIND=directline)`, description, prepare, ...(body !== undefined && { body }) });
  const conversationRoute = (method: NativeRoute['method'], path: string, operationId: string, summary: string): NativeRoute =>
    route(
      method,
      path,
      operationId,
      summary,
      'Direct Line’s own request and answer. The answer’s `streamUrl` is rewritten to this service’s address (same path and query); ids and tokens pass untouched.',
      (request) => ({
        spec: method === 'GET' ? { url: vendorUrl(path, request), method, idempotent: true } : { url: vendorUrl(path, request), ...(request.body !== undefined && { json: request.body }), unkeyed: true },
        read: readConversation(limit, request.origin),
      }),
      method === 'POST' ? 'optional' : undefined,
    );
  const activitiesPath = `${CONVERSATION}/activities`;
  return {
    routes: [
      conversationRoute('POST', `${DIRECT_LINE_PATH}/tokens/generate`, 'generateDirectLineToken', 'Direct Line: a token for a new conversation'),
      conversationRoute('POST', `${DIRECT_LINE_PATH}/tokens/refresh`, 'refreshDirectLineToken', 'Direct Line: a fresh token for the same conversation'),
      conversationRoute('POST', `${DIRECT_LINE_PATH}/conversations`, 'startDirectLineConversation', 'Direct Line: start a conversation'),
      conversationRoute('GET', CONVERSATION, 'reconnectDirectLineConversation', 'Direct Line: reconnect to a conversation (a fresh stream URL from `?watermark=`)'),
      route(
        'GET',
        activitiesPath,
        'getDirectLineActivities',
        'Direct Line: the activities after `?watermark=`',
        'Every activity’s `text`, `speak`, `summary`, suggested actions and cards (hero, thumbnail, receipt, Adaptive) redacted; links with a number dropped; ids, watermark and `channelData` untouched.',
        (request) => ({ spec: { url: vendorUrl(activitiesPath, request), method: 'GET', idempotent: true }, read: readActivities(limit) }),
      ),
      route(
        'POST',
        activitiesPath,
        'postDirectLineActivity',
        'Direct Line: send an activity',
        'The activity’s `text`, `speak` and a string `value` are redacted; attachments are refused (`unsupported_content`).',
        // Direct Line takes no idempotency key: sent again only when it surely did not act on it.
        (request, inbound) => ({ spec: { url: vendorUrl(activitiesPath, request), json: redactUserActivity(request.body, inbound), unkeyed: true }, read: readIds(limit) }),
      ),
      route(
        'POST',
        `${CONVERSATION}/upload`,
        'uploadDirectLineFile',
        'Direct Line: upload (refused)',
        'Files are not passed on: this service reads text only (`unsupported_content`, in Direct Line’s error shape).',
        () => {
          throw new NativeRefusal('unsupported_content', 'Uploads are not passed on: only text is.');
        },
        'none',
      ),
    ],
    // DirectLineJS names itself to Direct Line in `x-ms-bot-agent`: a client's version, no one's text.
    passedRequestHeaders: ['x-ms-bot-agent'],
    passedAnswerHeaders: ['retry-after'],
    errorBody: (problem) => ({ error: { code: problem.code, message: problem.message } }),
    stream: {
      path: `${CONVERSATION}/stream`,
      operationId: 'streamDirectLineConversation',
      summary: 'Direct Line: the conversation’s stream (WebSocket upgrade; VENDOR_KIND=directline)',
      description:
        'The `streamUrl` of a conversation’s answer, rewritten to this service: bridged to Direct Line’s stream, each activity set ' +
        'redacted as `GET …/activities` is, keep-alives passed; nothing else the client sends is. The Origin is checked; a stream ' +
        'URL Direct Line refuses (used, expired) is refused with its status, and the client renews it with `GET …/conversations/{id}?watermark=`.',
      matches: (pathname) => STREAM_PATH.test(pathname),
      vendorUrl: (pathname, search) => `${api.replace(/^http/, 'ws')}${pathname.slice(DIRECT_LINE_PATH.length)}${search}`,
      toClient(message, outbound) {
        // An empty message is Direct Line's keep-alive; anything that is no activity set is not passed on.
        if (message.trim() === '') return message;
        let set: unknown;
        try {
          set = JSON.parse(message);
        } catch {
          return undefined;
        }
        const redacted = redactActivitySet(set, outbound);
        return redacted === undefined ? undefined : JSON.stringify(redacted);
      },
      // DirectLineJS sends empty messages as its own keep-alive; Direct Line reads nothing else on the stream.
      toVendor: (message) => (message.trim() === '' ? message : undefined),
    } satisfies NativeStream,
  };
}
