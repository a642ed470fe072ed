import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CENSOR, IP_FIELD, createLogger, type Scrub } from '../../src/observability/logger.js';
import { redact } from '../../src/redact/index.js';
import { chatText, formattedNumber } from '../support/arbitraries.js';
import { withTempDir } from '../support/temp-dir.js';
import { countLeaks } from '../support/leak-judge.js';
import { exitOf, killLeftoverChildren, startAndWaitForUrl } from '../support/serve-process.js';

const scrub: Scrub = (text) => redact(text).text;

type Line = Record<string, unknown>;

/** A logger writing into memory; pino writes synchronously, so lines are there at once. */
function capture(level = 'info', scrubber: Scrub = scrub) {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level, scrub: scrubber, destination });
  const lines = (): Line[] => raw.map((line) => JSON.parse(line) as Line);
  const last = (): Line => {
    const all = lines();
    expect(all.length).toBeGreaterThan(0);
    return all.at(-1)!;
  };
  return { logger, raw, lines, last };
}

describe('createLogger: what is scrubbed', () => {
  it('scrubs the message', () => {
    const { logger, last } = capture();
    logger.info('fnr 010190 12345');
    expect(last().msg).toBe('fnr ');
  });

  it.each([
    ['a %s string argument', ['x %s', '98765432'], 'x '],
    ['a %d number argument', ['x %d', 98765432], 'x '],
    ['an %o object argument', ['x %o', { a: '98765432' }], 'x {"a":""}'],
    ['a %j object argument', ['x %j', { a: 98765432 }], 'x {"a":}'],
    ['digits split over two arguments', ['%s%s', '1234', '5678'], ''],
    ['digits split between format and argument', ['tlf 1234%s', '5678'], 'tlf '],
    ['digits split across separators', ['%s %s-%s', '12', '345', '678'], ''],
  ])('scrubs the message after printf interpolation: %s', (_, args, expected) => {
    const { logger, last } = capture();
    (logger.info as (...a: unknown[]) => void)(...args);
    expect(last().msg).toBe(expected);
  });

  it('scrubs fields at every depth, in arrays and in keys', () => {
    const { logger, last } = capture();
    logger.info(
      {
        note: 'ring 98 76 54 32',
        a: { b: { c: { d: 'konto 7694.05.20300', e: ['fnr 01019012345', { f: 'x ٩١٢٣٤٥٦٧' }] } } },
        '98765432': 'key',
        'id 12345678': 'key with a number',
      },
      'fields',
    );
    const line = last();
    expect(line.note).toBe('ring ');
    expect(line.a).toEqual({ b: { c: { d: 'konto ', e: ['fnr ', { f: 'x ' }] } } });
    expect(line['']).toBe('key');
    expect(line['id ']).toBe('key with a number');
    expect(JSON.stringify(line)).not.toMatch(/98765432|12345678/);
  });

  it('scrubs an error logged alone: message, stack, and pino’s msg taken from it', () => {
    const { logger, raw, last } = capture();
    logger.error(new TypeError('lookup failed for 010190 12345'));
    const line = last();
    expect(line.msg).toBe('lookup failed for ');
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'lookup failed for ' });
    expect((line.err as Line).stack).toMatch(/^TypeError: lookup failed for \n {4}at /);
    expect(raw.join('')).not.toMatch(/010190|12345/);
  });

  it('scrubs {err} with no message, causes, and extra error properties', () => {
    const { logger, raw, last } = capture();
    const cause = new RangeError('inner 98765432');
    const error = Object.assign(new Error('outer 7694.05.20300', { cause }), { account: '7694 05 20300', status: 502 });
    logger.error({ err: error });
    const line = last();
    expect(line.msg).toBe('outer '); // pino takes the message from the raw error, without causes
    const err = line.err as Line;
    expect(err.type).toBe('Error');
    expect(err.message).toBe('outer : inner ');
    expect(err.account).toBe('');
    expect(err.status).toBe(502);
    expect(err.stack).toMatch(/^Error: outer \n[^]*\ncaused by: RangeError: inner \n/);
    expect(raw.join('')).not.toMatch(/98765432|7694|20300/);
  });

  it('scrubs aggregate errors', () => {
    const { logger, raw, last } = capture();
    logger.error({ err: new AggregateError([new Error('a 12345678'), new Error('b 87654321')], 'both 11223344') }, 'x');
    const err = last().err as { aggregateErrors: Line[]; message: string };
    expect(err.message).toBe('both ');
    expect(err.aggregateErrors.map((e) => e.message)).toEqual(['a ', 'b ']);
    expect(raw.join('')).not.toMatch(/12345678|87654321|11223344/);
  });

  it('scrubs child bindings, nested children and their messages', () => {
    const { logger, raw, last } = capture();
    const child = logger.child({ conversation: 'kunde 98765432', token: 'abc' });
    const grandchild = child.child({ case: 'sak 1234-5678' });
    grandchild.warn({ extra: '1 2 3 4 5 6 7' }, 'tlf %s', '22 33 44 55');
    const line = last();
    expect(line).toMatchObject({ conversation: 'kunde ', token: CENSOR, case: 'sak ', extra: '', msg: 'tlf ', level: 40 });
    expect(raw.join('')).not.toMatch(/98765432|1234-5678|22 33/);
  });

  it('leaves time, pid and hostname as pino wrote them, and numbers as they are unless they read as a number combination', () => {
    const { logger, last } = capture();
    const before = Date.now();
    logger.info({ bytes: 65_536, ok: true, none: null, big: 1_048_576, durationMs: 10516.04, small: 123.45 }, 'own fields');
    const line = last();
    expect(line.time).toBeGreaterThanOrEqual(before);
    expect(line.time).toBeLessThanOrEqual(Date.now());
    expect(line.pid).toBe(process.pid);
    expect(line.hostname).toBe(hostname());
    expect(line.level).toBe(30);
    // Numbers are the service's own counts and sizes; they pass (see scrubValue), but one that
    // is written as seven digits or more is written null, as `redact --json` writes it.
    expect(line).toMatchObject({ bytes: 65_536, ok: true, none: null, big: null, durationMs: null, small: 123.45 });
  });

  it('exempts only pino’s own values: a field that merely shares the name is scrubbed', () => {
    const { logger, last } = capture();
    logger.info({ hostname: 'host 98765432', pid: 'pid 12345678' }, 'impostors');
    const line = last();
    expect(line.hostname).toBe('host ');
    expect(line.pid).toBe('pid ');
  });
});

