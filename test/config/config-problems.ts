/** The problem lines an environment is rejected with, for the configuration's tests. */
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

/** The problem lines `env` is rejected with; throws when it is not rejected. */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}
