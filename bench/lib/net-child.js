/**
 * The child half of `net-process.js`: a network suite's server or load client answers its
 * parent's requests over IPC, and exits when told to, when the parent goes away, or at the end of
 * its lifetime, whichever comes first — nothing it starts can outlive the benchmark.
 *
 * @module
 */

/**
 * @typedef {(message: any) => unknown} Handler what it returns (or resolves to) goes back to the
 *   parent as the answer
 */

/**
 * The options the parent passed (`argv[2]`, JSON).
 * @returns {any}
 */
export function readChildOptions() {
  const json = process.argv[2];
  if (json === undefined || process.send === undefined) {
    throw new Error('usage: started by net-process.js with an IPC channel and OPTIONS_JSON');
  }
  return JSON.parse(json);
}

/**
 * Tell the parent this child is ready (with `info`), then answer its requests with `handlers`.
 * @param {Record<string, unknown>} info
 * @param {Record<string, Handler>} handlers
 * @param {{ lifetimeMs: number }} settings the child exits with code 3 after this long
 */
export function serveParent(info, handlers, { lifetimeMs }) {
  const send = /** @type {NonNullable<typeof process.send>} */ (process.send).bind(process);
  const lifetime = setTimeout(() => {
    process.stderr.write(`lifetime of ${lifetimeMs / 1000} s is over; exiting\n`);
    process.exit(3);
  }, lifetimeMs);
  lifetime.unref();
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (/** @type {any} */ message) => {
    if (message?.type === 'stop') process.exit(0);
    const handler = handlers[message?.type];
    try {
      if (handler === undefined) throw new Error(`no handler for "${message?.type}"`);
      send({ seq: message.seq, result: (await handler(message)) ?? null });
    } catch (error) {
      send({ seq: message.seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  send({ type: 'ready', ...info });
}

/**
 * The handler for `memory`: a full collection (when the process runs with `--expose-gc`), then
 * `process.memoryUsage()`.
 */
export function collectAndMeasure() {
  const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
  // Twice: the first pass may leave objects that only a second, with finalizers run, frees.
  gc?.();
  gc?.();
  return { ...process.memoryUsage(), collected: gc !== undefined };
}
