/**
 * The leak judge of the tests (`test/support/leak-judge.ts`) and the reference redaction it
 * rests on (`test/support/reference.ts`), for the benchmarks and the soak: whether a frame,
 * request, log line, metric or answer holds a sensitive combination is decided by the plain
 * reference, never by the engine under measurement. The TypeScript files are loaded as they
 * are, through tsx (a devDependency), so the judge exists once.
 *
 * @module
 */
// tsx would keep a transform cache in the temporary folder; the benchmarks leave nothing there.
process.env.TSX_DISABLE_CACHE ??= '1';
const { tsImport } = await import('tsx/esm/api');

/** @type {typeof import('../../test/support/leak-judge.ts')} */
const judge = await tsImport('../../test/support/leak-judge.ts', import.meta.url);
/** @type {typeof import('../../test/support/reference.ts')} */
const reference = await tsImport('../../test/support/reference.ts', import.meta.url);

/** Sensitive combinations in a text. @type {(text: string) => number} */
export const countLeaks = (text) => judge.countLeaks(text);
/** Sensitive combinations in a log line, pino's own fields aside. @type {(line: string) => number} */
export const countLogLineLeaks = (line) => judge.countLogLineLeaks(line);
/** Sensitive combinations in a Prometheus exposition, values and bucket bounds aside. @type {(text: string) => number} */
export const countMetricsLeaks = (text) => judge.countMetricsLeaks(text);
/** What the policy makes of a text, by the reference (for expected answers). @type {(text: string) => string} */
export const redactByReference = (text) => reference.referenceRedact(text).text;
