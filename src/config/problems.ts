/**
 * What a bad environment is told: one line per bad variable, naming it and saying what it must
 * be, with its value shown unless it is a secret (and a URL's credentials and query masked), all
 * bad variables at once, in the order of the configuration's variables.
 *
 * @module
 */

/** Variables whose values are never shown, not even when they are wrong. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set(['VENDOR_TOKEN', 'WIDGET_TOKEN', 'METRICS_TOKEN', 'SESSION_SECRET', 'REDACT_API_TOKEN', 'NATIVE_TOKEN']);
/** Variables whose problem line names their bad entries itself: their value is not shown again. */
const SELF_DESCRIBING_VARIABLES: ReadonlySet<string> = new Set(['ALLOWED_ORIGINS', 'EMBED_ORIGINS', 'REDACT_ALLOW', 'TRUST_PROXY']);
/** Variables that hold a URL: credentials, query and fragment are masked where the value is shown. */
const URL_VARIABLES: ReadonlySet<string> = new Set(['VENDOR_URL', 'HTTPS_PROXY', 'HTTP_PROXY']);
/** How much of a bad value a problem line shows. */
const SHOWN_VALUE_LENGTH = 40;
/** Where a problem not about one variable is filed. */
const WHOLE_ENVIRONMENT = 'environment';

/** The environment as read: variable → value. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One problem of one variable, as zod reports it or the engine's policy check does. */
export interface VariableIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Thrown for a bad environment; `problems` holds one line per bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/**
 * Everything a URL may carry that is a secret (credentials, query, fragment) masked for display.
 *
 * @example
 * ```ts
 * maskUrl('https://bot:hunter2@bot.example.com/chat?key=1'); // 'https://…@bot.example.com/chat?…'
 * ```
 */
export function maskUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@').replace(/[?#].*$/s, '?…');
}

function describeValue(variable: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(variable) || SELF_DESCRIBING_VARIABLES.has(variable) || value === undefined) return '';
  const masked = URL_VARIABLES.has(variable) ? maskUrl(value) : value;
  const shown = masked.length > SHOWN_VALUE_LENGTH ? `${masked.slice(0, SHOWN_VALUE_LENGTH)}…` : masked;
  return ` (got "${shown}")`;
}

/**
 * One line per bad variable: its first problem, and its value unless that is a secret; in the
 * order of `variables`, then any other.
 */
export function describeIssues(issues: readonly VariableIssue[], env: Env, variables: readonly string[]): string[] {
  const lines = new Map<string, string>();
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? WHOLE_ENVIRONMENT);
    if (!lines.has(variable)) lines.set(variable, `${variable}: ${issue.message}${describeValue(variable, env[variable])}`);
  }
  const rank = (variable: string): number => {
    const index = variables.indexOf(variable);
    return index === -1 ? variables.length : index;
  };
  return [...lines].sort(([a], [b]) => rank(a) - rank(b)).map(([, line]) => line);
}
