import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  ConfigError,
  DEFAULT_PRIVACY_NOTICE,
  DEFAULT_PRIVACY_NOTICE_EN,
  DEFAULT_PRIVACY_NOTICE_NB,
  SECRET_VARIABLES,
  loadConfig,
} from '../../src/config/load-config.js';
import { defaultPolicy, redact } from '../../src/redact/index.js';
import { codeIn, readmeTable } from '../support/readme.js';

/** The problem lines `env` is rejected with. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

/** The one problem line `env` is rejected with. */
function problemOf(env: Record<string, string>): string {
  const problems = problemsOf(env);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe('loadConfig defaults', () => {
  it('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      http: { port: 8080, host: '0.0.0.0', metricsToken: undefined, embedOrigins: [], trustProxy: undefined },
      redactApi: { enabled: true, token: undefined, ratePerMinute: 600, maxBodyBytes: 1_048_576, maxStreamBytes: 1_073_741_824 },
      vendor: { kind: 'demo' },
      chat: {
        privacyNotice: DEFAULT_PRIVACY_NOTICE,
        privacyNotices: { en: DEFAULT_PRIVACY_NOTICE_EN, nb: DEFAULT_PRIVACY_NOTICE_NB },
        limits: { maxReplyBytes: 1_048_576, maxMessageBytes: 16_384, rateLimitPerMinute: 60, maxConnections: 10_000 },
        allowedOrigins: [],
        widgetToken: undefined,
        acrossMessages: true,
      },
      policy: { minDigits: 7, maxGap: 3, replacement: '', allow: [], keepTimestamps: false, keep: [] },
      log: { level: 'info' },
      serve: { workers: 1, shutdownTimeoutMs: 10_000 },
      native: { enabled: false, token: undefined },
      session: { secrets: [], ttlSeconds: 1_800 },
    });
    // The settings of a vendor that is not configured are not there to be read: the demo bot needs none.
    expect(loadConfig({ VENDOR_TIMEOUT_MS: '10000', VENDOR_HISTORY_MESSAGES: '20' })).toEqual(config);
    expect(config.policy).toEqual(defaultPolicy);
  });

  it('the default notice speaks English and Norwegian and names the rule', () => {
    expect(DEFAULT_PRIVACY_NOTICE).toMatch(/seven or more digits/);
    expect(DEFAULT_PRIVACY_NOTICE).toMatch(/sju eller flere sifre/);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', port: 'abc' }).http.port).toBe(8080);
  });

  it('reads TRUST_PROXY as a number of proxies or their addresses, and refuses anything else', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: '0' }).http.trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.1.2.3' }).http.trustProxy).toEqual({ addresses: ['loopback', '10.1.2.3'] });
    expect(problemOf({ TRUST_PROXY: 'true' })).toMatch(/^TRUST_PROXY: must be how many reverse proxies .*; not an address: "true"$/);
    expect(problemOf({ TRUST_PROXY: '10.0.0.0/8,999.1.1.1' })).toMatch(/not an address: "999\.1\.1\.1"$/);
    expect(problemOf({ TRUST_PROXY: '17' })).toMatch(/^TRUST_PROXY: must be how many reverse proxies are in front \(0–16\)/);
  });

  it('freezes the result, its sections, its origins and its policy', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://chat.example.no' });
    expect(Object.isFrozen(config)).toBe(true);
    for (const section of Object.values(config)) expect(Object.isFrozen(section)).toBe(true);
    expect(Object.isFrozen(config.chat.limits)).toBe(true);
    expect(Object.isFrozen(config.chat.allowedOrigins)).toBe(true);
    expect(Object.isFrozen(config.policy)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => (config.chat.allowedOrigins as string[]).push('https://evil.example')).toThrow(TypeError);
  });
});

