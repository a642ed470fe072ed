#!/usr/bin/env node
/**
 * The `chat-redact` executable (the package's `bin`): `serve` runs the gateway, `redact` scrubs
 * files and streams. It only runs {@link main}; the command line is read in `cli/main.ts`.
 *
 * @module
 */
import { EXIT } from './process-io.js';
import { main } from './cli/main.js';

// `chat-redact redact big.log | head -1`: the reader has all it wanted. Node ignores SIGPIPE, so
// the closed pipe shows up as EPIPE; end quietly, as `cat` ends on SIGPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
});
const code = await main(process.argv.slice(2), process);
process.exitCode = code;
// A stopped server still holds watchers (default metrics) that never end on their own; its
// logs are written synchronously, so exiting now loses nothing.
if (process.argv[2] === 'serve') process.exit(code);
