/**
 * The one place that reads the environment: a zod schema over every setting, validated once at
 * start-up. A bad value stops the start with one clear line per problem; secrets are never
 * echoed back.
 *
 * @module
 */
import { z } from 'zod';
import { VENDOR_KINDS, type VendorKind } from './chatbot/chatbot.js';
import { MIN_SECRET_BYTES } from './session/session-sealer.js';
import { ALLOW_LIMITS, POLICY_LIMITS, PolicyError, createPolicy, foldAllowEntry, readPolicySetting, type Policy } from './redact/index.js';

/** The notice sent to the widget when a chat opens, in English and Norwegian. */
export const DEFAULT_PRIVACY_NOTICE =
  'Please do not share personal details such as your national identity number, card or account ' +
  'numbers here: any number of seven or more digits is removed automatically before your message ' +
  'is stored or sent. / Ikke del personopplysninger som fødselsnummer, kort- eller kontonummer ' +
  'her: alle tallkombinasjoner på sju sifre eller mer fjernes automatisk før meldingen lagres ' +
  'eller sendes.';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MAX_WORKERS = 64;
const MAX_PRIVACY_NOTICE_LENGTH = 2000;
const MAX_SYSTEM_PROMPT_LENGTH = 32_000;
const MAX_MODEL_NAME_LENGTH = 256;
/**
 * Where a kind's vendor lives when `VENDOR_URL` does not say: the one public service of that
 * name. Boost (a tenant's own host), Rasa (self-hosted) and the generic contract have none.
 */
export const DEFAULT_VENDOR_URLS: Readonly<Partial<Record<VendorKind, string>>> = {
  openai: 'https://api.openai.com/v1',
  directline: 'https://directline.botframework.com',
};
/** What `VENDOR_URL` is, per kind, for the problem line when it is missing. */
const VENDOR_URL_HINTS: Readonly<Partial<Record<VendorKind, string>>> = {
  boost: "the bot's base URL, https://<tenant>.boost.ai",
  rasa: 'the Rasa server, e.g. http://rasa:5005',
};
/** How much of a bad value a problem line shows. */
const SHOWN_VALUE_LENGTH = 40;

/** Variables whose values are never shown, not even when they are wrong. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set(['VENDOR_TOKEN', 'WIDGET_TOKEN', 'METRICS_TOKEN', 'SESSION_SECRET']);

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A whole number within bounds, or `fallback` when unset. One check and one message, so a bad
 * value gives exactly one line however it is wrong (letters, sign, too large, unsafe integer).
 */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const text = value.trim();
      const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (number >= min && number <= max) return number;
      ctx.issues.push({ code: 'custom', message: `must be a whole number from ${min} to ${max}`, input: value });
      return z.NEVER;
    });

const secret = z
  .string()
  .regex(/^[\x21-\x7e]+$/, { message: 'must be non-empty printable ASCII without spaces' })
  .optional();

const nonEmpty = z.string().trim().min(1, { message: 'must not be empty' });

/**
 * The origin a browser would send for `value` (`scheme://host[:port]`, lower-case, default port
 * dropped), or `undefined` when `value` is more than an origin. A trailing `/` is forgiven: it
 * is the most common way to write an origin by hand, and it names the same origin.
 */
function toOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const isWeb = url.protocol === 'http:' || url.protocol === 'https:';
  const isBare = url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '';
  // An empty query or fragment (`https://a.example?`) or userinfo (`https://@a.example`) leaves
  // no trace on the parsed URL, yet it is not an origin either.
  const hasNoExtras = !/[?#@]/.test(value);
  return isWeb && isBare && hasNoExtras ? url.origin : undefined;
}

/** Everything a URL may carry that is a secret (credentials, query, fragment) masked for display. */
function maskUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@').replace(/[?#].*$/s, '?…');
}