describe('loadConfig values', () => {
  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      VENDOR_URL: 'https://bot.example.com/v1/chat',
      VENDOR_TOKEN: 'vendor-secret',
      VENDOR_TIMEOUT_MS: '2500',
      VENDOR_KIND: 'OpenAI',
      VENDOR_MODEL: 'llama3.2:latest',
      VENDOR_SYSTEM_PROMPT: 'You are the help desk of an example bank.',
      VENDOR_HISTORY_MESSAGES: '8',
      MAX_REPLY_BYTES: '65536',
      REDACT_MIN_DIGITS: '8',
      REDACT_MAX_GAP: '0',
      REDACT_REPLACEMENT: '[fjernet]',
      REDACT_ALLOW: '+47 21 49 60 00, 7694.05.20300',
      REDACT_KEEP: 'org_numbers, amounts',
      REDACT_ACROSS_MESSAGES: 'OFF',
      MAX_MESSAGE_BYTES: '4096',
      RATE_LIMIT_PER_MINUTE: '10',
      MAX_CONNECTIONS: '500',
      ALLOWED_ORIGINS: 'https://chat.example.no',
      WIDGET_TOKEN: 'widget-secret',
      METRICS_TOKEN: 'metrics-secret',
      PRIVACY_NOTICE: '  Hei!  ',
      PRIVACY_NOTICE_EN: 'Hello!',
      LOG_LEVEL: 'debug',
      WORKERS: '4',
      SHUTDOWN_TIMEOUT_MS: '0',
      SESSION_SECRET: `${'n'.repeat(32)}, ${'o'.repeat(40)}`,
      SESSION_TTL_SECONDS: '600',
      EMBED_ORIGINS: 'https://www.example.no',
      TRUST_PROXY: '10.0.0.0/8, fd00::/8',
      REDACT_API: 'OFF',
      REDACT_API_TOKEN: 'redact-secret',
      REDACT_API_RATE_PER_MINUTE: '30',
      MAX_REDACT_BYTES: '2048',
      MAX_STREAM_BYTES: '1048576',
    });
    expect(config).toEqual({
      http: {
        port: 0,
        host: '127.0.0.1',
        metricsToken: 'metrics-secret',
        embedOrigins: ['https://www.example.no'],
        trustProxy: { addresses: ['10.0.0.0/8', 'fd00::/8'] },
      },
      redactApi: { enabled: false, token: 'redact-secret', ratePerMinute: 30, maxBodyBytes: 2048, maxStreamBytes: 1_048_576 },
      vendor: {
        kind: 'openai',
        url: 'https://bot.example.com/v1/chat',
        token: 'vendor-secret',
        timeoutMs: 2500,
        model: 'llama3.2:latest',
        systemPrompt: 'You are the help desk of an example bank.',
        historyMessages: 8,
      },
      chat: {
        privacyNotice: 'Hei!',
        privacyNotices: { en: 'Hello!', nb: 'Hei!' },
        limits: { maxReplyBytes: 65_536, maxMessageBytes: 4096, rateLimitPerMinute: 10, maxConnections: 500 },
        allowedOrigins: ['https://chat.example.no'],
        widgetToken: 'widget-secret',
        acrossMessages: false,
      },
      policy: { minDigits: 8, maxGap: 0, replacement: '[fjernet]', allow: ['4721496000', '76940520300'], keepTimestamps: false, keep: ['amounts', 'org_numbers'] },
      log: { level: 'debug' },
      serve: { workers: 4, shutdownTimeoutMs: 0 },
      native: { enabled: false, token: undefined },
      session: { secrets: ['n'.repeat(32), 'o'.repeat(40)], ttlSeconds: 600 },
    });
  });

  it('accepts numbers with surrounding white space and the ends of each range', () => {
    expect(loadConfig({ PORT: ' 8081 ' }).http.port).toBe(8081);
    expect(loadConfig({ PORT: '65535' }).http.port).toBe(65535);
    expect(loadConfig({ REDACT_MIN_DIGITS: '2', REDACT_MAX_GAP: '8' }).policy).toEqual({
      minDigits: 2,
      maxGap: 8,
      replacement: '',
      allow: [],
      keepTimestamps: false,
      keep: [],
    });
    expect(loadConfig({ REDACT_MIN_DIGITS: '64' }).policy.minDigits).toBe(64);
  });

  it('keeps a replacement exactly as given, white space included', () => {
    expect(loadConfig({ REDACT_REPLACEMENT: ' * ' }).policy.replacement).toBe(' * ');
    expect(loadConfig({ REDACT_REPLACEMENT: '' }).policy.replacement).toBe('');
  });

  it('takes REDACT_KEEP as comma-separated kept classes, and names what is no class', () => {
    expect(loadConfig({ REDACT_KEEP: ' future_dates,amounts ' }).policy.keep).toEqual(['amounts', 'future_dates']);
    expect(loadConfig({ REDACT_KEEP: '' }).policy.keep).toEqual([]);
    expect(() => loadConfig({ REDACT_KEEP: 'amounts,phones' })).toThrow('REDACT_KEEP: "phones" is no kept class: amounts, future_dates, org_numbers');
  });

  it('takes REDACT_ALLOW as comma-separated public numbers, written any way, and keeps them', () => {
    const { policy } = loadConfig({ REDACT_ALLOW: ' +47 21 49 60 00 ,21 49 60 00,, 7694.05.20300 ' });
    expect(policy.allow).toEqual(['4721496000', '21496000', '76940520300']);
    expect(redact('Kontonummer: 7694.05.20300, tlf +47 21 49 60 00, fnr 010190 12345', policy)).toMatchObject({
      text: 'Kontonummer: 7694.05.20300, tlf +47 21 49 60 00, fnr ',
      allowed: 2,
    });
    expect(loadConfig({ REDACT_ALLOW: '' }).policy.allow).toEqual([]);
    expect(loadConfig({}).policy.allow).toEqual([]);
  });

  it('takes WORKERS as auto or a count', () => {
    expect(loadConfig({ WORKERS: 'auto' }).serve.workers).toBe('auto');
    expect(loadConfig({ WORKERS: ' AUTO ' }).serve.workers).toBe('auto');
    expect(loadConfig({ WORKERS: '1' }).serve.workers).toBe(1);
    expect(loadConfig({ WORKERS: '64' }).serve.workers).toBe(64);
  });

  it('takes LOG_LEVEL in any case', () => {
    expect(loadConfig({ LOG_LEVEL: 'WARN' }).log.level).toBe('warn');
    expect(loadConfig({ LOG_LEVEL: 'silent' }).log.level).toBe('silent');
  });
});

