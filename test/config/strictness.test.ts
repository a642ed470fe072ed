import { describe, expect, it } from 'vitest';
import { problemsOf } from './config-problems.js';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config/load-config.js';
import { VARIABLE_PREFIXES, closestVariable, findUnknownVariables } from '../../src/config/strictness.js';


describe('unknown variables with the gateway’s prefixes', () => {
  it('stop the start, each on a line naming the closest known variable', () => {
    expect(problemsOf({ VENDOR_KND: 'boost' })).toEqual(['VENDOR_KND: unknown; did you mean VENDOR_KIND?']);
    expect(problemsOf({ REDACT_MIN_DIGIT: '8', SESSION_SECERT: 'x', MAX_MESAGE_BYTES: '1' })).toEqual([
      'MAX_MESAGE_BYTES: unknown; did you mean MAX_MESSAGE_BYTES?',
      'REDACT_MIN_DIGIT: unknown; did you mean REDACT_MIN_DIGITS?',
      'SESSION_SECERT: unknown; did you mean SESSION_SECRET?',
    ]);
    expect(closestVariable('TRUST_PROXIES', CONFIG_VARIABLES)).toBe('TRUST_PROXY');
    expect(closestVariable('widget_token', CONFIG_VARIABLES)).toBe('WIDGET_TOKEN');
  });

  it('come with every other problem at once, and never show their values', () => {
    const problems = problemsOf({ VENDOR_KND: 'hemmelig-verdi', PORT: 'x' });
    expect(problems).toEqual(['PORT: must be a whole number from 0 to 65535 (got "x")', 'VENDOR_KND: unknown; did you mean VENDOR_KIND?']);
  });

  it('leave alone what has none of the prefixes, and every known variable', () => {
    expect(findUnknownVariables({ PATH: '/bin', NODE_OPTIONS: '--x', VENDORS: 'a', MAXIMUM: '1', HTTPS_PROXY: 'http://p:1' }, CONFIG_VARIABLES)).toEqual([]);
    const known = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, 'x']));
    expect(findUnknownVariables(known, CONFIG_VARIABLES)).toEqual([]);
    for (const prefix of VARIABLE_PREFIXES) expect(findUnknownVariables({ [`${prefix}NOPE`]: '1' }, CONFIG_VARIABLES)).toHaveLength(1);
  });
});

describe('NODE_ENV=production', () => {
  it('refuses to start the demo bot, with one line', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'VENDOR_URL: must be set when NODE_ENV is production (without it the built-in demo bot would answer customers)',
    ]);
    expect(() => loadConfig({ NODE_ENV: 'production', VENDOR_URL: 'https://bot.example.no/chat' })).not.toThrow();
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    // A kind with a documented default endpoint runs no demo bot.
    expect(() => loadConfig({ NODE_ENV: 'production', VENDOR_KIND: 'openai', VENDOR_MODEL: 'gpt-4o-mini' })).not.toThrow();
  });

  it('refuses several processes without a shared SESSION_SECRET', () => {
    const env = { NODE_ENV: 'production', VENDOR_URL: 'https://bot.example.no/chat' };
    for (const workers of ['2', 'auto']) expect(problemsOf({ ...env, WORKERS: workers })).toEqual([expect.stringMatching(/^SESSION_SECRET: must be set when NODE_ENV is production and WORKERS is not 1/)]);
    expect(() => loadConfig({ ...env, WORKERS: '2', SESSION_SECRET: 's'.repeat(32) })).not.toThrow();
  });
});
