/**
 * `chat-redact serve`: the gateway. Until the gateway lands this explains itself and exits.
 *
 * @module
 */
import type { CommandIo } from './redact-command.js';

/** Start the gateway; resolves to the exit code once it has stopped. */
export async function runServe(io: CommandIo): Promise<number> {
  io.stderr.write('chat-redact: the gateway is not built yet; use `chat-redact redact` meanwhile.\n');
  return 1;
}