describe('createLogger: secrets, addresses, URLs', () => {
  it.each([
    [{ token: 'abc' }, { token: CENSOR }],
    [{ authorization: 'Bearer abc' }, { authorization: CENSOR }],
    [{ cookie: 'sid=abc' }, { cookie: CENSOR }],
    [{ headers: { authorization: 'Bearer abc', Cookie: 'x', 'set-cookie': ['a'], host: 'h' } }, {
      headers: { authorization: CENSOR, Cookie: CENSOR, 'set-cookie': CENSOR, host: 'h' },
    }],
    [{ headers: { 'sec-websocket-protocol': 'chat, tok_abc' } }, { headers: { 'sec-websocket-protocol': CENSOR } }],
    [{ req: { headers: { Authorization: 'Basic abc' } } }, { req: { headers: { Authorization: CENSOR } } }],
    [{ a: { b: { c: { token: 'deep' } } } }, { a: { b: { c: { token: CENSOR } } } }],
    [{ config: { vendorToken: 'v', widgetToken: 'w', apiKey: 'k', 'x-api-key': 'k', password: 'p' } }, {
      config: { vendorToken: CENSOR, widgetToken: CENSOR, apiKey: CENSOR, 'x-api-key': CENSOR, password: CENSOR },
    }],
    [{ tokens: 42, maxTokens: 100 }, { tokens: 42, maxTokens: 100 }],
  ])('censors secrets by field name at any depth: %j', (fields, expected) => {
    const { logger, raw, last } = capture();
    logger.info(fields, 'secrets');
    expect(last()).toMatchObject(expected);
    expect(raw.join('')).not.toMatch(/abc|deep|"[vwkp]"/);
  });

  it('censors a secret child binding', () => {
    const { logger, raw, last } = capture();
    logger.child({ authorization: 'Bearer abc' }).info('x');
    expect(last().authorization).toBe(CENSOR);
    expect(raw.join('')).not.toContain('abc');
  });

  it('anonymises client addresses by field name, so they stay useful and stay anonymous', () => {
    const { logger, last } = capture();
    logger.info(
      {
        ip: '203.0.113.45',
        clientIp: '::ffff:198.51.100.7',
        remoteAddress: '2001:db8:abcd:12::1',
        headers: { 'x-forwarded-for': '203.0.113.45, 10.1.2.3', 'x-real-ip': 'garbage 12345678' },
        nested: { ip: 1234 },
      },
      'addresses',
    );
    expect(last()).toMatchObject({
      ip: '203.0.x.x',
      clientIp: '198.51.x.x',
      remoteAddress: '2001:db8:abcd:x',
      headers: { 'x-forwarded-for': '203.0.x.x, 10.1.x.x', 'x-real-ip': 'unknown' },
      nested: { ip: 'unknown' },
    });
    expect(IP_FIELD.test('ip')).toBe(true);
  });

  it('cuts query strings and fragments from URL fields', () => {
    const { logger, raw, last } = capture();
    logger.info({ url: '/chat?token=abc&x=1#frag', req: { originalUrl: '/v1/redact?a=b' }, href: 'https://x.example/y?q' }, 'u');
    expect(last()).toMatchObject({ url: '/chat', req: { originalUrl: '/v1/redact' }, href: 'https://x.example/y' });
    expect(raw.join('')).not.toMatch(/token=|frag|a=b/);
  });

  it('handles a raw http request the way pino maps it: no query, no credentials, no full address', () => {
    const { logger, raw, last } = capture();
    const request = {
      method: 'GET',
      url: '/chat?token=abc&fnr=01019012345',
      headers: { authorization: 'Bearer abc', host: 'chat.example.no' },
      socket: { remoteAddress: '203.0.113.45', remotePort: 50_123 },
    };
    logger.info(request, 'upgrade');
    expect(last().req).toMatchObject({
      method: 'GET',
      url: '/chat',
      headers: { authorization: CENSOR, host: 'chat.example.no' },
      remoteAddress: '203.0.x.x',
    });
    expect(raw.join('')).not.toMatch(/abc|01019012345|203\.0\.113\.45/);
  });
});

