/**
 * Rasa's REST input channel, served natively (`VENDOR_KIND=rasa`, `NATIVE_API=on`): `POST
 * /webhooks/rest/webhook` `{"sender","message"}` → the bot's messages, forwarded to the Rasa
 * server in `VENDOR_URL`. The `message` a person wrote is redacted; of the answer, each
 * message's `text` and its buttons' `title`s; a link (an `image`, a button's `url`) that holds a
 * sensitive combination is dropped, as on the chat path. `sender`, `metadata`, button payloads
 * and `custom` payloads are the bot's data, and pass as they came (SPEC §2: payloads untouched).
 * Errors in Rasa's shape, `{"status":"failure","message","reason","code"}`.
 *
 * @module
 */
import { z } from 'zod';
import { parseJsonAs, readBodyText } from '../chatbot/response-body.js';
import { NativeRefusal, vendorUrlOf, type NativeApi, type NativeApiSettings, type NativeReader } from './native-api.js';
import type { NativeText } from './native-text.js';

export const WEBHOOK_PATH = '/webhooks/rest/webhook';

const buttonSchema = z.looseObject({ title: z.string().optional(), url: z.string().optional() });
const messageSchema = z.looseObject({ text: z.string().optional(), image: z.string().optional(), buttons: z.array(buttonSchema).optional() });
/** The channel's answer: a list of the bot's messages. */
const answerSchema = z.array(messageSchema);
type RasaMessage = z.infer<typeof messageSchema>;

type RasaButton = z.infer<typeof buttonSchema>;

function redactButton(button: RasaButton, outbound: NativeText): RasaButton {
  const { url, ...rest } = button;
  const kept = url === undefined ? undefined : outbound.link(url);
  return { ...rest, ...(button.title !== undefined && { title: outbound.redact(button.title) }), ...(kept !== undefined && { url: kept }) };
}

/** One bot message with what a person reads of it redacted, and a link (an image, a button's URL) with a number dropped. */
function redactMessage(message: RasaMessage, outbound: NativeText): RasaMessage {
  const { image, ...out }: RasaMessage = { ...message };
  if (message.text !== undefined) out.text = outbound.redact(message.text);
  if (message.buttons !== undefined) out.buttons = message.buttons.map((button) => redactButton(button, outbound));
  const kept = image === undefined ? undefined : outbound.link(image);
  return kept === undefined ? out : { ...out, image: kept };
}

function readAnswer(limitBytes: number): NativeReader {
  return async function* readMessages(response, _signal, outbound) {
    const messages = parseJsonAs(await readBodyText(response, limitBytes), answerSchema);
    yield { status: response.statusCode, contentType: 'application/json' };
    yield JSON.stringify(messages.map((message) => redactMessage(message, outbound)));
  };
}

/**
 * The Rasa REST native API for the Rasa server `settings.baseUrl`.
 *
 * @example
 * ```ts
 * const api = createRasaNativeApi({ baseUrl: 'http://rasa:5005', answerLimitBytes: 1_048_576 });
 * ```
 */
export function createRasaNativeApi(settings: NativeApiSettings): NativeApi {
  const url = vendorUrlOf(settings.baseUrl, WEBHOOK_PATH);
  return {
    routes: [
      {
        method: 'POST',
        path: WEBHOOK_PATH,
        operationId: 'postRasaMessage',
        summary: 'Rasa’s REST channel, redacted both ways (VENDOR_KIND=rasa)',
        description:
          '`message` is redacted on the way in; each answer’s `text` and buttons’ `title`s on the way out, and a link ' +
          'with a number dropped. `sender`, payloads and `custom` pass as they came.',
        prepare({ body }, inbound) {
          if (typeof body !== 'object' || body === null || Array.isArray(body)) {
            throw new NativeRefusal('invalid_request', 'The body must be a JSON object like {"sender":"…","message":"…"}.');
          }
          const { message } = body as { message?: unknown };
          if (typeof message !== 'string') throw new NativeRefusal('invalid_request', 'The field "message" must be a string.', 'message');
          // Rasa takes no idempotency key: sent again only when it surely did not act on it.
          return { spec: { url, json: { ...body, message: inbound.redact(message) }, unkeyed: true }, read: readAnswer(settings.answerLimitBytes) };
        },
      },
    ],
    passedRequestHeaders: [],
    passedAnswerHeaders: [],
    errorBody: (problem) => ({ status: 'failure', message: problem.message, reason: problem.code, code: problem.status }),
  };
}
