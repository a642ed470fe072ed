/**
 * pino itself, loaded the first time it is needed rather than when a module is imported: the
 * library's pino integration and the log-field rules it shares with the service need pino only
 * for a default destination and for serialising errors, so `import 'chat-redact'` (and
 * `chat-redact/pino` until it is used) costs no pino. The service's own logger imports pino as
 * usual; it is the same module either way.
 *
 * @module
 */
import { createRequire } from 'node:module';

/** pino's default export: the logger factory with `destination`, `stdSerializers` and the rest. */
export type Pino = typeof import('pino').default;

let loaded: Pino | undefined;

/**
 * pino, loaded on the first call.
 *
 * @example
 * ```ts
 * const serialised = loadPino().stdSerializers.err(new Error('x'));
 * ```
 */
export function loadPino(): Pino {
  // pino is CommonJS: require gives the factory with its properties, synchronously.
  loaded ??= createRequire(import.meta.url)('pino') as Pino;
  return loaded;
}