describe('createLogger: levels and destinations', () => {
  it('writes the configured level and above, with pino’s level numbers', () => {
    const { logger, lines } = capture('warn');
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(lines().map((line) => [line.level, line.msg])).toEqual([
      [40, 'w'],
      [50, 'e'],
      [60, 'f'],
    ]);
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.isLevelEnabled('warn')).toBe(true);
  });

  it('trace writes everything; silent writes nothing; children inherit the level', () => {
    const trace = capture('trace');
    trace.logger.trace('t');
    trace.logger.child({ a: 1 }).debug('d');
    expect(trace.lines().map((line) => line.level)).toEqual([10, 20]);

    const silent = capture('silent');
    silent.logger.fatal('f');
    silent.logger.child({ a: 1 }).error('e');
    expect(silent.raw).toEqual([]);
  });

  it('a level raised at run time takes effect', () => {
    const { logger, lines } = capture('info');
    logger.debug('before');
    logger.level = 'debug';
    logger.debug('after');
    expect(lines().map((line) => line.msg)).toEqual(['after']);
  });

  it('rejects an unknown level', () => {
    expect(() => capture('verbose')).toThrow(/level:verbose/);
  });

  it('writes one JSON object per line', () => {
    const { logger, raw } = capture();
    logger.info('a\nb 1234567');
    logger.info({ x: 'y\u2028z' }, 'c');
    expect(raw).toHaveLength(2);
    for (const line of raw) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
    }
    expect(JSON.parse(raw[0]!).msg).toBe('a\nb ');
  });

  it('scrubs through a real pino.destination file too', async () => {
    await withTempDir('chat-redact-log-', (dir) => {
      const file = join(dir, 'out.log');
      const destination = pino.destination({ dest: file, sync: true });
      const logger = createLogger({ level: 'info', scrub, destination });
      logger.info({ phone: '+47 98 76 54 32' }, 'fnr %s', '010190 12345');
      destination.flushSync();
      const [line, ...rest] = readFileSync(file, 'utf8').split('\n');
      expect(rest).toEqual(['']);
      expect(JSON.parse(line!)).toMatchObject({ phone: '+', msg: 'fnr ' });
      destination.end();
    });
  });

  it('fails closed: a line that cannot be scrubbed is withheld, level and time kept', () => {
    const failing: Scrub = (text) => {
      if (/\d{7}/.test(text)) throw new Error('scrubber broke');
      return text;
    };
    const { logger, raw, last } = capture('info', failing);
    logger.warn({ field: '12345678' }, 'hello');
    expect(last()).toEqual({
      level: 40,
      time: expect.any(Number),
      pid: process.pid,
      hostname: hostname(),
      msg: 'log line withheld: it could not be scrubbed',
    });
    expect(raw.join('')).not.toContain('12345678');
  });
});

