/**
 * Two doors to one route compared (`fast-routes.ts` against express): a pair of apps of one
 * environment, one with the routes served before express and one without (`fastRoutes: false`),
 * are sent the same table of requests on a kept-alive connection each; a test compares the
 * status, headers (all but `date`, in their order and case), body, log lines (all but the time
 * and duration) and metrics (all but histograms of time) of the two.
 */
import http from 'node:http';
import { afterAll, beforeAll, expect } from 'vitest';
import { startApp, waitFor, type RunningApp, type StartOptions } from './start-app.js';

/** pino's own fields and the request's duration: the only parts of a line allowed to differ. */
const UNSTABLE_FIELDS = ['time', 'pid', 'hostname', 'durationMs'];
/** Histograms of time: the only metrics allowed to differ. */
const TIMED_METRIC = /^chat_redact_\w*duration_seconds/;

export interface Exchange {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  /** The body, its length announced; with `chunked`, sent in two chunks without a length. */
  readonly body?: string | Buffer;
  readonly chunked?: boolean;
}

export interface Seen {
  readonly status: number;
  /** Raw header lines as they came, but `date`; `retry-after` apart (it counts down in whole seconds). */
  readonly headers: string[];
  readonly retryAfter: number | undefined;
  readonly body: string;
}

export interface Pair {
  readonly fast: RunningApp;
  readonly express: RunningApp;
}

/** What an entry of a table leaves out: its route's path and the headers of a good request. */
export interface Defaults {
  readonly path: string;
  readonly headers: http.OutgoingHttpHeaders;
}

/** The exchanges of a table whose entries leave out `defaults`. */
export function compareDoors(defaults: Defaults): {
  exchange(app: RunningApp, agent: http.Agent, entry: Exchange): Promise<Seen>;
  runTable(pair: Pair, entries: readonly Exchange[]): Promise<Array<{ name: string; fast: Seen; express: Seen }>>;
} {
  /** One request on `agent`'s connection, as the table says. */
  function exchange(app: RunningApp, agent: http.Agent, entry: Exchange): Promise<Seen> {
    const headers = entry.headers ?? defaults.headers;
    return new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port: app.port, method: entry.method ?? 'POST', path: entry.path ?? defaults.path, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const lines: string[] = [];
          let retryAfter: number | undefined;
          for (let at = 0; at < response.rawHeaders.length; at += 2) {
            const [name = '', value = ''] = response.rawHeaders.slice(at, at + 2);
            if (name.toLowerCase() === 'retry-after') retryAfter = Number(value);
            else if (name.toLowerCase() !== 'date') lines.push(`${name}: ${value}`);
          }
          resolve({ status: response.statusCode ?? 0, headers: lines, retryAfter, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      const body = entry.body === undefined ? undefined : Buffer.from(entry.body);
      if (body !== undefined && entry.chunked === true) {
        request.write(body.subarray(0, body.length >> 1));
        request.end(body.subarray(body.length >> 1));
      } else {
        if (body !== undefined) request.setHeader('content-length', body.length);
        request.end(body);
      }
    });
  }

  /** Each of `entries` to both apps, one after the other on a kept-alive connection each; the answers side by side. */
  async function runTable(pair: Pair, entries: readonly Exchange[]): Promise<Array<{ name: string; fast: Seen; express: Seen }>> {
    const agents = { fast: new http.Agent({ keepAlive: true, maxSockets: 1 }), express: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
    const seen = [];
    try {
      for (const entry of entries) {
        const [fast, express] = await Promise.all([exchange(pair.fast, agents.fast, entry), exchange(pair.express, agents.express, entry)]);
        seen.push({ name: entry.name, fast, express });
      }
    } finally {
      agents.fast.destroy();
      agents.express.destroy();
    }
    return seen;
  }

  return { exchange, runTable };
}

/** The log lines of `app` without what may differ, in a stable order. */
export function stableLines(app: RunningApp): string[] {
  return app
    .logLines()
    .map((line) => JSON.stringify(Object.fromEntries(Object.entries(line).filter(([key]) => !UNSTABLE_FIELDS.includes(key)))))
    .sort();
}

/** The metrics of `app` but its histograms of time. */
export async function stableMetrics(app: RunningApp): Promise<string[]> {
  const text = await app.metrics.registry.metrics();
  return text.split('\n').filter((line) => !TIMED_METRIC.test(line));
}

/**
 * A pair of apps of one environment (given, or read when they start): the routes before
 * express, and express alone; started before the tests of the enclosing `describe`.
 */
export function usePair(env: Record<string, string> | (() => Record<string, string>), options: StartOptions = {}): () => Pair {
  let fast: RunningApp | undefined;
  let express: RunningApp | undefined;
  beforeAll(async () => {
    const read = typeof env === 'function' ? env() : env;
    [fast, express] = await Promise.all([startApp(read, options), startApp(read, { ...options, fastRoutes: false })]);
  });
  afterAll(async () => {
    await Promise.all([fast?.close(), express?.close()]);
  });
  return () => {
    if (fast === undefined || express === undefined) throw new Error('started in beforeAll');
    return { fast, express };
  };
}

/** Expect each pair of answers in `seen` to be the same; the status of each, `name: status`, to check what the table reached. */
export function expectSameAnswers(seen: ReadonlyArray<{ name: string; fast: Seen; express: Seen }>): string[] {
  for (const { name, fast, express } of seen) {
    expect({ name, ...fast }).toEqual({ name, ...express });
  }
  return seen.map(({ name, fast }) => `${name}: ${fast.status}`);
}

/**
 * Expect the two apps, once each has logged `requests` request lines, to have written the same
 * log lines and counted the same metrics; the lines and metrics of the fast one, to look into.
 */
export async function expectSameLogsAndMetrics(pair: Pair, requests: number): Promise<{ lines: string[]; metrics: string[] }> {
  const logged = (app: RunningApp) => app.logLines().filter((line) => line.msg === 'request').length;
  expect(await waitFor(() => logged(pair.fast) >= requests && logged(pair.express) >= requests)).toBe(true);
  expect(stableLines(pair.fast)).toEqual(stableLines(pair.express));
  const metrics = await stableMetrics(pair.fast);
  expect(metrics).toEqual(await stableMetrics(pair.express));
  return { lines: stableLines(pair.fast), metrics };
}
