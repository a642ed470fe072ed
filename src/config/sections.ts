/**
 * The sections of the configuration besides the vendor's, each the variables it is read from and
 * the settings it hands on: `http` (listening, `/metrics`, framing), `chat` (the notice, the
 * limits, who may open a chat), `session`, `log`, `serve` (workers, drain), and the engine's
 * `policy`. `server.ts` hands each section to the part that uses it, whole.
 *
 * @module
 */
import { z } from 'zod';
import type { ChatLimits, NoticeLanguage } from '../gateway/chat-context.js';
import { POLICY_LIMITS, PolicyError, createPolicy, readPolicySetting, type Policy } from '../redact/index.js';
import { MIN_SECRET_BYTES, type SessionSealerOptions } from '../session/session-sealer.js';
import type { TrustProxy } from '../client-address.js';
import {
  allowedNumbers,
  boundedText,
  isPrintableAscii,
  keptClasses,
  nonEmpty,
  oneOf,
  originList,
  printableAscii,
  secret,
  trustProxy,
  wholeNumber,
} from './parsers.js';
import { ConfigError, describeIssues, type Env } from './problems.js';

/** The notice sent to a widget that asked for English (`/chat?lang=en`). */
export const DEFAULT_PRIVACY_NOTICE_EN =
  'Please do not share personal details such as your national identity number, card or account ' +
  'numbers here: any number of seven or more digits is removed automatically before your message ' +
  'is stored or sent.';
/** The notice sent to a widget that asked for Norwegian (`/chat?lang=nb`, `nn`). */
export const DEFAULT_PRIVACY_NOTICE_NB =
  'Ikke del personopplysninger som fødselsnummer, kort- eller kontonummer her: alle ' +
  'tallkombinasjoner på sju eller flere sifre fjernes automatisk før meldingen lagres eller sendes.';
/** The notice sent to the widget when a chat opens without a language: English and Norwegian. */
export const DEFAULT_PRIVACY_NOTICE = `${DEFAULT_PRIVACY_NOTICE_EN} / ${DEFAULT_PRIVACY_NOTICE_NB}`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MAX_WORKERS = 64;
const MAX_PRIVACY_NOTICE_LENGTH = 2000;
const AUTO = 'auto';
const DIGITS = /^\d+$/;

/** The variables of the `http` section. */
export const httpVariables = {
  PORT: wholeNumber(0, 65535, 8080),
  HOST: nonEmpty.default('0.0.0.0'),
  METRICS_TOKEN: secret,
  EMBED_ORIGINS: originList,
  TRUST_PROXY: trustProxy,
};

/** The variables of the `chat` section. */
export const chatVariables = {
  MAX_REPLY_BYTES: wholeNumber(1_024, 67_108_864, 1_048_576),
  // At least 512: a resume frame must have room for a session token (see session/chat-session.ts).
  MAX_MESSAGE_BYTES: wholeNumber(512, 1_048_576, 16_384),
  RATE_LIMIT_PER_MINUTE: wholeNumber(1, 100_000, 60),
  MAX_CONNECTIONS: wholeNumber(1, 1_000_000, 10_000),
  ALLOWED_ORIGINS: originList,
  WIDGET_TOKEN: secret,
  PRIVACY_NOTICE: boundedText(MAX_PRIVACY_NOTICE_LENGTH).optional(),
  PRIVACY_NOTICE_EN: boundedText(MAX_PRIVACY_NOTICE_LENGTH).optional(),
  PRIVACY_NOTICE_NB: boundedText(MAX_PRIVACY_NOTICE_LENGTH).optional(),
  REDACT_ACROSS_MESSAGES: oneOf(['on', 'off']).default('on'),
};