/** The entries of a comma-separated list, trimmed; empty entries dropped. */
function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A comma-separated list of exact origins (`ALLOWED_ORIGINS`, `EMBED_ORIGINS`); empty by default. */
const originList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = splitList(value);
    const origins = entries.map(toOrigin);
    const bad = entries.filter((_, k) => origins[k] === undefined);
    if (bad.length === 0) return [...new Set(origins as string[])];
    ctx.issues.push({
      code: 'custom',
      message:
        'must be a comma-separated list of origins like https://chat.example.no; ' +
        `not an origin: ${bad.map((entry) => `"${maskUrl(entry)}"`).join(', ')}`,
      input: value,
    });
    return z.NEVER;
  });

/**
 * Public numbers to keep, comma-separated; each entry checked by the engine's own rule, and every
 * bad one named on the variable's one line.
 */
const allowedNumbers = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = splitList(value);
    const problems = entries.flatMap((entry) => {
      const folded = foldAllowEntry(entry);
      return 'problem' in folded ? [folded.problem] : [];
    });
    if (entries.length > ALLOW_LIMITS.maxEntries) problems.push(`must list at most ${ALLOW_LIMITS.maxEntries} numbers`);
    if (problems.length === 0) return entries;
    ctx.issues.push({ code: 'custom', message: problems.join('; '), input: value });
    return z.NEVER;
  });

/** The one schema over the environment: every variable the service reads, and nothing else. */
const environmentSchema = z.object({
  PORT: wholeNumber(0, 65535, 8080),
  HOST: nonEmpty.default('0.0.0.0'),
  VENDOR_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
    .optional(),
  VENDOR_TOKEN: secret,
  VENDOR_TIMEOUT_MS: wholeNumber(100, 600_000, 10_000),
  VENDOR_KIND: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(VENDOR_KINDS, { message: `must be one of ${VENDOR_KINDS.join(', ')}` }))
    .default('generic'),
  VENDOR_MODEL: z
    .string()
    .regex(/^[\x21-\x7e]+$/, { message: 'must be a model name: printable ASCII without spaces' })
    .max(MAX_MODEL_NAME_LENGTH, { message: `must be at most ${MAX_MODEL_NAME_LENGTH} characters` })
    .optional(),
  VENDOR_SYSTEM_PROMPT: nonEmpty
    .max(MAX_SYSTEM_PROMPT_LENGTH, { message: `must be at most ${MAX_SYSTEM_PROMPT_LENGTH} characters` })
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .refine((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text), { message: 'must not contain control characters' })
    .optional(),
  VENDOR_HISTORY_MESSAGES: wholeNumber(0, 1_000, 20),
  MAX_REPLY_BYTES: wholeNumber(1_024, 67_108_864, 1_048_576),
  REDACT_MIN_DIGITS: wholeNumber(
    POLICY_LIMITS.minDigits.min,
    POLICY_LIMITS.minDigits.max,
    POLICY_LIMITS.minDigits.default,
  ),
  REDACT_MAX_GAP: wholeNumber(POLICY_LIMITS.maxGap.min, POLICY_LIMITS.maxGap.max, POLICY_LIMITS.maxGap.default),
  // The engine's own rule for the replacement (length, no digit), so the two cannot drift apart.
  REDACT_REPLACEMENT: z
    .string()
    .superRefine((text, ctx) => {
      for (const message of readPolicySetting('replacement', text).problems) ctx.addIssue({ code: 'custom', message });
    })
    .default(POLICY_LIMITS.replacement.default),
  REDACT_ALLOW: allowedNumbers,
  // At least 512: a resume frame must have room for a session token (see session/chat-session.ts).
  MAX_MESSAGE_BYTES: wholeNumber(512, 1_048_576, 16_384),
  RATE_LIMIT_PER_MINUTE: wholeNumber(1, 100_000, 60),
  MAX_CONNECTIONS: wholeNumber(1, 1_000_000, 10_000),
  ALLOWED_ORIGINS: originList,
  WIDGET_TOKEN: secret,
  METRICS_TOKEN: secret,
  PRIVACY_NOTICE: nonEmpty
    .max(MAX_PRIVACY_NOTICE_LENGTH, { message: `must be at most ${MAX_PRIVACY_NOTICE_LENGTH} characters` })
    .default(DEFAULT_PRIVACY_NOTICE),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
  WORKERS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return 1;
      const text = value.trim().toLowerCase();
      if (text === 'auto') return 'auto' as const;
      const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (number >= 1 && number <= MAX_WORKERS) return number;
      ctx.issues.push({
        code: 'custom',
        message: `must be "auto" or a whole number from 1 to ${MAX_WORKERS}`,
        input: value,
      });
      return z.NEVER;
    }),
  SHUTDOWN_TIMEOUT_MS: wholeNumber(0, 600_000, 10_000),
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return [];
      const secrets = value.split(',').map((secret) => secret.trim());
      if (secrets.every((secret) => /^[\x21-\x7e]+$/.test(secret) && secret.length >= MIN_SECRET_BYTES)) return secrets;
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
  EMBED_ORIGINS: originList,
});

