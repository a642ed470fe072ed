/** pino's printf-style formatter (`%s %d %i %f %o %O %j %%`), which ships no types of its own. */
declare module 'quick-format-unescaped' {
  interface FormatOptions {
    /** How `%o`, `%O`, `%j` and object arguments are written; default JSON.stringify. */
    stringify?: (value: unknown) => string;
  }
  /** `template` with `args` put in as pino puts them; a non-string template comes back as it is. */
  function format(template: unknown, args: readonly unknown[], options?: FormatOptions): unknown;
  export default format;
}