describe('ALLOWED_ORIGINS', () => {
  const originsOf = (value: string) => loadConfig({ ALLOWED_ORIGINS: value }).chat.allowedOrigins;

  it('splits on commas, trims, and skips empty entries', () => {
    expect(originsOf('https://chat.example.no, http://localhost:8080 ,,')).toEqual([
      'https://chat.example.no',
      'http://localhost:8080',
    ]);
    expect(originsOf('')).toEqual([]);
    expect(originsOf(' , ')).toEqual([]);
  });

  it('stores each origin as a browser sends it', () => {
    expect(originsOf('https://Chat.Example.NO/')).toEqual(['https://chat.example.no']);
    expect(originsOf('https://chat.example.no:443,http://chat.example.no:80')).toEqual([
      'https://chat.example.no',
      'http://chat.example.no',
    ]);
    expect(originsOf('https://chat.example.no,https://chat.example.no/')).toEqual(['https://chat.example.no']);
    expect(originsOf('http://[::1]:8080')).toEqual(['http://[::1]:8080']);
  });

  it('names every entry that is not an origin, and nothing else', () => {
    const line = problemOf({
      ALLOWED_ORIGINS: 'https://ok.example.no,https://chat.example.no/path,ftp://files.example.no,*,https://ok2.example.no',
    });
    expect(line).toBe(
      'ALLOWED_ORIGINS: must be a comma-separated list of origins like https://chat.example.no (or https://*.example.no for its subdomains); ' +
        'not an origin: "https://chat.example.no/path", "ftp://files.example.no", "*"',
    );
    expect(line).not.toMatch(/ok2?\.example/);
  });

  it.each([
    'chat.example.no',
    'https://chat.example.no?x=1',
    'https://chat.example.no?',
    'https://chat.example.no#top',
    'https://user@chat.example.no',
    'null',
    'file:///etc/passwd',
  ])('rejects %s', (value) => {
    expect(problemOf({ ALLOWED_ORIGINS: value })).toMatch(/^ALLOWED_ORIGINS: must be a comma-separated list/);
  });

  it('never shows credentials an entry carries', () => {
    const line = problemOf({ ALLOWED_ORIGINS: 'https://admin:hunter2@chat.example.no/?key=abc' });
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('admin');
    expect(line).not.toContain('abc');
  });
});

