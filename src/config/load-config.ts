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
import { findProductionProblems, findUnknownVariables } from './strictness.js';
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
import { redactApiVariables, toRedactApiSettings, type RedactApiSettings } from './redact-api-section.js';
import { egressVariables, preferLowerCaseProxies, toEgressProxy } from './egress-section.js';
import { NATIVE_KINDS } from '../native/native-apis.js';

export { ConfigError, SECRET_VARIABLES } from './problems.js';
export { DEFAULT_PRIVACY_NOTICE, DEFAULT_PRIVACY_NOTICE_EN, DEFAULT_PRIVACY_NOTICE_NB } from './sections.js';
export type { ChatSettings, HttpSettings, LogSettings, NativeSettings, ServeSettings, SessionSettings } from './sections.js';
export type { RedactApiSettings } from './redact-api-section.js';

const variables = {
  ...httpVariables,
  ...redactApiVariables,
  ...vendorVariables,
  ...egressVariables,
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
  'TRUST_PROXY',
  'REDACT_API',
  'REDACT_API_TOKEN',
  'REDACT_API_RATE_PER_MINUTE',
  'MAX_REDACT_BYTES',
  'MAX_STREAM_BYTES',
  'VENDOR_URL',
  'VENDOR_TOKEN',
  'VENDOR_TIMEOUT_MS',
  'VENDOR_KIND',
  'VENDOR_MODEL',
  'VENDOR_SYSTEM_PROMPT',
  'VENDOR_HISTORY_MESSAGES',
  'MAX_REPLY_BYTES',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'REDACT_MIN_DIGITS',
  'REDACT_MAX_GAP',
  'REDACT_REPLACEMENT',
  'REDACT_ALLOW',
  'REDACT_KEEP',
  'REDACT_ACROSS_MESSAGES',
  'MAX_MESSAGE_BYTES',
  'RATE_LIMIT_PER_MINUTE',
  'MAX_CONNECTIONS',
  'ALLOWED_ORIGINS',
  'WIDGET_TOKEN',
  'METRICS_TOKEN',
  'PRIVACY_NOTICE',
  'PRIVACY_NOTICE_EN',
  'PRIVACY_NOTICE_NB',
  'LOG_LEVEL',
  'WORKERS',
  'SHUTDOWN_TIMEOUT_MS',
  'SESSION_SECRET',
  'SESSION_TTL_SECONDS',
  'EMBED_ORIGINS',
  'NODE_ENV',
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
  /** The redaction API (`/v1/redact*`). */
  readonly redactApi: RedactApiSettings;
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
  const unknown = findUnknownVariables(env, CONFIG_VARIABLES);
  const parsed = environmentSchema.safeParse(preferLowerCaseProxies(env));
  if (!parsed.success) throw new ConfigError([...describeIssues(parsed.error.issues, env, CONFIG_VARIABLES), ...unknown]);
  const read = parsed.data;
  const refused = findProductionProblems({
    production: read.NODE_ENV === 'production',
    demoBot: read.VENDOR_KIND === 'generic' && read.VENDOR_URL === undefined,
    severalProcesses: read.WORKERS !== 1,
    hasSessionSecret: read.SESSION_SECRET.length > 0,
  });
  if (unknown.length > 0 || refused.length > 0) throw new ConfigError([...refused, ...unknown]);
  return deepFreeze({
    http: toHttpSettings(read),
    redactApi: toRedactApiSettings(read),
    chat: toChatSettings(read),
    session: toSessionSettings(read),
    vendor: toVendorSettings(read, toEgressProxy(read)),
    policy: toPolicy(read, env, CONFIG_VARIABLES),
    log: toLogSettings(read),
    serve: toServeSettings(read),
    native: toNativeSettings(read),
  });
}
