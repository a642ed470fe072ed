/**
 * A Rasa server's REST channel for tests, as `rasa/core/channels/rest.py` answers: `POST
 * /webhooks/rest/webhook` with `{"sender","message"}` → 200 and the bot's messages as a JSON list
 * (`recipient_id`, and `text`, `buttons` of `{title, payload}`, `image` where the bot has them);
 * a failing action still answers 200 with what was said so far, possibly nothing. Anything else
 * gets a 404. A tiny bot keeps a tracker per sender so a test can tell conversations apart.
 */
import type { StubHandler, StubReply, VendorStub } from './vendor-stub.js';

export const RASA_WEBHOOK_PATH = '/webhooks/rest/webhook';

/** What the bot says to one message of a sender; `turn` counts that sender's messages from 1. */
export type RasaScript = (message: string, turn: number, sender: string) => unknown[];

/** The server's base URL (`VENDOR_URL` for `VENDOR_KIND=rasa`). */
export const rasaBaseUrl = (stub: VendorStub): string => new URL(stub.url).origin;

/** A handler that answers as a Rasa REST channel, with per-sender trackers (`turns`). */
export function rasaHandler(script: RasaScript): StubHandler & { turns: Map<string, number> } {
  const turns = new Map<string, number>();
  const handler = (request: Parameters<StubHandler>[0]): StubReply => {
    if (request.method !== 'POST' || request.path !== RASA_WEBHOOK_PATH) {
      return { kind: 'raw', status: 404, contentType: 'text/html; charset=utf-8', body: '<h1>Not Found</h1>' };
    }
    const body = request.body as { sender?: unknown; message?: unknown } | undefined;
    if (body === undefined) return { kind: 'raw', status: 400, contentType: 'text/plain', body: 'Failed when parsing body as json' };
    const sender = String(body.sender);
    const turn = (turns.get(sender) ?? 0) + 1;
    turns.set(sender, turn);
    const messages = script(String(body.message), turn, sender).map((message) => ({ recipient_id: sender, ...(message as object) }));
    return { kind: 'json', body: messages };
  };
  return Object.assign(handler, { turns });
}
