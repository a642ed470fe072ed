/**
 * The Direct Line 3.0 REST operations the adapter uses, each one exchange through the shared
 * core: start a conversation (with the secret), get a conversation (a fresh stream URL, replaying
 * from a watermark), post an activity, get activities, refresh a token. `headers` carries the
 * conversation's token; without it the core sends the secret.
 *
 * @module
 */
import { z } from 'zod';
import { HTTP_STATUS } from '../http-status.js';
import { activitySetSchema, type ActivitySet } from './directline-activity.js';
import { readJson } from './response-body.js';
import type { Turn } from './vendor-client.js';
import type { RequestSpec, ResponseReader } from './vendor-exchange.js';
import { VendorFailure } from './vendor-failure.js';

const API_PATH = '/v3/directline';
/** What the configuration needs to know of this kind: the public service, and what `VENDOR_TOKEN` is. */
export const DIRECT_LINE_CONFIG = Object.freeze({
  defaultUrl: 'https://directline.botframework.com',
  tokenHint: "the Direct Line channel's secret",
});
/** Longest id or watermark taken from Direct Line. */
export const MAX_ID_LENGTH = 1_024;
/** Longest token taken from Direct Line. */
export const MAX_TOKEN_LENGTH = 8_192;

/** A conversation as Direct Line describes it (start, get, refresh). */
const conversationSchema = z.looseObject({
  conversationId: z.string().min(1).max(MAX_ID_LENGTH),
  token: z.string().min(1).max(MAX_TOKEN_LENGTH).optional(),
  expires_in: z.number().positive().optional(),
  streamUrl: z.string().min(1).optional(),
});
export type Conversation = z.infer<typeof conversationSchema>;
const resourceResponseSchema = z.looseObject({ id: z.string().min(1).max(MAX_ID_LENGTH) });

/** The conversation's token as a header, or `undefined` for the secret the core sends. */
export type AuthHeaders = Readonly<Record<string, string>> | undefined;

/** The API base under `VENDOR_URL`, whether or not it already names it. */
export function directLineApiUrl(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '');
  return root.endsWith(API_PATH) ? root : root + API_PATH;
}

/** Whether `error` is Direct Line's answer with `status`. */
export function isStatus(error: unknown, status: number): boolean {
  return error instanceof VendorFailure && error.vendorStatus === status;
}

/** A 502 to a post means the bot had the activity (it failed or timed out): a resend would say it twice. */
const readPostAnswer: ResponseReader<z.infer<typeof resourceResponseSchema>> = async function* readPost(response, signal) {
  try {
    yield* readJson(resourceResponseSchema)(response, signal);
  } catch (error) {
    if (!isStatus(error, HTTP_STATUS.badGateway)) throw error;
    throw new VendorFailure((error as VendorFailure).code, { reason: 'status', vendorStatus: HTTP_STATUS.badGateway, tripsBreaker: true });
  }
};

const conversationUrl = (api: string, id: string): string => `${api}/conversations/${encodeURIComponent(id)}`;
const watermarkQuery = (watermark: string | undefined): string => (watermark === undefined ? '' : `?watermark=${encodeURIComponent(watermark)}`);

/** `POST /conversations` with the secret, naming the user. */
export function startConversation(turn: Turn, api: string, userId: string): Promise<Conversation> {
  return turn.exchangeOne({ url: `${api}/conversations`, json: { user: { id: userId } } }, readJson(conversationSchema));
}

/** `GET /conversations/{id}?watermark=`: a new stream URL replaying what came after `watermark`. */
export function getConversation(turn: Turn, api: string, id: string, watermark: string | undefined, headers: AuthHeaders): Promise<Conversation> {
  const spec: RequestSpec = { url: conversationUrl(api, id) + watermarkQuery(watermark), method: 'GET', headers, idempotent: true };
  return turn.exchangeOne(spec, readJson(conversationSchema));
}

/** `POST /conversations/{id}/activities`: the id Direct Line gave the activity. */
export async function postActivity(turn: Turn, api: string, id: string, activity: unknown, headers: AuthHeaders): Promise<string> {
  return (await turn.exchangeOne({ url: `${conversationUrl(api, id)}/activities`, json: activity, headers }, readPostAnswer)).id;
}

/** `GET /conversations/{id}/activities?watermark=`: what came after `watermark`. */
export function getActivities(turn: Turn, api: string, id: string, watermark: string | undefined, headers: AuthHeaders): Promise<ActivitySet> {
  const spec: RequestSpec = { url: `${conversationUrl(api, id)}/activities${watermarkQuery(watermark)}`, method: 'GET', headers, idempotent: true };
  return turn.exchangeOne(spec, readJson(activitySetSchema));
}

/** `POST /tokens/refresh` with the token: a new token for the same conversation. */
export function refreshToken(turn: Turn, api: string, token: string): Promise<Conversation> {
  return turn.exchangeOne({ url: `${api}/tokens/refresh`, headers: { authorization: `Bearer ${token}` } }, readJson(conversationSchema));
}