describe('EMBED_ORIGINS', () => {
  const embeddersOf = (value?: string) => loadConfig(value === undefined ? {} : { EMBED_ORIGINS: value }).http.embedOrigins;

  it('is empty by default (only the gateway frames its chat), and read like ALLOWED_ORIGINS', () => {
    expect(embeddersOf()).toEqual([]);
    expect(embeddersOf('https://Www.Example.NO/, https://shop.example.no:443 ,,http://localhost:3000')).toEqual([
      'https://www.example.no',
      'https://shop.example.no',
      'http://localhost:3000',
    ]);
    expect(loadConfig({ EMBED_ORIGINS: 'https://www.example.no' }).chat.allowedOrigins).toEqual([]);
  });

  it('names every entry that is not an origin, in its own line', () => {
    const problems = (() => {
      try {
        loadConfig({ EMBED_ORIGINS: "https://ok.example.no,*,https://shop.example.no/kasse,'self'", ALLOWED_ORIGINS: 'ftp://x.example.no' });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toContain(
      'EMBED_ORIGINS: must be a comma-separated list of origins like https://chat.example.no (or https://*.example.no for its subdomains); ' +
        `not an origin: "*", "https://shop.example.no/kasse", "'self'"`,
    );
    expect(problems.some((line) => line.startsWith('ALLOWED_ORIGINS: '))).toBe(true);
  });
});

describe('loadConfig problems', () => {
  it.each([
    ['PORT', 'abc', 'PORT: must be a whole number from 0 to 65535 (got "abc")'],
    ['PORT', '-1', 'PORT: must be a whole number from 0 to 65535 (got "-1")'],
    ['PORT', '65536', 'PORT: must be a whole number from 0 to 65535 (got "65536")'],
    ['PORT', '80.5', 'PORT: must be a whole number from 0 to 65535 (got "80.5")'],
    ['PORT', '0x50', 'PORT: must be a whole number from 0 to 65535 (got "0x50")'],
    ['PORT', '', 'PORT: must be a whole number from 0 to 65535 (got "")'],
    ['PORT', '99999999999999999999', 'PORT: must be a whole number from 0 to 65535 (got "99999999999999999999")'],
    ['HOST', '  ', 'HOST: must not be empty (got "  ")'],
    ['VENDOR_URL', 'ftp://bot.example.com', 'VENDOR_URL: must be an http:// or https:// URL (got "ftp://bot.example.com")'],
    ['VENDOR_URL', 'not a url', 'VENDOR_URL: must be an http:// or https:// URL (got "not a url")'],
    ['VENDOR_TIMEOUT_MS', '99', 'VENDOR_TIMEOUT_MS: must be a whole number from 100 to 600000 (got "99")'],
    ['REDACT_MIN_DIGITS', '1', 'REDACT_MIN_DIGITS: must be a whole number from 2 to 64 (got "1")'],
    ['REDACT_MIN_DIGITS', '65', 'REDACT_MIN_DIGITS: must be a whole number from 2 to 64 (got "65")'],
    ['REDACT_MIN_DIGITS', '5000', 'REDACT_MIN_DIGITS: must be a whole number from 2 to 64 (got "5000")'],
    ['REDACT_MAX_GAP', '9', 'REDACT_MAX_GAP: must be a whole number from 0 to 8 (got "9")'],
    [
      'REDACT_REPLACEMENT',
      '[removed 1]',
      'REDACT_REPLACEMENT: must not contain a digit (it would be redacted again) (got "[removed 1]")',
    ],
    ['REDACT_REPLACEMENT', '٣', 'REDACT_REPLACEMENT: must not contain a digit (it would be redacted again) (got "٣")'],
    ['REDACT_REPLACEMENT', 'x'.repeat(65), `REDACT_REPLACEMENT: must be at most 64 characters (got "${'x'.repeat(40)}…")`],
    ['MAX_MESSAGE_BYTES', '511', 'MAX_MESSAGE_BYTES: must be a whole number from 512 to 1048576 (got "511")'],
    ['RATE_LIMIT_PER_MINUTE', '0', 'RATE_LIMIT_PER_MINUTE: must be a whole number from 1 to 100000 (got "0")'],
    ['MAX_CONNECTIONS', '0', 'MAX_CONNECTIONS: must be a whole number from 1 to 1000000 (got "0")'],
    ['PRIVACY_NOTICE', ' ', 'PRIVACY_NOTICE: must not be empty (got " ")'],
    ['PRIVACY_NOTICE', 'n'.repeat(2001), `PRIVACY_NOTICE: must be at most 2000 characters (got "${'n'.repeat(40)}…")`],
    [
      'LOG_LEVEL',
      'verbose',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ],
    ['WORKERS', '0', 'WORKERS: must be "auto" or a whole number from 1 to 64 (got "0")'],
    ['WORKERS', '65', 'WORKERS: must be "auto" or a whole number from 1 to 64 (got "65")'],
    ['WORKERS', 'many', 'WORKERS: must be "auto" or a whole number from 1 to 64 (got "many")'],
    ['SHUTDOWN_TIMEOUT_MS', '600001', 'SHUTDOWN_TIMEOUT_MS: must be a whole number from 0 to 600000 (got "600001")'],
    [
      'REDACT_ALLOW',
      '21 49 60 00, kundeservice',
      'REDACT_ALLOW: "kundeservice" is not a number: only digits, spaces, . , - / + ( ) may be written',
    ],
    [
      'REDACT_ALLOW',
      '7, 7694.05.20300, 1e6',
      'REDACT_ALLOW: "7" has 1 digit; an allowed number has 2 to 64; "1e6" is not a number: only digits, spaces, . , - / + ( ) may be written',
    ],
    ['REDACT_ALLOW', '1'.repeat(65), `REDACT_ALLOW: "${'1'.repeat(40)}…" has 65 digits; an allowed number has 2 to 64`],
    ['REDACT_ALLOW', Array.from({ length: 1001 }, (_, k) => 1_000_000 + k).join(','), 'REDACT_ALLOW: must list at most 1000 numbers'],
  ])('%s=%j gives exactly one line naming it', (variable, value, expected) => {
    expect(problemsOf({ [variable]: value })).toEqual([expected]);
  });

  it('reports every bad variable at once, policy variables included, one line each', () => {
    const problems = problemsOf({
      PORT: 'abc',
      REDACT_MIN_DIGITS: '1',
      REDACT_MAX_GAP: 'x',
      REDACT_REPLACEMENT: '#1',
      LOG_LEVEL: 'loud',
      WORKERS: '0',
      VENDOR_TOKEN: 'has space',
    });
    expect(problems.map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      'PORT',
      'VENDOR_TOKEN',
      'REDACT_MIN_DIGITS',
      'REDACT_MAX_GAP',
      'REDACT_REPLACEMENT',
      'LOG_LEVEL',
      'WORKERS',
    ]);
  });

  it('puts the lines in the error message too, one per line', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', WORKERS: '0' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).name).toBe('ConfigError');
    expect((error as Error).message).toBe(
      'Invalid configuration:\n' +
        '  PORT: must be a whole number from 0 to 65535 (got "abc")\n' +
        '  WORKERS: must be "auto" or a whole number from 1 to 64 (got "0")',
    );
  });
});

describe('secrets', () => {
  const BAD_SECRETS = ['has space', 'tab\there', 'non-ascii-ø', '', 'line\nbreak'];

  it('lists the token variables as secret', () => {
    expect([...SECRET_VARIABLES].sort()).toEqual(['METRICS_TOKEN', 'NATIVE_TOKEN', 'REDACT_API_TOKEN', 'SESSION_SECRET', 'VENDOR_TOKEN', 'WIDGET_TOKEN']);
  });

  it.each(['VENDOR_TOKEN', 'WIDGET_TOKEN', 'METRICS_TOKEN', 'REDACT_API_TOKEN', 'NATIVE_TOKEN'])('%s: a bad value is named but never shown', (variable) => {
    for (const value of BAD_SECRETS) {
      const line = problemOf({ [variable]: value });
      expect(line).toBe(`${variable}: must be non-empty printable ASCII without spaces`);
    }
  });

  it('SESSION_SECRET: too short, or not printable, is named but never shown', () => {
    const expected =
      'SESSION_SECRET: must be a secret of at least 32 printable ASCII characters without spaces ' +
      '(while rotating: the new one, a comma, the old one)';
    for (const value of [...BAD_SECRETS, 's'.repeat(31), `${'s'.repeat(32)},short`, `${'s'.repeat(31)}ø`]) {
      expect(problemOf({ SESSION_SECRET: value })).toBe(expected);
    }
    expect(loadConfig({ SESSION_SECRET: 's'.repeat(32) }).session.secrets).toEqual(['s'.repeat(32)]);
  });

  it('no problem line or message ever contains a secret value (property)', () => {
    const secretValue = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
      .filter((s) => s.trim().length >= 4);
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_VARIABLES), secretValue, fc.constantFrom('PORT', 'WORKERS'), (variable, value, other) => {
        // A bad secret next to another bad variable: the value of neither secret may leak.
        const env = { [variable]: `${value} `, [other]: value };
        const problems = problemsOf(env);
        for (const line of problems.filter((p) => p.startsWith(variable))) expect(line).not.toContain(value);
        try {
          loadConfig(env);
        } catch (error) {
          const secretLines = (error as Error).message.split('\n').filter((l) => l.trim().startsWith(variable));
          expect(secretLines).toHaveLength(1);
          expect(secretLines[0]).not.toContain(value);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never shows credentials or a query a bad VENDOR_URL carries', () => {
    const line = problemOf({ VENDOR_URL: 'ftp://bot:hunter2@bot.example.com/chat?api_key=abc123' });
    expect(line).toBe('VENDOR_URL: must be an http:// or https:// URL (got "ftp://…@bot.example.com/chat?…")');
  });

  it('keeps a valid VENDOR_URL whole', () => {
    const url = 'https://bot.example.com:8443/v1/chat?tenant=x';
    expect(loadConfig({ VENDOR_URL: url }).vendor).toMatchObject({ kind: 'generic', url });
  });
});

describe('VENDOR_KIND', () => {
  it('takes a kind in any case; generic without VENDOR_URL is the demo bot', () => {
    expect(loadConfig({ VENDOR_KIND: ' Rasa ', VENDOR_URL: 'http://rasa:5005' }).vendor).toMatchObject({ kind: 'rasa', url: 'http://rasa:5005' });
    expect(loadConfig({ VENDOR_KIND: 'generic' }).vendor.kind).toBe('demo');
    expect(loadConfig({ VENDOR_URL: 'https://bot.example.com/chat' }).vendor.kind).toBe('generic');
  });

  it('names a kind that does not exist', () => {
    expect(problemOf({ VENDOR_KIND: 'watson' })).toBe('VENDOR_KIND: must be one of generic, boost, openai, directline, rasa (got "watson")');
  });

  it('needs the settings a kind cannot do without, one line each', () => {
    expect(problemOf({ VENDOR_KIND: 'boost' })).toBe("VENDOR_URL: must be set when VENDOR_KIND is boost (the bot's base URL, https://<tenant>.boost.ai)");
    expect(problemOf({ VENDOR_KIND: 'rasa' })).toMatch(/^VENDOR_URL: must be set when VENDOR_KIND is rasa /);
    expect(problemOf({ VENDOR_KIND: 'openai' })).toMatch(/^VENDOR_MODEL: must be set when VENDOR_KIND is openai /);
    expect(problemOf({ VENDOR_KIND: 'directline' })).toBe("VENDOR_TOKEN: must be set when VENDOR_KIND is directline (the Direct Line channel's secret)");
  });

  it('reports them together with every other bad variable', () => {
    expect(problemsOf({ VENDOR_KIND: 'openai', PORT: 'x', VENDOR_MODEL: 'has space' })).toEqual([
      'PORT: must be a whole number from 0 to 65535 (got "x")',
      'VENDOR_MODEL: must be a model name: printable ASCII without spaces (got "has space")',
    ]);
    expect(problemsOf({ VENDOR_KIND: 'directline', PORT: 'x' })).toEqual([
      'PORT: must be a whole number from 0 to 65535 (got "x")',
      "VENDOR_TOKEN: must be set when VENDOR_KIND is directline (the Direct Line channel's secret)",
    ]);
  });

  it('uses the public service of openai and directline when VENDOR_URL is not set', () => {
    expect(loadConfig({ VENDOR_KIND: 'openai', VENDOR_MODEL: 'gpt-4o-mini' }).vendor).toMatchObject({ kind: 'openai', url: 'https://api.openai.com/v1' });
    expect(loadConfig({ VENDOR_KIND: 'directline', VENDOR_TOKEN: 'dl-secret' }).vendor).toMatchObject({
      kind: 'directline',
      url: 'https://directline.botframework.com',
    });
  });

  it('refuses control characters in the system prompt', () => {
    expect(problemOf({ VENDOR_SYSTEM_PROMPT: 'be nice\u0007' })).toMatch(/^VENDOR_SYSTEM_PROMPT: must not contain control characters/);
    expect(loadConfig({ VENDOR_KIND: 'openai', VENDOR_MODEL: 'm', VENDOR_SYSTEM_PROMPT: 'line one\nline two' }).vendor).toMatchObject({ systemPrompt: 'line one\nline two' });
  });
});

describe('the native API', () => {
  it('is off by default, and on with its token for a kind that has one', () => {
    const config = loadConfig({ VENDOR_KIND: 'openai', VENDOR_MODEL: 'gpt-4o-mini', NATIVE_API: 'ON', NATIVE_TOKEN: 'browser-token' });
    expect(config.native).toEqual({ enabled: true, token: 'browser-token' });
    expect(loadConfig({ VENDOR_KIND: 'rasa', VENDOR_URL: 'http://rasa:5005', NATIVE_API: 'off' }).native.enabled).toBe(false);
  });

  it('is refused, on one line, for a kind whose API is not served', () => {
    expect(problemOf({ NATIVE_API: 'on' })).toBe('NATIVE_API: can be on only when VENDOR_KIND is one of directline, openai, rasa, boost (got "on")');
    expect(problemOf({ NATIVE_API: 'yes' })).toBe('NATIVE_API: must be one of on, off (got "yes")');
  });
});

describe('CONFIG_VARIABLES', () => {
  it('lists every variable the schema reads, each with an effect on the result', () => {
    expect(CONFIG_VARIABLES).toEqual([
      'PORT',
      'HOST',
      'TRUST_PROXY',
      'REDACT_API',
      'REDACT_API_TOKEN',
      'REDACT_API_RATE_PER_MINUTE',
      'MAX_REDACT_BYTES',
      'MAX_STREAM_BYTES',
      'VENDOR_URL',
      'VENDOR_TOKEN',
      'VENDOR_TIMEOUT_MS',
      'VENDOR_KIND',
      'VENDOR_MODEL',
      'VENDOR_SYSTEM_PROMPT',
      'VENDOR_HISTORY_MESSAGES',
      'MAX_REPLY_BYTES',
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'NO_PROXY',
      'REDACT_MIN_DIGITS',
      'REDACT_MAX_GAP',
      'REDACT_REPLACEMENT',
      'REDACT_ALLOW',
      'REDACT_KEEP',
      'REDACT_ACROSS_MESSAGES',
      'MAX_MESSAGE_BYTES',
      'RATE_LIMIT_PER_MINUTE',
      'MAX_CONNECTIONS',
      'ALLOWED_ORIGINS',
      'WIDGET_TOKEN',
      'METRICS_TOKEN',
      'PRIVACY_NOTICE',
      'PRIVACY_NOTICE_EN',
      'PRIVACY_NOTICE_NB',
      'LOG_LEVEL',
      'WORKERS',
      'SHUTDOWN_TIMEOUT_MS',
      'SESSION_SECRET',
      'SESSION_TTL_SECONDS',
      'EMBED_ORIGINS',
      'NODE_ENV',
      'NATIVE_API',
      'NATIVE_TOKEN',
    ]);
    // Each listed variable is really read: a nonsense value is rejected with a line naming it.
    for (const variable of CONFIG_VARIABLES) {
      const nonsense = variable === 'REDACT_REPLACEMENT' ? '7' : variable.endsWith('TOKEN') ? ' ' : '\u0000 ?';
      if (variable === 'HOST' || variable.startsWith('PRIVACY_NOTICE')) {
        expect(problemOf({ [variable]: ' ' })).toMatch(new RegExp(`^${variable}: `));
        continue;
      }
      expect(problemOf({ [variable]: nonsense })).toMatch(new RegExp(`^${variable}: `));
    }
  });
});

describe('README configuration table', () => {
  const rows = readmeTable('Configuration');
  const documented = rows.map((cells) => codeIn(cells[0] ?? ''));

  it('documents every variable the schema reads, and no other', () => {
    expect(documented.every((name) => name !== undefined)).toBe(true);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('each documented literal default is the real default', () => {
    const defaults = loadConfig({});
    let checked = 0;
    for (const [name = '', shown = '', meaning = ''] of rows) {
      expect(meaning.length, name).toBeGreaterThan(10);
      const literal = /^`([^`]*)`$/.exec(shown)?.[1];
      if (literal === undefined) continue;
      const value = literal === '""' ? '' : literal;
      expect(loadConfig({ [codeIn(name)!]: value }), `${name} = ${shown}`).toEqual(defaults);
      checked++;
    }
    expect(checked).toBe(22);
  });

  it('marks the token variables as unset by default', () => {
    for (const variable of SECRET_VARIABLES) {
      const row = rows.find((cells) => codeIn(cells[0] ?? '') === variable);
      expect(row?.[1]).toBe('unset');
    }
  });
});
