/**
 * pino integration for library users: the scrubbing the service's own logger does, for any pino
 * logger. Every finished line is parsed back and every string in it — message after printf
 * interpolation, fields and keys at any depth, error messages, stacks and causes, child bindings
 * — is redacted with the given policy before the line is written. Fields named like secrets
 * (`authorization`, `cookie`, `*token`, `*password`, `*secret`, `*apiKey`) are censored, fields
 * named like client addresses (`ip`, `remoteAddress`, `x-forwarded-for`, …) anonymised, and
 * query strings cut from `url` fields, exactly as in the service's logger: one implementation,
 * `createLineScrubber` in `observability/log-lines.ts`, by the rules of `observability/log-fields.ts`. pino's own `time`, `pid` and `hostname` are
 * written as they are. A line that cannot be parsed is withheld (fail closed).
 *
 * Two ways in, for the two places a pino user configures: `redactingHooks` goes into the
 * logger's options and works with every destination, transport and `pino.multistream`;
 * `createRedactingDestination` wraps a destination, for code that takes a stream but builds the
 * logger itself.
 *
 * @module
 */
import type { DestinationStream } from 'pino';
import type { Scrub } from '../observability/log-fields.js';
import { createLineScrubber } from '../observability/log-lines.js';
import { loadPino } from '../observability/pino-module.js';
import { redact, resolvePolicy, type Policy, type PolicyOptions } from '../redact/index.js';

/**
 * pino's `hooks` option with a `streamWrite` hook that redacts each finished line; what
 * {@link redactingHooks} returns.
 *
 * @example
 * ```ts
 * const hooks: RedactingHooks = redactingHooks({ minDigits: 8 });
 * const logger = pino({ level: 'debug', hooks });
 * ```
 */
export interface RedactingHooks {
  streamWrite(line: string): string;
}

/**
 * A pino destination that redacts each line and passes it on; flushing and ending pass through.
 * What {@link createRedactingDestination} returns.
 *
 * @example
 * ```ts
 * const destination: RedactingDestination = createRedactingDestination(pino.destination('app.log'));
 * const logger = pino({}, destination);
 * logger.flush(); // flushes app.log
 * ```
 */
export interface RedactingDestination extends DestinationStream {
  /** Flush the wrapped destination (pino's `logger.flush(cb)` calls this); `cb` runs when done. */
  flush(callback?: (error?: Error | null) => void): void;
  /** Flush the wrapped destination synchronously, where it can (`pino.destination()` can). */
  flushSync(): void;
  /** End the wrapped destination, where it can be ended. */
  end(): void;
}

/** The optional methods of the destinations pino users pass: SonicBoom, streams, transports. */
interface FlushableDestination extends DestinationStream {
  flush?: (callback: (error?: Error | null) => void) => void;
  flushSync?: () => void;
  end?: () => void;
}

function scrubberFor(policy: PolicyOptions | Policy | undefined): Scrub {
  // Validated once, here, so a bad policy fails when the logger is built, not at the first line.
  const resolved = resolvePolicy(policy);
  return createLineScrubber((text) => redact(text, resolved).text);
}

/**
 * pino `hooks` that redact every line before it reaches the destination. Works with any
 * destination, `transport` and `pino.multistream`. Put your own `logMethod` hook beside it if you
 * have one; a `streamWrite` of your own would replace this one.
 *
 * @param policy - the redaction policy (default: 7 digits, gaps of up to 3 separators)
 * @throws `PolicyError` for invalid policy options
 * @example
 * ```ts
 * import pino from 'pino';
 * import { redactingHooks } from 'chat-redact';
 *
 * const logger = pino({ hooks: redactingHooks() });
 * logger.info({ customer: { phone: '+47 98 76 54 32' } }, 'fnr %s', '010190 12345');
 * // {"level":30,…,"customer":{"phone":"+"},"msg":"fnr "}
 * ```
 */
export function redactingHooks(policy?: PolicyOptions | Policy): RedactingHooks {
  return { streamWrite: scrubberFor(policy) };
}

/**
 * Wrap a pino destination so that every line written to it is redacted first. For a logger built
 * elsewhere that takes a stream (pino-http, a framework's `logger.stream`). Inside a
 * `pino.multistream`, wrap each stream rather than the multistream: it needs pino's per-line
 * metadata, which a wrapper does not carry — or use {@link redactingHooks}.
 *
 * @param destination - where the redacted lines go (default: stdout, as pino's own default)
 * @param policy - the redaction policy (default: 7 digits, gaps of up to 3 separators)
 * @throws `PolicyError` for invalid policy options
 * @example
 * ```ts
 * import pino from 'pino';
 * import { createRedactingDestination } from 'chat-redact';
 *
 * const logger = pino({}, createRedactingDestination(pino.destination('app.log')));
 * logger.warn({ err }, 'payment failed'); // err.message and stack redacted before writing
 * ```
 */
export function createRedactingDestination(
  destination: DestinationStream = loadPino().destination(1),
  policy?: PolicyOptions | Policy,
): RedactingDestination {
  const scrubLines = scrubberFor(policy);
  const target = destination as FlushableDestination;
  return {
    write(text: string) {
      target.write(scrubLines(text));
    },
    flush(callback = () => {}) {
      if (typeof target.flush === 'function') target.flush(callback);
      else callback();
    },
    flushSync() {
      target.flushSync?.();
    },
    end() {
      target.end?.();
    },
  };
}
