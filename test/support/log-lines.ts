/**
 * Real log lines, made by the tests: pino's own output (the real logger, writing to memory), an
 * express access log in morgan's `combined` and `common` formats, nginx's `combined` access log
 * and its error log, syslog (RFC 3164 and RFC 5424), and Kubernetes container logs (the CRI
 * format kubelet writes, and Docker's `json-file`). Every number is generated from a seed.
 */
import { Writable } from 'node:stream';
import pino from 'pino';

/** A small seeded generator (mulberry32), so a failure can be replayed: `random(n)` is a whole number below n. */
export function createRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** One moment, written the ways logs write it. */
export interface Moment {
  readonly epochMs: number;
  readonly iso: string;
  readonly isoNano: string;
  readonly clf: string;
  readonly syslog: string;
  readonly slashes: string;
}

export function momentAt(epochMs: number, nanos = '123456789'): Moment {
  const d = new Date(epochMs);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const day = d.getUTCDate();
  return {
    epochMs,
    iso: d.toISOString(),
    isoNano: `${date}T${time}.${nanos}Z`,
    clf: `${pad(day)}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${time} +0000`,
    syslog: `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${time}`,
    slashes: `${date.replaceAll('-', '/')} ${time}`,
  };
}

/** Synthetic sensitive numbers, written as people and programs write them. */
export function sensitiveNumber(random: (below: number) => number): string {
  const digits = (count: number): string => Array.from({ length: count }, () => String(random(10))).join('');
  const forms = [
    () => `${digits(6)} ${digits(5)}`, // fødselsnummer
    () => `${digits(4)}.${digits(2)}.${digits(5)}`, // bank account
    () => `${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`, // phone
    () => `+47 ${digits(8)}`,
    () => `${digits(4)} ${digits(4)} ${digits(4)} ${digits(4)}`, // card
    () => digits(11),
  ];
  return forms[random(forms.length)]!();
}

const PATHS = ['/api/orders', '/api/customers', '/chat', '/healthz', '/static/app.js'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'curl/8.11.1', 'kube-probe/1.31'];

/** The request line and status of an access log entry, sometimes with a number in the query. */
function request(random: (below: number) => number): { method: string; url: string; status: number; bytes: number } {
  const path = PATHS[random(PATHS.length)]!;
  const query = random(4) === 0 ? `?customer=${sensitiveNumber(random).replaceAll(' ', '%20')}` : random(3) === 0 ? `?page=${random(50)}` : '';
  return { method: random(5) === 0 ? 'POST' : 'GET', url: `${path}${query}`, status: [200, 200, 200, 304, 404, 500][random(6)]!, bytes: random(90_000) };
}

/** Apache/nginx `combined`, which morgan's `combined` format also writes. */
export function combinedLine(random: (below: number) => number, when: Moment): string {
  const r = request(random);
  const ip = `203.0.113.${random(255)}`;
  return `${ip} - - [${when.clf}] "${r.method} ${r.url} HTTP/1.1" ${r.status} ${r.bytes} "-" "${AGENTS[random(AGENTS.length)]}"`;
}

/** morgan's `common` format (no referrer or agent), as an express app logs with `morgan('common')`. */
export function commonLine(random: (below: number) => number, when: Moment): string {
  const r = request(random);
  return `::ffff:127.0.0.1 - - [${when.clf}] "${r.method} ${r.url} HTTP/1.1" ${r.status} ${r.bytes}`;
}

/** nginx's error log: year-first date-time with slashes, pid#tid, connection number. */
export function nginxErrorLine(random: (below: number) => number, when: Moment): string {
  return `${when.slashes} [error] ${random(9000)}#${random(90)}: *${random(99_999)} open() "/srv/www/${sensitiveNumber(random).replaceAll(' ', '')}.pdf" failed (2: No such file or directory), client: 198.51.100.${random(255)}`;
}

/** syslog: RFC 3164 (BSD) and RFC 5424. */
export function syslogLine(random: (below: number) => number, when: Moment): string {
  if (random(2) === 0) {
    return `${when.syslog} web-${random(9)} sshd[${random(60_000)}]: Accepted publickey for deploy from 192.0.2.${random(255)} port ${random(65_535)} ssh2`;
  }
  return `<34>1 ${when.iso} web-${random(9)} billing ${random(60_000)} ID47 - payment from account ${sensitiveNumber(random)} refused`;
}

/** A Kubernetes container log line: the CRI format kubelet writes, or Docker's `json-file` record. */
export function kubernetesLine(random: (below: number) => number, when: Moment, message: string): string {
  if (random(2) === 0) return `${when.isoNano} ${random(4) === 0 ? 'stderr' : 'stdout'} F ${message}`;
  return JSON.stringify({ log: `${message}\n`, stream: 'stdout', time: when.isoNano });
}

/**
 * Lines from the real pino logger, with its own `time`, `pid` and `hostname`, for `count` log
 * calls that carry synthetic numbers in messages, fields, nested objects and errors.
 */
export function pinoLines(random: (below: number) => number, count: number, startMs: number): string[] {
  const lines: string[] = [];
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  let now = startMs;
  const logger = pino({ base: { pid: 4242, hostname: 'api-7d9f8' }, timestamp: () => `,"time":${now}` }, sink);
  for (let k = 0; k < count; k++) {
    now += random(5000);
    const number = sensitiveNumber(random);
    const pick = random(4);
    if (pick === 0) logger.info({ req: { method: 'GET', url: `/api/customers/${number.replaceAll(' ', '')}` }, responseTime: random(900) }, 'request completed');
    else if (pick === 1) logger.warn({ customer: { phone: number, id: random(10) * 1_000_000_007 } }, 'lookup %s failed', number);
    else if (pick === 2) logger.error(new Error(`payment ${number} declined`), 'payment failed');
    else logger.info({ amount: random(10_000), ts: now / 1000 }, 'chat %d opened', random(100));
  }
  logger.flush();
  // pino writes to a plain Writable synchronously; each call is one line.
  for (const line of text.split('\n')) if (line !== '') lines.push(line);
  return lines;
}

/** A mixed log of every kind above, one line each, `count` lines in all. */
export function mixedLog(seed: number, count: number): string[] {
  const random = createRandom(seed);
  const start = Date.UTC(2026, 11, 1, 7, 45, 18);
  const lines: string[] = [];
  const pino = pinoLines(random, count, start);
  for (let k = 0; k < count; k++) {
    const when = momentAt(start + k * 1000 + random(1000));
    const kinds = [
      () => pino[k]!,
      () => combinedLine(random, when),
      () => commonLine(random, when),
      () => nginxErrorLine(random, when),
      () => syslogLine(random, when),
      () => kubernetesLine(random, when, pino[k]!),
    ];
    lines.push(kinds[random(kinds.length)]!());
  }
  return lines;
}