/**
 * The settings a vendor kind cannot do without. Read from the raw environment, so that these
 * problems are reported together with every other bad variable, not after them.
 */
function checkVendorSettings(env: Env): string[] {
  const kind = VENDOR_KINDS.find((name) => name === env.VENDOR_KIND?.trim().toLowerCase());
  if (kind === undefined) return [];
  const problems: string[] = [];
  if (kind !== 'generic' && env.VENDOR_URL === undefined && DEFAULT_VENDOR_URLS[kind] === undefined) {
    problems.push(`VENDOR_URL: must be set when VENDOR_KIND is ${kind} (${VENDOR_URL_HINTS[kind]})`);
  }
  if (kind === 'openai' && env.VENDOR_MODEL === undefined) {
    problems.push('VENDOR_MODEL: must be set when VENDOR_KIND is openai (the model name, e.g. gpt-4o-mini or llama3.2)');
  }
  if (kind === 'directline' && env.VENDOR_TOKEN === undefined) {
    problems.push("VENDOR_TOKEN: must be set when VENDOR_KIND is directline (the Direct Line channel's secret)");
  }
  return problems;
}

/** Every environment variable the service reads, in the order of the schema. */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(environmentSchema.shape));

/** The validated, frozen configuration of one process. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absent: the built-in demo bot answers. */
  readonly vendorUrl: string | undefined;
  readonly vendorToken: string | undefined;
  readonly vendorTimeoutMs: number;
  /** `demo` when no vendor is configured: the built-in bot answers. */
  readonly vendorKind: VendorKind | 'demo';
  /** The model an `openai` vendor is asked for. */
  readonly vendorModel: string | undefined;
  /** Sent first, as the system message, to an `openai` vendor; operator text, sent as written. */
  readonly vendorSystemPrompt: string | undefined;
  /** Messages of the conversation (both sides) an `openai` vendor gets as history. */
  readonly vendorHistoryMessages: number;
  /** A reply longer than this, in UTF-8 bytes, is cut: the widget gets what fit, then `vendor_error`. */
  readonly maxReplyBytes: number;
  readonly policy: Policy;
  readonly maxMessageBytes: number;
  readonly rateLimitPerMinute: number;
  /** Open chats one process accepts; more are refused with 503 before the handshake. */
  readonly maxConnections: number;
  /** Empty: only the service's own origin may open a chat. */
  readonly allowedOrigins: readonly string[];
  readonly widgetToken: string | undefined;
  readonly metricsToken: string | undefined;
  readonly privacyNotice: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly workers: number | 'auto';
  /** How long a shutdown waits for open chats to drain before it closes them. */
  readonly shutdownTimeoutMs: number;
  /** Secrets that seal session tokens, newest first; empty: a random key per process. */
  readonly sessionSecrets: readonly string[];
  /** How long a session token is good for, in seconds. */
  readonly sessionTtlSeconds: number;
  /** Origins whose pages may frame the chat (`frame-ancestors`); empty: only the service's own. */
  readonly embedOrigins: readonly string[];
}

/** Thrown for a bad environment; `problems` holds one line per bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Variables that are lists of origins: their problem line names the bad entries itself. */
const ORIGIN_LISTS: ReadonlySet<string> = new Set(['ALLOWED_ORIGINS', 'EMBED_ORIGINS']);

