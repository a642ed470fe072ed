/**
 * The one place that reads the environment: a zod schema over every setting, validated once at
 * start-up. A bad value stops the start with one clear line per problem; secrets are never
 * echoed back.
 *
 * @module
 */
import { z } from 'zod';
import { PolicyError, createPolicy, type Policy } from './redact/index.js';

/** The notice sent to the widget when a chat opens, in English and Norwegian. */
export const DEFAULT_PRIVACY_NOTICE =
  'Please do not share personal details such as your national identity number, card or account ' +
  'numbers here: any number of seven or more digits is removed automatically before your message ' +
  'is stored or sent. / Ikke del personopplysninger som fødselsnummer, kort- eller kontonummer ' +
  'her: alle tallkombinasjoner på sju sifre eller mer fjernes automatisk før meldingen lagres ' +
  'eller sendes.';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SECRET_VARIABLES = new Set(['VENDOR_TOKEN', 'WIDGET_TOKEN', 'METRICS_TOKEN']);

const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }))
    .optional()
    .transform((value) => value ?? fallback);

const secret = z
  .string()
  .min(1, { message: 'must not be empty' })
  .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
  .optional();

/** An origin as browsers send it: scheme://host[:port], nothing more. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** The policy variables, parsed on their own so their problems show even when others fail. */
const policyEnvironmentSchema = z.object({
  REDACT_MIN_DIGITS: wholeNumber(0, 1000, 7),
  REDACT_MAX_GAP: wholeNumber(0, 1000, 3),
  REDACT_REPLACEMENT: z.string().default(''),
});

const environmentSchema = z.object({
  PORT: wholeNumber(0, 65535, 8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  VENDOR_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
    .optional(),
  VENDOR_TOKEN: secret,
  VENDOR_TIMEOUT_MS: wholeNumber(100, 600_000, 10_000),
  MAX_MESSAGE_BYTES: wholeNumber(64, 1_048_576, 16_384),
  RATE_LIMIT_PER_MINUTE: wholeNumber(1, 100_000, 60),
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .refine((origins) => origins.every(isOrigin), {
      message: 'must be a comma-separated list of origins like https://chat.example.no',
    }),
  WIDGET_TOKEN: secret,
  METRICS_TOKEN: secret,
  PRIVACY_NOTICE: z.string().trim().min(1).max(2000).default(DEFAULT_PRIVACY_NOTICE),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  WORKERS: z
    .string()
    .trim()
    .regex(/^(auto|\d+)$/, { message: 'must be "auto" or a whole number from 1 to 64' })
    .optional()
    .transform((value) => (value === undefined ? 1 : value === 'auto' ? ('auto' as const) : Number(value)))
    .refine((value) => value === 'auto' || (value >= 1 && value <= 64), {
      message: 'must be "auto" or a whole number from 1 to 64',
    }),
  SHUTDOWN_TIMEOUT_MS: wholeNumber(0, 600_000, 10_000),
});

/** The validated, frozen configuration of one process. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absent: the built-in demo bot answers. */
  readonly vendorUrl: string | undefined;
  readonly vendorToken: string | undefined;
  readonly vendorTimeoutMs: number;
  readonly policy: Policy;
  readonly maxMessageBytes: number;
  readonly rateLimitPerMinute: number;
  /** Empty: only the service's own origin may open a chat. */
  readonly allowedOrigins: readonly string[];
  readonly widgetToken: string | undefined;
  readonly metricsToken: string | undefined;
  readonly privacyNotice: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly workers: number | 'auto';
  /** How long a shutdown waits for open chats to drain before it closes them. */
  readonly shutdownTimeoutMs: number;
}

/** Thrown for a bad environment; `problems` holds one line per bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

function describeValue(variable: string, value: unknown): string {
  if (SECRET_VARIABLES.has(variable) || typeof value !== 'string') return '';
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return ` (got "${shown}")`;
}

function describeIssues(error: z.ZodError, env: Readonly<Record<string, string | undefined>>): string[] {
  return error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'environment');
    return `${variable}: ${issue.message}${describeValue(variable, env[variable])}`;
  });
}

function loadPolicy(env: Readonly<Record<string, string | undefined>>, problems: string[]): Policy | undefined {
  const parsed = policyEnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    problems.push(...describeIssues(parsed.error, env));
    return undefined;
  }
  try {
    return createPolicy({
      minDigits: parsed.data.REDACT_MIN_DIGITS,
      maxGap: parsed.data.REDACT_MAX_GAP,
      replacement: parsed.data.REDACT_REPLACEMENT,
    });
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const variables: Record<string, string> = {
      minDigits: 'REDACT_MIN_DIGITS',
      maxGap: 'REDACT_MAX_GAP',
      replacement: 'REDACT_REPLACEMENT',
    };
    for (const problem of error.problems) {
      const [setting = '', ...rest] = problem.split(': ');
      problems.push(`${variables[setting] ?? setting}: ${rest.join(': ')}`);
    }
    return undefined;
  }
}

/**
 * Read and validate the configuration from an environment (default `process.env`).
 *
 * @throws {@link ConfigError} listing every bad variable
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const problems: string[] = [];
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) problems.push(...describeIssues(parsed.error, env));
  const policy = loadPolicy(env, problems);
  if (problems.length > 0 || !parsed.success || policy === undefined) throw new ConfigError(problems);
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    vendorUrl: e.VENDOR_URL,
    vendorToken: e.VENDOR_TOKEN,
    vendorTimeoutMs: e.VENDOR_TIMEOUT_MS,
    policy,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    allowedOrigins: Object.freeze([...e.ALLOWED_ORIGINS]),
    widgetToken: e.WIDGET_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    privacyNotice: e.PRIVACY_NOTICE,
    logLevel: e.LOG_LEVEL,
    workers: e.WORKERS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  });
}
