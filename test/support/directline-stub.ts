/**
 * A Bot Framework Direct Line 3.0 service for tests, on an ephemeral loopback port, following
 * the documented API: `POST /v3/directline/conversations` (201; 200 for a token whose
 * conversation already began), `GET …/conversations/{id}?watermark=` (a new stream URL),
 * `POST …/activities` (`{"id"}` once the bot's turn is over), `GET …/activities?watermark=`,
 * `POST /v3/directline/tokens/generate` and `/refresh`, and the WebSocket stream: one socket per
 * conversation (an older one is closed with `collision`), stream URLs good for one connection
 * within 60 s, activity sets with watermarks, typing on the stream only, empty keep-alives.
 * Errors are `{"error":{"code","message"}}`: 401 without credentials, 403 `TokenExpired`, 404 for
 * an unknown conversation, and whatever a test queues (429 with `Retry-After`, 502 `BotError`…).
 * Ids, tokens and watermarks hold long digit runs on purpose: they must reach the service as
 * they are and never reach the widget.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export const STUB_SECRET = 'dl-secret.Q2hhdC1yZWRhY3Q.8841920337';
const STREAM_URL_LIFETIME_MS = 60_000;
const API = '/v3/directline';
const WATERMARK_BASE = 4_000_000;

/** One request as the stub received it. */
export interface DirectLineRequest {
  readonly method: string;
  /** Path and query, e.g. `/v3/directline/conversations/DL…/activities`. */
  readonly path: string;
  readonly authorization: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

/**
 * A bot activity to send, after `delayMs`; `type` defaults to `message`. With `afterAnswer` it is
 * sent after Direct Line answered the post (a bot that goes on working after its turn).
 */
export type BotStep = Record<string, unknown> & { readonly delayMs?: number; readonly afterAnswer?: boolean };
/** What the bot does with one user activity. */
export type BotHandler = (activity: Record<string, unknown>, conversation: StubConversation) => BotStep[];
/** The operations a failure can be queued for. */
export type Operation = 'start' | 'get' | 'post' | 'activities' | 'refresh' | 'generate';
/** An answer queued instead of the real one. */
export type Failure =
  | { readonly status: number; readonly code?: string; readonly message?: string; readonly retryAfter?: string }
  | { readonly reset: true };

export interface StubConversation {
  readonly id: string;
  readonly userIds: Set<string>;
  /** Everything but typing, in order; the watermark of entry k is {@link watermarkOf}(k + 1). */
  readonly history: Record<string, unknown>[];
  socket: WebSocket | undefined;
  started: boolean;
  sequence: number;
}

interface Token {
  readonly conversationId: string;
  expiresAt: number;
}

/** The watermark after `count` activities: digits, as Direct Line's are. */
export function watermarkOf(count: number): string {
  return String(WATERMARK_BASE + count);
}

/** How many activities a watermark says were seen (0 for one the stub never issued). */
function countOf(watermark: string): number {
  const count = Number(watermark) - WATERMARK_BASE;
  return Number.isInteger(count) && count > 0 ? count : 0;
}

const digits = (length: number): string => Array.from({ length }, () => randomInt(10)).join('');
const letters = (length: number): string => Array.from({ length }, () => 'abcdefghjkmnpqrstuvwxyz'[randomInt(23)]).join('');

/** Echoes the user's text back, as a Bot Framework bot would: `acceptingInput`. */
export const echoBot: BotHandler = (activity) => [{ text: `Du skrev: ${String(activity.text ?? '')}` }];

export interface DirectLineStub {
  /** `VENDOR_URL`: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: DirectLineRequest[];
  readonly conversations: Map<string, StubConversation>;
  /** What the bot answers; default {@link echoBot}. */
  bot: BotHandler;
  /** What the bot says when a conversation begins (its answer to conversationUpdate). */
  greeting: BotStep[];
  /** Lifetime of the tokens issued from now on (`expires_in`). */
  tokenLifetimeSeconds: number;
  /** When false, stream upgrades are refused with 403 (a proxy that blocks WebSockets). */
  acceptStreams: boolean;
  /** When false, no `streamUrl` is given at all: clients must poll (as offline-directline does). */
  offerStreams: boolean;
  /** When true, activity sets carry the watermark as a JSON number (as offline-directline does). */
  numericWatermarks: boolean;
  /** Answer the next requests of `operation` with these failures, in order. */
  fail(operation: Operation, ...failures: Failure[]): void;
  /** The bot sends `activity` on its own (a proactive message). */
  send(conversationId: string, activity: BotStep): void;
  /** Close every conversation's stream as a server restart would (code 1011). */
  dropStreams(): void;
  /** Make every token issued so far expired. */
  expireTokens(): void;
  /** Requests of one kind, e.g. `requestsOf('POST', '/activities')`. */
  requestsOf(method: string, pathEnd: string): DirectLineRequest[];
  reset(): void;
  close(): Promise<void>;
}

/** Start the stub on 127.0.0.1 and an ephemeral port. */
export async function startDirectLineStub(): Promise<DirectLineStub> {
  const requests: DirectLineRequest[] = [];
  const conversations = new Map<string, StubConversation>();
  const tokens = new Map<string, Token>();
  const streamUrls = new Map<string, { conversationId: string; replayFrom: number; expiresAt: number }>();
  const failures = new Map<Operation, Failure[]>();
  const wss = new WebSocketServer({ noServer: true });
  let conversationCount = 0;

  const stub: DirectLineStub = {
    url: '',
    requests,
    conversations,
    bot: echoBot,
    greeting: [],
    tokenLifetimeSeconds: 1800,
    acceptStreams: true,
    offerStreams: true,
    numericWatermarks: false,
    fail: (operation, ...queued) => void failures.set(operation, [...(failures.get(operation) ?? []), ...queued]),
    send: (conversationId, activity) => void deliver(conversations.get(conversationId)!, botActivity(conversationId, activity)),
    dropStreams: () => {
      for (const conversation of conversations.values()) conversation.socket?.close(1011, 'server restarting');
    },
    expireTokens: () => {
      for (const token of tokens.values()) token.expiresAt = 0;
    },
    requestsOf: (method, pathEnd) => requests.filter((r) => r.method === method && r.path.split('?')[0]!.endsWith(pathEnd)),
    reset: () => {
      requests.length = 0;
      failures.clear();
      stub.bot = echoBot;
      stub.greeting = [];
      stub.tokenLifetimeSeconds = 1800;
      stub.acceptStreams = true;
      stub.offerStreams = true;
      stub.numericWatermarks = false;
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function issueToken(conversationId: string): { token: string; expires_in: number } {
    const token = `dlt.${letters(12)}${digits(10)}.${letters(24)}`;
    tokens.set(token, { conversationId, expiresAt: Date.now() + stub.tokenLifetimeSeconds * 1000 });
    return { token, expires_in: stub.tokenLifetimeSeconds };
  }

  function issueStreamUrl(conversation: StubConversation, replayFrom: number, watermark?: string): string {
    const t = `${letters(16)}${digits(9)}`;
    streamUrls.set(t, { conversationId: conversation.id, replayFrom, expiresAt: Date.now() + STREAM_URL_LIFETIME_MS });
    const query = watermark === undefined ? '' : `watermark=${encodeURIComponent(watermark)}&`;
    return `${stub.url.replace(/^http/, 'ws')}${API}/conversations/${encodeURIComponent(conversation.id)}/stream?${query}t=${t}`;
  }

  function newConversation(): StubConversation {
    conversationCount += 1;
    const id = `DL${conversationCount}${digits(9)}${letters(4)}-in`;
    const conversation: StubConversation = { id, userIds: new Set(), history: [], socket: undefined, started: false, sequence: 0 };
    conversations.set(id, conversation);
    return conversation;
  }

  function botActivity(conversationId: string, step: BotStep): Record<string, unknown> {
    const { delayMs: _delay, afterAnswer: _after, ...fields } = step;
    return { type: 'message', channelId: 'directline', conversation: { id: conversationId }, from: { id: 'bot-7734521980', name: 'Testbot', role: 'bot' }, ...fields };
  }

  function deliver(conversation: StubConversation, activity: Record<string, unknown>): void {
    conversation.sequence += 1;
    const stamped: Record<string, unknown> = { ...activity, id: `${conversation.id}|${String(conversation.sequence).padStart(7, '0')}`, timestamp: new Date().toISOString() };
    if (stamped.type === 'typing') {
      conversation.socket?.send(JSON.stringify({ activities: [stamped] }));
      return;
    }
    conversation.history.push(stamped);
    conversation.socket?.send(JSON.stringify({ activities: [stamped], watermark: watermarkOf(conversation.history.length) }));
  }

  async function runBot(conversation: StubConversation, steps: BotStep[], replyToId: string | undefined): Promise<void> {
    for (const step of steps) {
      if (step.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      deliver(conversation, botActivity(conversation.id, { ...(replyToId !== undefined && { replyToId }), ...step }));
    }
  }

  /** Which conversation `authorization` opens: the secret opens any, a token its own. */
  function authorize(authorization: string | undefined, conversationId: string | undefined): [number, string, string] | undefined {
    const match = /^Bearer (.+)$/.exec(authorization ?? '');
    if (match === null) return [401, 'BadArgument', 'Missing or malformed Authorization header'];
    if (match[1] === STUB_SECRET) return undefined;
    const token = tokens.get(match[1]!);
    if (token === undefined) return [403, 'BadArgument', 'Invalid token or secret'];
    if (token.expiresAt <= Date.now()) return [403, 'TokenExpired', 'Token expired'];
    if (conversationId !== undefined && token.conversationId !== conversationId) return [403, 'BadArgument', 'Token not valid for this conversation'];
    return undefined;
  }

  function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }
  const sendError = (res: http.ServerResponse, [status, code, message]: [number, string, string]): void =>
    sendJson(res, status, { error: { code, message } });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub');
    const path = url.pathname;
    const watermark = url.searchParams.get('watermark') ?? undefined;
    const parts = path.slice(API.length).split('/').filter(Boolean).map(decodeURIComponent);
    const operation: Operation | undefined =
      req.method === 'POST' && path === `${API}/conversations` ? 'start'
      : req.method === 'POST' && path === `${API}/tokens/generate` ? 'generate'
      : req.method === 'POST' && path === `${API}/tokens/refresh` ? 'refresh'
      : req.method === 'GET' && parts.length === 2 && parts[0] === 'conversations' ? 'get'
      : parts.length === 3 && parts[2] === 'activities' ? (req.method === 'POST' ? 'post' : 'activities')
      : undefined;
    if (operation === undefined) return sendError(res, [404, 'NotFound', 'Unknown resource']);
    const failure = failures.get(operation)?.shift();
    if (failure !== undefined) {
      if ('reset' in failure) return void req.socket.resetAndDestroy();
      const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter };
      return sendJson(res, failure.status, { error: { code: failure.code ?? 'ServiceError', message: failure.message ?? 'Failure' } }, headers);
    }
    const authorization = req.headers.authorization;
    if (operation === 'generate' || operation === 'start') {
      const bearer = authorization?.replace(/^Bearer /, '');
      const pre = bearer === undefined ? undefined : tokens.get(bearer);
      const refused = authorize(authorization, undefined);
      if (refused !== undefined) return sendError(res, refused);
      const userId = (body as { user?: { id?: unknown } } | undefined)?.user?.id;
      if (operation === 'generate') {
        const conversation = newConversation();
        return sendJson(res, 200, { conversationId: conversation.id, ...issueToken(conversation.id) });
      }
      const existing = pre === undefined ? undefined : conversations.get(pre.conversationId);
      const conversation = existing ?? newConversation();
      if (typeof userId === 'string') conversation.userIds.add(userId);
      const firstStart = !conversation.started;
      conversation.started = true;
      const token = pre === undefined ? issueToken(conversation.id) : { token: bearer!, expires_in: Math.round((pre.expiresAt - Date.now()) / 1000) };
      const stream = stub.offerStreams ? { streamUrl: issueStreamUrl(conversation, 0) } : {};
      sendJson(res, firstStart ? 201 : 200, { conversationId: conversation.id, ...token, ...stream, referenceGrammarId: `${digits(8)}-grammar` });
      if (firstStart) void runBot(conversation, stub.greeting, `${conversation.id}|conversationUpdate`);
      return;
    }
    if (operation === 'refresh') {
      const token = tokens.get(authorization?.replace(/^Bearer /, '') ?? '');
      const refused = token === undefined ? ([403, 'BadArgument', 'A token is needed to refresh'] as [number, string, string]) : authorize(authorization, undefined);
      if (refused !== undefined) return sendError(res, refused);
      return sendJson(res, 200, { conversationId: token!.conversationId, ...issueToken(token!.conversationId) });
    }
    const conversation = conversations.get(parts[1]!);
    const refused = authorize(authorization, parts[1]);
    if (refused !== undefined) return sendError(res, refused);
    if (conversation === undefined) return sendError(res, [404, 'BadArgument', 'Conversation not found']);
    if (operation === 'get') {
      const from = watermark === undefined ? conversation.history.length : countOf(watermark);
      const token = authorization === `Bearer ${STUB_SECRET}` ? issueToken(conversation.id) : { token: authorization!.slice('Bearer '.length) };
      return sendJson(res, 200, { conversationId: conversation.id, ...token, ...(stub.offerStreams && { streamUrl: issueStreamUrl(conversation, from, watermark) }) });
    }
    if (operation === 'activities') {
      const from = watermark === undefined ? 0 : countOf(watermark);
      const mark = watermarkOf(conversation.history.length);
      return sendJson(res, 200, { activities: conversation.history.slice(from), watermark: stub.numericWatermarks ? Number(mark) : mark });
    }
    const activity = body as { type?: unknown; from?: { id?: unknown } } | undefined;
    if (typeof activity?.type !== 'string') return sendError(res, [400, 'MissingProperty', 'Invalid or missing activity type']);
    if (typeof activity.from?.id !== 'string') return sendError(res, [400, 'MissingProperty', 'Activity must have from.id']);
    const userActivity = { ...activity, channelId: 'directline', conversation: { id: conversation.id } };
    deliver(conversation, userActivity);
    const id = conversation.history.at(-1)!.id as string;
    // The answer comes once the bot's turn is over, after what it sent (the bot answers Direct Line last).
    const steps = activity.type === 'message' ? stub.bot(userActivity, conversation) : [];
    await runBot(conversation, steps.filter((step) => step.afterAnswer !== true), id);
    sendJson(res, 200, { id });
    void runBot(conversation, steps.filter((step) => step.afterAnswer === true), id);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody === '' ? undefined : JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, headers: req.headers, body });
      handle(req, res, body).catch(() => res.destroy());
    });
  });
  server.on('upgrade', (req, socket, head) => {
    // Node drops its own error listener from an upgraded socket: a client that resets it while it is
    // refused below (a stream closed while it was connecting) must not throw in the test process.
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://stub');
    const grant = streamUrls.get(url.searchParams.get('t') ?? '');
    streamUrls.delete(url.searchParams.get('t') ?? '');
    const conversation = grant === undefined ? undefined : conversations.get(grant.conversationId);
    if (!stub.acceptStreams || grant === undefined || conversation === undefined || grant.expiresAt < Date.now() || !url.pathname.endsWith('/stream')) {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      conversation.socket?.close(1000, 'collision');
      conversation.socket = ws;
      ws.on('close', () => {
        if (conversation.socket === ws) conversation.socket = undefined;
      });
      ws.send('');
      const missed = conversation.history.slice(grant.replayFrom);
      if (missed.length > 0) ws.send(JSON.stringify({ activities: missed, watermark: watermarkOf(conversation.history.length) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (stub as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
