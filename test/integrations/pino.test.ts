/**
 * The pino integration: redactingHooks and createRedactingDestination on real pino loggers, lines
 * captured in memory (and in a real file), checked field by field and by a property that no
 * 7+ digit combination survives anywhere but in pino's own time, pid and hostname.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRedactingDestination, redactingHooks } from '../../src/integrations/pino.js';
import { createLogger } from '../../src/observability/logger.js';
import { PolicyError, redact } from '../../src/redact/index.js';
import { chatText, formattedNumber } from '../support/arbitraries.js';
import { withTempDir } from '../support/temp-dir.js';
import { countLeaks } from '../support/leak-judge.js';

type Line = Record<string, unknown>;

/** A destination that keeps each write as it came. */
function captureWrites(): { stream: Writable; writes: string[]; lines: () => Line[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString('utf8'));
      callback();
    },
  });
  const lines = () => writes.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Line);
  return { stream, writes, lines };
}

/** Both ways in, each building a logger that writes into a capture. */
const WAYS = [
  ['redactingHooks', (destination: Writable, policy?: object) => pino({ hooks: redactingHooks(policy) }, destination)],
  ['createRedactingDestination', (destination: Writable, policy?: object) => pino({}, createRedactingDestination(destination, policy))],
] as const;

describe.each(WAYS)('%s', (_, makeLogger) => {
  it('redacts the message after interpolation, fields and keys at any depth, errors and child bindings', () => {
    const { stream, writes, lines } = captureWrites();
    const logger = makeLogger(stream);
    logger.child({ conversation: 'kunde 98765432' }).info(
      { customer: { note: 'ring 98 76 54 32', list: ['konto 7694.05.20300'] }, 'id 12345678': 'key' },
      'fnr %s',
      '010190 12345',
    );
    logger.error(new Error('lookup failed for 4111 1111 1111 1111'));
    const [info, error] = lines();
    expect(info).toMatchObject({
      level: 30,
      conversation: 'kunde ',
      customer: { note: 'ring ', list: ['konto '] },
      'id ': 'key',
      msg: 'fnr ',
    });
    expect(error).toMatchObject({ level: 50, msg: 'lookup failed for ', err: { type: 'Error', message: 'lookup failed for ' } });
    expect(writes.join('')).not.toMatch(/98765432|98 76|7694|12345678|010190|4111/);
  });

  it('leaves pino’s own time, pid and hostname, numbers and booleans as they are', () => {
    const { stream, lines } = captureWrites();
    const before = Date.now();
    makeLogger(stream).info({ bytes: 65_536, ok: true, big: 1_048_576 }, 'own fields');
    const [line] = lines();
    // A number that reads as seven digits is written null, as the service's logger writes it.
    expect(line).toMatchObject({ pid: process.pid, hostname: hostname(), bytes: 65_536, ok: true, big: null, msg: 'own fields' });
    expect(line!.time).toBeGreaterThanOrEqual(before);
  });

  it('censors secrets and anonymises client addresses by field name, as the service’s logger does', () => {
    const { stream, writes, lines } = captureWrites();
    makeLogger(stream).info({ headers: { authorization: 'Bearer abc' }, apiKey: 'k', ip: '203.0.113.45', url: '/x?token=abc' }, 'req');
    expect(lines()[0]).toMatchObject({ headers: { authorization: '[secret]' }, apiKey: '[secret]', ip: '203.0.x.x', url: '/x' });
    expect(writes.join('')).not.toMatch(/abc|"k"|203\.0\.113\.45/);
  });

  it('uses the policy it was given', () => {
    const { stream, lines } = captureWrites();
    makeLogger(stream, { minDigits: 8, replacement: '[fjernet]' }).info('kunde 1234567, tlf 98 76 54 32');
    expect(lines()[0]!.msg).toBe('kunde 1234567, tlf [fjernet]');
  });

  it('rejects a bad policy when the logger is built, not at the first line', () => {
    expect(() => makeLogger(captureWrites().stream, { maxGap: 99 })).toThrow(PolicyError);
  });

  it('writes exactly what the service’s own logger writes (one implementation)', () => {
    const library = captureWrites();
    const service = captureWrites();
    const fields = { note: 'ring 98 76 54 32', token: 'abc', nested: { ip: '2001:db8:abcd:12::1', list: ['x 12345678'] } };
    makeLogger(library.stream).warn(fields, 'tlf %s', '22 33 44 55');
    createLogger({ level: 'info', scrub: (text) => redact(text).text, destination: service.stream }).warn(fields, 'tlf %s', '22 33 44 55');
    const withoutTime = (line: Line) => ({ ...line, time: 0 });
    expect(library.lines().map(withoutTime)).toEqual(service.lines().map(withoutTime));
  });
});

