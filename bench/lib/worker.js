/**
 * Entry point of a fresh benchmark process: `node worker.js MODULE VARIANT OPTIONS_JSON`.
 *
 * It imports MODULE, runs its `variants[VARIANT](options)` and sends the result to the parent
 * over IPC. One variant per process, so no variant runs on a JIT and heap shaped by another.
 *
 * @module
 */
const [moduleUrl, variant, optionsJson] = process.argv.slice(2);
if (moduleUrl === undefined || variant === undefined || optionsJson === undefined || process.send === undefined) {
  throw new Error('usage: fork(worker.js, [MODULE_URL, VARIANT, OPTIONS_JSON]) with an IPC channel');
}
const { variants } = await import(moduleUrl);
const run = variants?.[variant];
if (typeof run !== 'function') throw new Error(`${moduleUrl} has no variant "${variant}"`);
const result = await run(JSON.parse(optionsJson));
process.send(result, () => process.disconnect());