function describeValue(variable: string, value: string | undefined): string {
  // The origin lists and REDACT_ALLOW name their bad entries in the message itself.
  if (SECRET_VARIABLES.has(variable) || ORIGIN_LISTS.has(variable) || variable === 'REDACT_ALLOW' || value === undefined) return '';
  const masked = variable === 'VENDOR_URL' ? maskUrl(value) : value;
  const shown = masked.length > SHOWN_VALUE_LENGTH ? `${masked.slice(0, SHOWN_VALUE_LENGTH)}…` : masked;
  return ` (got "${shown}")`;
}

/** One line per bad variable: its first problem, and its value unless that is a secret. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], env: Env): string[] {
  const lines = new Map<string, string>();
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? 'environment');
    if (!lines.has(variable)) lines.set(variable, `${variable}: ${issue.message}${describeValue(variable, env[variable])}`);
  }
  return [...lines.values()];
}

/** The schema has checked every setting; the engine has the last word all the same. */
function buildPolicy(options: { minDigits: number; maxGap: number; replacement: string; allow: string[] }, env: Env): Policy {
  try {
    return createPolicy(options);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const variables: Record<string, string> = {
      minDigits: 'REDACT_MIN_DIGITS',
      maxGap: 'REDACT_MAX_GAP',
      replacement: 'REDACT_REPLACEMENT',
      allow: 'REDACT_ALLOW',
    };
    const issues = error.problems.map((problem) => {
      const [setting = '', ...rest] = problem.split(': ');
      return { path: [variables[setting] ?? setting], message: rest.join(': ') };
    });
    throw new ConfigError(describeIssues(issues, env));
  }
}

/**
 * Read and validate the configuration from an environment (default `process.env`).
 *
 * @throws {@link ConfigError} listing every bad variable, one line each
 * @example
 * ```ts
 * try {
 *   const config = loadConfig();
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.problems.join('\n')); // PORT: must be …
 * }
 * ```
 */
export function loadConfig(env: Env = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  const vendorProblems = checkVendorSettings(env);
  if (!parsed.success || vendorProblems.length > 0) {
    const problems = parsed.success ? [] : describeIssues(parsed.error.issues, env);
    const named = new Set(problems.map((problem) => problem.split(':', 1)[0]));
    throw new ConfigError([...problems, ...vendorProblems.filter((problem) => !named.has(problem.split(':', 1)[0]))]);
  }
  const e = parsed.data;
  const vendorUrl = e.VENDOR_URL ?? (env.VENDOR_KIND === undefined ? undefined : DEFAULT_VENDOR_URLS[e.VENDOR_KIND]);
  const policy = buildPolicy(
    { minDigits: e.REDACT_MIN_DIGITS, maxGap: e.REDACT_MAX_GAP, replacement: e.REDACT_REPLACEMENT, allow: e.REDACT_ALLOW },
    env,
  );
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    vendorUrl,
    vendorToken: e.VENDOR_TOKEN,
    vendorTimeoutMs: e.VENDOR_TIMEOUT_MS,
    vendorKind: vendorUrl === undefined ? 'demo' : e.VENDOR_KIND,
    vendorModel: e.VENDOR_MODEL,
    vendorSystemPrompt: e.VENDOR_SYSTEM_PROMPT,
    vendorHistoryMessages: e.VENDOR_HISTORY_MESSAGES,
    maxReplyBytes: e.MAX_REPLY_BYTES,
    policy,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    maxConnections: e.MAX_CONNECTIONS,
    allowedOrigins: Object.freeze([...e.ALLOWED_ORIGINS]),
    widgetToken: e.WIDGET_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    privacyNotice: e.PRIVACY_NOTICE,
    logLevel: e.LOG_LEVEL,
    workers: e.WORKERS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    sessionSecrets: Object.freeze([...e.SESSION_SECRET]),
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    embedOrigins: Object.freeze([...e.EMBED_ORIGINS]),
  });
}
