/**
 * Which environment variables the service reads, for the tests that check what the manifests
 * and overlays configure.
 */
import { ConfigError, loadConfig, type Config } from '../../src/config/load-config.js';

/**
 * Variables the product specification defines that src/config/ does not read yet (sessions and
 * vendor kinds are being built in parallel). Accepted by name; drop a name once src/config/ reads
 * it, so that the probe checks it like every other variable.
 */
export const ANNOUNCED_VARIABLES: ReadonlySet<string> = new Set(['EMBED_ORIGINS']);

/**
 * Whether the service reads `name`: a value no setting accepts makes loadConfig name the variable.
 * zod drops unknown keys silently, so this is what catches a misspelt variable in a manifest.
 */
export function isConfigVariable(name: string): boolean {
  for (const badValue of [' ', `${'x'.repeat(3000)}1`]) {
    try {
      loadConfig({ [name]: badValue });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // An unknown name with one of the gateway's prefixes is named too, as unknown (config/strictness.ts).
      if (error.problems.some((problem) => problem.startsWith(`${name}:`) && !problem.startsWith(`${name}: unknown;`))) return true;
    }
  }
  return false;
}

/** A variable the service reads, or one the specification announces (see {@link ANNOUNCED_VARIABLES}). */
export function isServiceVariable(name: string): boolean {
  return ANNOUNCED_VARIABLES.has(name) || isConfigVariable(name);
}

/** Where the configured vendor is: `undefined` for the built-in demo bot. */
export function vendorUrlOf(config: Config): string | undefined {
  return config.vendor.kind === 'demo' ? undefined : config.vendor.url;
}
