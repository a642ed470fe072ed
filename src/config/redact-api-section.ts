/**
 * The redaction API's section: whether `/v1/redact*` is served at all (`REDACT_API`), the token
 * it asks for (`REDACT_API_TOKEN`), the requests per client and minute it takes
 * (`REDACT_API_RATE_PER_MINUTE`), and the largest bodies (`MAX_REDACT_BYTES` for one JSON text,
 * `MAX_STREAM_BYTES` for a stream).
 *
 * @module
 */
import type { z } from 'zod';
import { oneOf, secret, wholeNumber } from './parsers.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const SWITCH = ['on', 'off'] as const;

/** The variables of the `redactApi` section. */
export const redactApiVariables = {
  REDACT_API: oneOf(SWITCH).default('on'),
  REDACT_API_TOKEN: secret,
  REDACT_API_RATE_PER_MINUTE: wholeNumber(1, 1_000_000, 600),
  MAX_REDACT_BYTES: wholeNumber(1_024, 64 * MIB, MIB),
  MAX_STREAM_BYTES: wholeNumber(1_024, 1_024 * GIB, GIB),
};

/** What the redaction API serves, to whom, and how much. */
export interface RedactApiSettings {
  /** `false` (`REDACT_API=off`): `/v1/redact*` answer 404, as if there were no such routes. */
  readonly enabled: boolean;
  /** When set, `/v1/redact*` need it as a bearer token. */
  readonly token: string | undefined;
  /** Requests per client address and minute. */
  readonly ratePerMinute: number;
  /** Largest body of `POST /v1/redact`, in bytes. */
  readonly maxBodyBytes: number;
  /** Largest body of `POST /v1/redact/stream`, in bytes. */
  readonly maxStreamBytes: number;
}

/** The `redactApi` section of a read environment. */
export function toRedactApiSettings(env: z.output<z.ZodObject<typeof redactApiVariables>>): RedactApiSettings {
  return {
    enabled: env.REDACT_API === 'on',
    token: env.REDACT_API_TOKEN,
    ratePerMinute: env.REDACT_API_RATE_PER_MINUTE,
    maxBodyBytes: env.MAX_REDACT_BYTES,
    maxStreamBytes: env.MAX_STREAM_BYTES,
  };
}
