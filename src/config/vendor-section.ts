/**
 * The vendor section of the configuration: which chatbot the gateway talks to. A zod union keyed
 * on `VENDOR_KIND`, each kind with what it cannot do without (Boost and Rasa a `VENDOR_URL`,
 * OpenAI a `VENDOR_MODEL`, Direct Line its secret in `VENDOR_TOKEN`), so that a missing one is
 * one more problem line beside every other, and the settings come out typed by kind: nothing
 * downstream checks them again. The defaults and hints of each kind live beside its adapter.
 *
 * @module
 */
import { z } from 'zod';
import { BOOST_CONFIG } from '../chatbot/boost.js';
import { VENDOR_KINDS, type VendorKind } from '../chatbot/chatbot.js';
import { DIRECT_LINE_CONFIG } from '../chatbot/directline-api.js';
import { OPENAI_CONFIG } from '../chatbot/openai.js';
import { RASA_CONFIG } from '../chatbot/rasa.js';
import type { VendorSettings } from '../chatbot/create-chatbot.js';
import type { EgressProxy } from '../chatbot/vendor-egress.js';
import { boundedText, httpUrl, oneOf, printableAscii, secret, wholeNumber } from './parsers.js';

const MAX_SYSTEM_PROMPT_LENGTH = 32_000;
const MAX_MODEL_NAME_LENGTH = 256;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** How each vendor variable is read, whatever the kind: a bad value is a problem even where it is not used. */
export const vendorVariables = {
  VENDOR_URL: httpUrl.optional(),
  VENDOR_TOKEN: secret,
  VENDOR_TIMEOUT_MS: wholeNumber(100, 600_000, 10_000),
  VENDOR_MODEL: printableAscii('must be a model name: printable ASCII without spaces')
    .max(MAX_MODEL_NAME_LENGTH, { message: `must be at most ${MAX_MODEL_NAME_LENGTH} characters` })
    .optional(),
  VENDOR_SYSTEM_PROMPT: boundedText(MAX_SYSTEM_PROMPT_LENGTH)
    .refine((text) => !CONTROL_CHARACTERS.test(text), { message: 'must not contain control characters' })
    .optional(),
  VENDOR_HISTORY_MESSAGES: wholeNumber(0, 1_000, 20),
};

/** A variable a kind cannot do without; `hint` says what it is. */
const mustBeSet = (kind: VendorKind, hint: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `must be set when VENDOR_KIND is ${kind} (${hint})` : undefined) });

const kindOf = <K extends VendorKind, S extends z.ZodRawShape>(kind: K, required: S) => z.object({ VENDOR_KIND: z.literal(kind), ...required });

/**
 * `VENDOR_KIND` (default `generic`, in any case) and what that kind requires, read from the
 * environment as it is; the formats of the values are {@link vendorVariables}'.
 */
export const vendorKindSection = z
  .object({ VENDOR_KIND: oneOf(VENDOR_KINDS).default('generic') })
  .loose()
  .pipe(
    z.discriminatedUnion('VENDOR_KIND', [
      kindOf('generic', {}),
      kindOf('boost', { VENDOR_URL: mustBeSet('boost', BOOST_CONFIG.urlHint) }),
      kindOf('openai', { VENDOR_MODEL: mustBeSet('openai', OPENAI_CONFIG.modelHint) }),
      kindOf('directline', { VENDOR_TOKEN: mustBeSet('directline', DIRECT_LINE_CONFIG.tokenHint) }),
      kindOf('rasa', { VENDOR_URL: mustBeSet('rasa', RASA_CONFIG.urlHint) }),
    ]),
  );

/** The environment as the vendor section reads it. */
export type VendorEnvironment = z.output<z.ZodObject<typeof vendorVariables>> & z.output<typeof vendorKindSection>;

/**
 * The vendor settings an environment names, reached through `proxy`; the union has made sure
 * each kind has what it needs.
 */
export function toVendorSettings(env: VendorEnvironment, proxy: EgressProxy | undefined): VendorSettings {
  const endpoint = { token: env.VENDOR_TOKEN, timeoutMs: env.VENDOR_TIMEOUT_MS, ...(proxy !== undefined && { proxy }) };
  switch (env.VENDOR_KIND) {
    case 'generic':
      return env.VENDOR_URL === undefined ? { kind: 'demo' } : { kind: 'generic', url: env.VENDOR_URL, ...endpoint };
    case 'boost':
    case 'rasa':
      return { kind: env.VENDOR_KIND, url: env.VENDOR_URL, ...endpoint };
    case 'openai':
      return {
        kind: 'openai',
        url: env.VENDOR_URL ?? OPENAI_CONFIG.defaultUrl,
        ...endpoint,
        model: env.VENDOR_MODEL,
        systemPrompt: env.VENDOR_SYSTEM_PROMPT,
        historyMessages: env.VENDOR_HISTORY_MESSAGES,
      };
    case 'directline':
      return { kind: 'directline', url: env.VENDOR_URL ?? DIRECT_LINE_CONFIG.defaultUrl, ...endpoint, token: env.VENDOR_TOKEN };
  }
}