/** The variables of the engine's `policy`. */
export const policyVariables = {
  REDACT_MIN_DIGITS: wholeNumber(POLICY_LIMITS.minDigits.min, POLICY_LIMITS.minDigits.max, POLICY_LIMITS.minDigits.default),
  REDACT_MAX_GAP: wholeNumber(POLICY_LIMITS.maxGap.min, POLICY_LIMITS.maxGap.max, POLICY_LIMITS.maxGap.default),
  // The engine's own rule for the replacement (length, no digit), so the two cannot drift apart.
  REDACT_REPLACEMENT: z
    .string()
    .superRefine((text, ctx) => {
      for (const message of readPolicySetting('replacement', text).problems) ctx.addIssue({ code: 'custom', message });
    })
    .default(POLICY_LIMITS.replacement.default),
  REDACT_ALLOW: allowedNumbers,
  REDACT_KEEP: keptClasses,
};

/** The variables of the `session` section. */
export const sessionVariables = {
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return Object.freeze([]);
      const secrets = value.split(',').map((entry) => entry.trim());
      if (secrets.every((entry) => isPrintableAscii(entry) && entry.length >= MIN_SECRET_BYTES)) return Object.freeze(secrets);
      ctx.issues.push({
        code: 'custom',
        message:
          `must be a secret of at least ${MIN_SECRET_BYTES} printable ASCII characters without spaces ` +
          '(while rotating: the new one, a comma, the old one)',
        input: value,
      });
      return z.NEVER;
    }),
  SESSION_TTL_SECONDS: wholeNumber(60, 604_800, 1_800),
};

/** The variables of the `native` section: serving the vendor's own API (SPEC §2 *Native endpoints*). */
export const nativeVariables = {
  NATIVE_API: oneOf(['on', 'off']).default('off'),
  NATIVE_TOKEN: secret,
};

/** The variables of the `log` and `serve` sections. */
export const processVariables = {
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  WORKERS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return 1;
      const text = value.trim().toLowerCase();
      if (text === AUTO) return AUTO;
      const number = DIGITS.test(text) ? Number(text) : Number.NaN;
      if (number >= 1 && number <= MAX_WORKERS) return number;
      ctx.issues.push({ code: 'custom', message: `must be "${AUTO}" or a whole number from 1 to ${MAX_WORKERS}`, input: value });
      return z.NEVER;
    }),
  SHUTDOWN_TIMEOUT_MS: wholeNumber(0, 600_000, 10_000),
  // Read for the production guards (`strictness.ts`); any name a platform uses is taken.
  NODE_ENV: printableAscii('must be a name such as production: printable ASCII without spaces').optional(),
};

type Read<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

/** Where the service listens, and what its HTTP answers allow. */
export interface HttpSettings {
  readonly port: number;
  readonly host: string;
  /** When set, `GET /metrics` needs it as a bearer token. */
  readonly metricsToken: string | undefined;
  /** Origins whose pages may frame the chat (`frame-ancestors`); empty: only the service's own. */
  readonly embedOrigins: readonly string[];
  /** Which reverse proxies may say who the client is; `undefined`: the socket's peer is. */
  readonly trustProxy: TrustProxy | undefined;
}

/** What every chat is told and kept to, and who may open one. */
export interface ChatSettings {
  readonly privacyNotice: string;
  /** The notice for a widget that said its language (`?lang=`): `PRIVACY_NOTICE_EN`/`_NB`, else `PRIVACY_NOTICE`, else the built-in one. */
  readonly privacyNotices: Readonly<Record<NoticeLanguage, string>>;
  readonly limits: ChatLimits;
  /** Empty: only the service's own origin may open a chat. */
  readonly allowedOrigins: readonly string[];
  readonly widgetToken: string | undefined;
  /** A number sent in pieces across messages is caught (`REDACT_ACROSS_MESSAGES`). */
  readonly acrossMessages: boolean;
}

/** How session tokens are sealed: the sealer's own settings (secrets newest first, the lifetime in seconds). */
export type SessionSettings = Omit<SessionSealerOptions, 'now'>;

/** Whether the vendor's own API is served beside the chat, and the token its clients present. */
export interface NativeSettings {
  readonly enabled: boolean;
  /** When set, native clients must present it, and the vendor gets `VENDOR_TOKEN` in its stead. */
  readonly token: string | undefined;
}

