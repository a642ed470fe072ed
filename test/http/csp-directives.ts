/**
 * A Content-Security-Policy header read into its directives, for the header tests.
 */

/** Each directive's name and its values joined by one space. */
export function directivesOf(csp: string | null): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (csp ?? '').split(';')) {
    const [name = '', ...values] = part.trim().split(/\s+/);
    if (name !== '') directives.set(name, values.join(' '));
  }
  return directives;
}
