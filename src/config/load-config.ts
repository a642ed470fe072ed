/**
 * The one place that reads the environment: every section's variables and the vendor union in
 * one zod schema, validated once at start-up into a frozen configuration of sections. A bad
 * environment stops the start with one line per bad variable, all at once; secrets are never
 * echoed back. Nothing else in the service reads `process.env`.
 *
 * @module
 */
import { z } from 'zod';
import type { Policy } from '../redact/index.js';
import { ConfigError, describeIssues, type Env } from './problems.js';
import {
  chatVariables,
  httpVariables,
  nativeVariables,
  policyVariables,
  processVariables,
  sessionVariables,
  toChatSettings,
  toHttpSettings,
  toLogSettings,
  toNativeSettings,
  toPolicy,
  toServeSettings,
  toSessionSettings,
  type ChatSettings,
  type HttpSettings,
  type LogSettings,
  type NativeSettings,
  type ServeSettings,
  type SessionSettings,
} from './sections.js';
import type { VendorSettings } from '../chatbot/create-chatbot.js';
import { toVendorSettings, vendorKindSection, vendorVariables } from './vendor-section.js';
import { NATIVE_KINDS } from '../native/native-apis.js';

export { ConfigError, SECRET_VARIABLES } from './problems.js';
export { DEFAULT_PRIVACY_NOTICE } from './sections.js';
export type { ChatSettings, HttpSettings, LogSettings, NativeSettings, ServeSettings, SessionSettings } from './sections.js';

const variables = {
  ...httpVariables,
  ...vendorVariables,
  ...chatVariables,
  ...policyVariables,
  ...sessionVariables,
  ...processVariables,
  ...nativeVariables,
};
type Variable = keyof typeof variables | 'VENDOR_KIND';

/** Every environment variable the service reads, in the order the README's table documents them. */
export const CONFIG_VARIABLES = Object.freeze([
  'PORT',
  'HOST',
  'VENDOR_URL',
  'VENDOR_TOKEN',
  'VENDOR_TIMEOUT_MS',
  'VENDOR_KIND',
  'VENDOR_MODEL',
  'VENDOR_SYSTEM_PROMPT',
  'VENDOR_HISTORY_MESSAGES',
  'MAX_REPLY_BYTES',
  'REDACT_MIN_DIGITS',
  'REDACT_MAX_GAP',
  'REDACT_REPLACEMENT',
  'REDACT_ALLOW',
  'MAX_MESSAGE_BYTES',
  'RATE_LIMIT_PER_MINUTE',
  'MAX_CONNECTIONS',
  'ALLOWED_ORIGINS',
  'WIDGET_TOKEN',
  'METRICS_TOKEN',
  'PRIVACY_NOTICE',
  'LOG_LEVEL',
  'WORKERS',
  'SHUTDOWN_TIMEOUT_MS',
  'SESSION_SECRET',
  'SESSION_TTL_SECONDS',
  'EMBED_ORIGINS',
  'NATIVE_API',
  'NATIVE_TOKEN',
] as const satisfies readonly Variable[]);

// Every variable the schema reads is listed, or this does not compile.
const everyVariableListed: Exclude<Variable, (typeof CONFIG_VARIABLES)[number]> extends never ? true : never = true;
void everyVariableListed;

/** The one schema over the environment: every variable the service reads, and nothing else. */
const environmentSchema = z.intersection(z.object(variables), vendorKindSection).superRefine((env, ctx) => {
  if (env.NATIVE_API === 'on' && !NATIVE_KINDS.includes(env.VENDOR_KIND)) {
    ctx.addIssue({ code: 'custom', path: ['NATIVE_API'], message: `can be on only when VENDOR_KIND is one of ${NATIVE_KINDS.join(', ')}` });
  }
});

/** The validated, frozen configuration of one process, by section. */
export interface Config {
  readonly http: HttpSettings;
  readonly chat: ChatSettings;
  readonly session: SessionSettings;
  readonly vendor: VendorSettings;
  /** The engine's policy, for every redaction of the service. */
  readonly policy: Policy;
  readonly log: LogSettings;
  readonly serve: ServeSettings;
  readonly native: NativeSettings;
}

/** Freeze `value` and every object within it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Read and validate the configuration from an environment (default `process.env`).
 *
 * @throws {@link ConfigError} listing every bad variable, one line each
 * @example
 * ```ts
 * try {
 *   const config = loadConfig();
 *   startGateway(config); // config.http.port, config.chat.limits, config.vendor.kind …
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.problems.join('\n')); // PORT: must be …
 * }
 * ```
 */
export function loadConfig(env: Env = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, env, CONFIG_VARIABLES));
  const read = parsed.data;
  return deepFreeze({
    http: toHttpSettings(read),
    chat: toChatSettings(read),
    session: toSessionSettings(read),
    vendor: toVendorSettings(read),
    policy: toPolicy(read, env, CONFIG_VARIABLES),
    log: toLogSettings(read),
    serve: toServeSettings(read),
    native: toNativeSettings(read),
  });
}