describe('createLogger: no leak (property)', () => {
  // JSON escapes control characters and lone surrogates as \uXXXX, whose hex digits could sit
  // next to real digits and look like a number in the raw line; the raw-line check leaves them
  // out, the parsed check below keeps them.
  const isJsonPlain = (text: string) => !/[\u0000-\u001f]/.test(text) && text.isWellFormed();
  const textWithNumbers = fc
    .oneof({ weight: 3, arbitrary: formattedNumber }, { weight: 3, arbitrary: chatText }, fc.string({ maxLength: 6 }))
    .map((text) => Array.from(text).filter((ch) => isJsonPlain(ch)).join(''));
  // Address fields are anonymised rather than redacted, and are written without a number too.
  const key = fc.oneof(fc.constantFrom('a', 'note', 'err', 'msg', 'x y', 'ip', 'x-forwarded-for'), formattedNumber, fc.string({ maxLength: 5 }))
    .map((text) => Array.from(text).filter((ch) => isJsonPlain(ch)).join(''));
  // Numbers of the service's own are logged as numbers: any of them, whole or not, is written clean.
  const leaf = fc.oneof(textWithNumbers, fc.boolean(), fc.constant(null), fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.double());
  const nested = fc.object({ key, values: [leaf], maxDepth: 4, maxKeys: 5 });
  const printfArg = fc.oneof(textWithNumbers, fc.integer({ min: 0, max: 99_999_999 }));
  const format = fc
    .array(fc.oneof(textWithNumbers, fc.constantFrom('%s', '%d', '%o', '%j')), { maxLength: 6 })
    .map((parts) => parts.join(''));

  /** The raw line without pino's own fields, which are exempt. */
  const withoutOwnFields = (line: string) =>
    line
      .replace(/"time":\d+,?/, '')
      .replace(/"pid":\d+,?/, '')
      .replace(`"hostname":${JSON.stringify(hostname())},`, '');

  it('no written line holds a combination of 7+ digits outside time, pid and hostname', () => {
    fc.assert(
      fc.property(nested, nested, format, fc.array(printfArg, { maxLength: 4 }), (fields, bindings, fmt, args) => {
        const { logger, raw } = capture();
        logger.child(bindings).info(fields, fmt, ...args);
        logger.error(Object.assign(new Error(fmt), fields));
        expect(raw).toHaveLength(2);
        for (const line of raw) expect(countLeaks(withoutOwnFields(line))).toBe(0);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('every string and key of a written line is clean, whatever the characters', () => {
    const anyText = fc.oneof(formattedNumber, chatText, fc.string({ unit: 'binary', maxLength: 8 }));
    const anyKey = anyText.filter((name) => !IP_FIELD.test(name));
    const anyObject = fc.object({ key: anyKey, values: [anyText], maxDepth: 3, maxKeys: 4 });
    const strings = (value: unknown): string[] =>
      typeof value === 'string'
        ? [value]
        : value !== null && typeof value === 'object'
          ? Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)])
          : [];
    fc.assert(
      fc.property(anyObject, anyText, (fields, message) => {
        const { logger, lines } = capture();
        logger.warn(fields, message);
        const line = lines()[0]!;
        const { time: _time, pid: _pid, hostname: _hostname, ...rest } = line;
        for (const text of strings(rest)) expect(countLeaks(text)).toBe(0);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000 },
    );
  });
});

/** The built logger (`npm test` builds first), for processes of their own. */
const BUILT_LOGGER = new URL('../../dist/observability/logger.js', import.meta.url).href;
/** Lines enough for several writes (about 60 KiB), whatever the destination gathers per write. */
const LINE_COUNT = 500;

/** A process that logs `LINE_COUNT` lines to its stdout with the service's logger, then ends as `ending` says; its stdout and exit. */
async function logThenEnd(ending: string): Promise<{ lines: Line[]; exit: number | string | null; stderr: string }> {
  const script = `
    const { createLogger } = await import(${JSON.stringify(BUILT_LOGGER)});
    const logger = createLogger({ level: 'info', scrub: (text) => text });
    for (let n = 0; n < ${LINE_COUNT}; n++) logger.info({ n }, 'line');
    ${ending}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [exit] = await Promise.all([exitOf(child), new Promise((resolve) => child.stdout.on('end', resolve))]);
  return { lines: stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Line), exit, stderr };
}

describe('createLogger: stdout loses no line', () => {
  afterEach(killLeftoverChildren);

  it.each([
    ['process.exit', 'process.exit(3);', 3],
    ['a crash (an uncaught exception)', "setImmediate(() => { throw new Error('crash for the test'); });", 1],
    ['the end of the event loop', '', 0],
  ])('every line is written, in order, when the process ends by %s', async (_, ending, code) => {
    const { lines, exit, stderr } = await logThenEnd(ending);
    expect(exit).toBe(code);
    expect(lines.map((line) => line.n)).toEqual(Array.from({ length: LINE_COUNT }, (__, n) => n));
    if (code === 1) expect(stderr).toContain('crash for the test');
  });

  it('writes a quiet process’s line at once, without waiting for more', async () => {
    const script = `
      const { createLogger } = await import(${JSON.stringify(BUILT_LOGGER)});
      createLogger({ level: 'info', scrub: (text) => text }).info('alone');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const line = await new Promise<string>((resolve) => child.stdout.setEncoding('utf8').once('data', resolve));
      expect(JSON.parse(line)).toMatchObject({ msg: 'alone', level: 30 });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('chat-redact serve writes every request line and its last line on SIGTERM', async () => {
    const service = await startAndWaitForUrl(process.execPath, ['dist/cli.js', 'serve'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const requests = 40;
    for (let at = 0; at < requests; at++) await fetch(`${service.url}/healthz`).then((answer) => answer.arrayBuffer());
    service.child.kill('SIGTERM');
    expect(await exitOf(service.child)).toBe(0);
    await new Promise((resolve) => (service.child.stdout!.readableEnded ? resolve(undefined) : service.child.stdout!.once('end', resolve)));
    const lines = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line);
    expect(lines.filter((line) => line.msg === 'request' && line.path === '/healthz')).toHaveLength(requests);
    expect(lines.at(-1)?.msg).toBe('stopped');
  });
});