describe('redactingHooks', () => {
  it('works under pino.multistream, which routes each line by its level', () => {
    const all = captureWrites();
    const errors = captureWrites();
    const logger = pino(
      { level: 'info', hooks: redactingHooks() },
      pino.multistream([{ stream: all.stream, level: 'info' }, { stream: errors.stream, level: 'error' }]),
    );
    logger.info('tlf 98765432');
    logger.error('fnr 01019012345');
    expect(all.lines().map((line) => line.msg)).toEqual(['tlf ', 'fnr ']);
    expect(errors.lines().map((line) => line.msg)).toEqual(['fnr ']);
  });
});

describe('createRedactingDestination', () => {
  it('scrubs each line of a write that carries several', () => {
    const { stream, writes } = captureWrites();
    const destination = createRedactingDestination(stream);
    destination.write('{"level":30,"msg":"a 98765432"}\n{"level":40,"msg":"b 12345678"}\n');
    expect(writes).toEqual(['{"level":30,"msg":"a "}\n{"level":40,"msg":"b "}\n']);
  });

  it('withholds a line it cannot parse rather than pass it on', () => {
    const { stream, writes } = captureWrites();
    createRedactingDestination(stream).write('plain text 98765432\n');
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0]!)).toMatchObject({ msg: 'log line withheld: it could not be scrubbed' });
    expect(writes[0]).not.toContain('98765432');
  });

  it('wraps a real pino.destination file; flush and end pass through', async () => {
    await withTempDir('chat-redact-pino-', async (dir) => {
      const file = join(dir, 'app.log');
      const destination = createRedactingDestination(pino.destination({ dest: file, sync: true, minLength: 4096 }));
      const logger = pino({}, destination);
      logger.info({ phone: '+47 98 76 54 32' }, 'fnr %s', '010190 12345');
      // With minLength 4096 nothing reaches the file until a flush.
      expect(readFileSync(file, 'utf8')).toBe('');
      await new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));
      const [line, ...rest] = readFileSync(file, 'utf8').split('\n');
      expect(rest).toEqual(['']);
      expect(JSON.parse(line!)).toMatchObject({ phone: '+', msg: 'fnr ' });
      destination.end();
    });
  });
});

describe.each(WAYS)('%s: no leak (property)', (_, makeLogger) => {
  // JSON writes control characters and lone surrogates as \uXXXX, whose hex digits could sit next
  // to real digits in the raw line; such characters are left out of the generated text.
  const isJsonPlain = (text: string) => !/[\u0000-\u001f]/.test(text) && text.isWellFormed();
  const plain = (text: string) => Array.from(text).filter(isJsonPlain).join('');
  const text = fc.oneof({ weight: 3, arbitrary: formattedNumber }, { weight: 3, arbitrary: chatText }, fc.string({ maxLength: 6 })).map(plain);
  // Address fields are anonymised rather than redacted, and are written without a number too.
  const key = fc.oneof(fc.constantFrom('a', 'note', 'x y', 'ip', 'remoteAddress'), formattedNumber, fc.string({ maxLength: 5 }))
    .map(plain);
  const fields = fc.object({ key, values: [text, fc.boolean(), fc.constant(null), fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.double()], maxDepth: 3, maxKeys: 4 });
  const withoutOwnFields = (line: string) =>
    line.replace(/"time":\d+,?/, '').replace(/"pid":\d+,?/, '').replace(`"hostname":${JSON.stringify(hostname())},`, '');

  it('no written line holds a combination of 7+ digits outside time, pid and hostname', () => {
    fc.assert(
      fc.property(fields, fields, text, fc.array(text, { maxLength: 3 }), (bindings, logged, format, args) => {
        const { stream, writes } = captureWrites();
        const logger = makeLogger(stream);
        logger.child(bindings).info(logged, format, ...args);
        logger.error(Object.assign(new Error(format), logged));
        const out = writes.join('').split('\n').filter((line) => line !== '');
        expect(out).toHaveLength(2);
        for (const line of out) expect(countLeaks(withoutOwnFields(line))).toBe(0);
      }),
      { numRuns: 200, interruptAfterTimeLimit: 10_000 },
    );
  });
});