/** How the process logs. */
export interface LogSettings {
  readonly level: (typeof LOG_LEVELS)[number];
}

/** How `chat-redact serve` runs. */
export interface ServeSettings {
  readonly workers: number | typeof AUTO;
  /** How long a shutdown waits for open chats to drain before it closes them. */
  readonly shutdownTimeoutMs: number;
}

/** The `http` section of a read environment. */
export function toHttpSettings(env: Read<typeof httpVariables>): HttpSettings {
  return { port: env.PORT, host: env.HOST, metricsToken: env.METRICS_TOKEN, embedOrigins: env.EMBED_ORIGINS, trustProxy: env.TRUST_PROXY };
}

/** The `chat` section of a read environment: one {@link ChatLimits} object. */
export function toChatSettings(env: Read<typeof chatVariables>): ChatSettings {
  return {
    privacyNotice: env.PRIVACY_NOTICE ?? DEFAULT_PRIVACY_NOTICE,
    privacyNotices: Object.freeze({
      en: env.PRIVACY_NOTICE_EN ?? env.PRIVACY_NOTICE ?? DEFAULT_PRIVACY_NOTICE_EN,
      nb: env.PRIVACY_NOTICE_NB ?? env.PRIVACY_NOTICE ?? DEFAULT_PRIVACY_NOTICE_NB,
    }),
    limits: Object.freeze({
      maxMessageBytes: env.MAX_MESSAGE_BYTES,
      maxReplyBytes: env.MAX_REPLY_BYTES,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
      maxConnections: env.MAX_CONNECTIONS,
    }),
    allowedOrigins: env.ALLOWED_ORIGINS,
    widgetToken: env.WIDGET_TOKEN,
    acrossMessages: env.REDACT_ACROSS_MESSAGES === 'on',
  };
}

/** The `session` section of a read environment. */
export function toSessionSettings(env: Read<typeof sessionVariables>): SessionSettings {
  return { secrets: env.SESSION_SECRET, ttlSeconds: env.SESSION_TTL_SECONDS };
}

/** The `native` section of a read environment. */
export function toNativeSettings(env: Read<typeof nativeVariables>): NativeSettings {
  return { enabled: env.NATIVE_API === 'on', token: env.NATIVE_TOKEN };
}

/** The `log` section of a read environment. */
export function toLogSettings(env: Read<typeof processVariables>): LogSettings {
  return { level: env.LOG_LEVEL };
}

/** The `serve` section of a read environment. */
export function toServeSettings(env: Read<typeof processVariables>): ServeSettings {
  return { workers: env.WORKERS, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS };
}

/** The variable each of the engine's settings is read from, to name it in a problem line. */
const POLICY_VARIABLES: Readonly<Record<string, string>> = {
  minDigits: 'REDACT_MIN_DIGITS',
  maxGap: 'REDACT_MAX_GAP',
  replacement: 'REDACT_REPLACEMENT',
  allow: 'REDACT_ALLOW',
  keep: 'REDACT_KEEP',
};

/**
 * The engine's policy. The schema has checked every setting; the engine has the last word all
 * the same, and a problem it finds is reported like any other.
 *
 * @throws {@link ConfigError} naming the variable behind each problem
 */
export function toPolicy(env: Read<typeof policyVariables>, raw: Env, variables: readonly string[]): Policy {
  try {
    return createPolicy({
      minDigits: env.REDACT_MIN_DIGITS,
      maxGap: env.REDACT_MAX_GAP,
      replacement: env.REDACT_REPLACEMENT,
      allow: env.REDACT_ALLOW,
      keep: env.REDACT_KEEP,
    });
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const issues = error.problems.map((problem) => {
      const [setting = '', ...rest] = problem.split(': ');
      return { path: [POLICY_VARIABLES[setting] ?? setting], message: rest.join(': ') };
    });
    throw new ConfigError(describeIssues(issues, raw, variables));
  }
}
