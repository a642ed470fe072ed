/**
 * WebSocket, end to end: widget clients (a load process written with `ws`) send chat messages
 * and wait for the final reply, through the gateway's redaction and (a) the built-in demo bot,
 * (b) a plain HTTP vendor stub on loopback; raced against a plain `ws` echo server. Then the
 * gateway's resident memory per idle connection, against the echo server's, with a thousand
 * and ten thousand chats open. Every server, stub and load client runs in a fresh process.
 *
 * @module
 */
import { sampleMessages } from './lib/chat-sample.js';
import { countLeaks } from './lib/judge.js';
import { median } from './lib/measure.js';
import { readFileLimit, readRssKiB, withProcessGroup } from './lib/net-process.js';
import { CHILD_LIFETIME_MS, medianOf, raceInRounds } from './lib/net-race.js';
import { formatNumber, makeRow } from './lib/report.js';

export const title = 'WebSocket — widget round trips through the gateway vs a ws echo server';

const SERVER = new URL('./lib/net-server.js', import.meta.url);
const LOAD = new URL('./lib/ws-load.js', import.meta.url);
const DEMO = 'chat-redact + demo bot';
const STUB = 'chat-redact + HTTP vendor stub';
const ECHO = 'ws echo server';
/** The honest floor of the protocol's answer: two frames per message, in one write and in two. */
const ECHO2_ONE = 'ws two-frame echo, one write';
const ECHO2_TWO = 'ws two-frame echo, two writes';
/**
 * The least a gateway that calls an HTTP vendor must do: the two-frame echo whose reply comes
 * from the same keep-alive undici POST to the same vendor stub (ack, POST, reply: the protocol's
 * order, so three writes a message). A reference for the HTTP vendor row, no target of its own.
 */
const ECHO2_VENDOR = 'ws two-frame echo + undici POST to the vendor stub';
/** The baseline the gateway is held to. */
const FLOOR = ECHO2_ONE;
const GATEWAY = 'chat-redact gateway';
/** The issue's targets: the gateway's CPU per message at most this many times the two-frame echo's (one write). */
const CPU_TARGETS = { [DEMO]: 3, [STUB]: 4 };
/** Messages sent in turn; this many carry a number to delete (5%). */
const MESSAGE_COUNT = 40;
const MESSAGES_WITH_NUMBERS = 2;
/**
 * The gateway's environment: its defaults, logging at `info` (to stdout, which is discarded), and
 * the highest per-chat rate limit, since each benchmark client sends as fast as it gets answers.
 */
const GATEWAY_ENV = { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000' };
/** File descriptors a process needs besides its sockets. */
const FD_MARGIN = 256;
/** Idle connections opened and closed before the first measurement, so that memory for code and caches the first connections need is in the baseline. */
const IDLE_WARMUP_CONNECTIONS = 200;
/** Pause after opening connections before memory is measured, for the server to finish its logging. */
const SETTLE_MS = 1000;

/** @param {'gateway' | 'echo'} kind @param {Record<string, string>} [env] @param {string} [variant] */
const serverOptions = (kind, env = GATEWAY_ENV, variant = ECHO) =>
  kind === 'echo'
    ? { kind: 'ws-echo', lifetimeMs: CHILD_LIFETIME_MS, echoFrames: variant === ECHO ? 1 : 2, oneWrite: variant === ECHO2_ONE }
    : { kind: 'gateway', env, lifetimeMs: CHILD_LIFETIME_MS };
const ECHOES = [ECHO, ECHO2_ONE, ECHO2_TWO, ECHO2_VENDOR];
/** Variants that talk to the vendor stub, in a process of its own. */
const WITH_STUB = [STUB, ECHO2_VENDOR];

/** @param {{ port: number }} ready @param {'gateway' | 'echo'} kind */
const chatUrl = (ready, kind) => `ws://127.0.0.1:${ready.port}${kind === 'gateway' ? '/chat' : '/'}`;

/**
 * One timed traffic run of `variant`, in fresh processes.
 * @param {string} variant
 * @param {string[]} texts
 * @param {Readonly<import('./lib/options.js').WsOptions>} settings
 * @returns {Promise<import('./lib/ws-load.js').TrafficResult & { stubCpuMs: number | null }>}
 */
function runTraffic(variant, texts, settings) {
  return withProcessGroup(async (group) => {
    const kind = ECHOES.includes(variant) ? 'echo' : 'gateway';
    const stub = WITH_STUB.includes(variant) ? await group.start(SERVER, { kind: 'vendor-stub', lifetimeMs: CHILD_LIFETIME_MS }, { name: 'vendor stub' }) : undefined;
    const env = stub === undefined ? GATEWAY_ENV : { ...GATEWAY_ENV, VENDOR_URL: stub.ready.url };
    const options = variant === ECHO2_VENDOR ? { ...serverOptions(kind, env, ECHO2_TWO), vendorUrl: stub?.ready.url } : serverOptions(kind, env, variant);
    const server = await group.start(SERVER, options, { name: variant });
    const load = await group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'load client' });
    const result = await load.request('traffic', {
      url: chatUrl(server.ready, kind),
      protocol: variant === ECHO ? 'echo' : kind === 'echo' ? 'two-frame-echo' : 'gateway',
      clients: settings.clients,
      warmupMs: settings.warmupSeconds * 1000,
      durationMs: settings.seconds * 1000,
      texts,
      watchPids: stub === undefined ? [server.pid] : [server.pid, stub.pid],
    });
    return { ...result, stubCpuMs: result.watchedCpuMs[1] ?? null };
  });
}

/**
 * @typedef {object} IdleStep
 * @property {number} connections open at the measurement
 * @property {number} rssKiB of the server, from /proc
 * @property {number} rssPerConnectionKiB growth since the baseline, per connection
 * @property {number} heapPerConnectionKiB growth of V8 heap + external memory, per connection
 * @property {number | null} marginalKiB RSS growth since the step before, per connection added
 */

/**
 * @typedef {object} IdleResult
 * @property {number} baselineRssKiB
 * @property {IdleStep[]} steps
 * @property {number} serverFileLimit
 * @property {number} loadFileLimit
 * @property {number[]} skipped steps that did not fit the open-file limits
 * @property {boolean} collected whether a full GC ran before each measurement
 */

/**
 * Open idle connections to a fresh server of `kind` in `steps` and measure its resident memory.
 * @param {'gateway' | 'echo'} kind
 * @param {readonly number[]} steps
 * @param {number} processes load processes holding the connections
 * @param {(text: string) => void} progress
 * @returns {Promise<IdleResult>}
 */
function measureIdle(kind, steps, processes, progress) {
  return withProcessGroup(async (group) => {
    const top = steps.at(-1) ?? 0;
    const server = await group.start(SERVER, serverOptions(kind), { name: `${kind} (idle)`, fileLimit: top + FD_MARGIN, execArgv: ['--expose-gc'] });
    const perProcess = Math.ceil(top / processes);
    const loads = await Promise.all(
      Array.from({ length: processes }, () => group.start(LOAD, { lifetimeMs: CHILD_LIFETIME_MS }, { name: 'idle load client', fileLimit: perProcess + FD_MARGIN })),
    );
    const serverFileLimit = server.fileLimit?.soft ?? Infinity;
    const loadFileLimit = Math.min(...loads.map((load) => load.fileLimit?.soft ?? Infinity));
    const capacity = Math.min(serverFileLimit - FD_MARGIN, (loadFileLimit - FD_MARGIN) * processes);
    const url = chatUrl(server.ready, kind);
    /** Open connections until `total` are held across the load processes. @param {number} total */
    const holdOpen = async (total) => {
      const held = await Promise.all(
        loads.map((load, k) => load.request('open', { url, protocol: kind, total: Math.floor(total / processes) + (k < total % processes ? 1 : 0) })),
      );
      const failed = held.reduce((sum, h) => sum + h.failed, 0);
      if (failed > 0) throw new Error(`${failed} of ${total} idle connections to the ${kind} failed: ${held.find((h) => h.firstError)?.firstError}`);
    };
    const measure = async () => {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const usage = await server.request('memory');
      return { rssKiB: readRssKiB(server.pid) ?? usage.rss / 1024, heapKiB: (usage.heapUsed + usage.external) / 1024, collected: usage.collected };
    };
    await holdOpen(Math.min(IDLE_WARMUP_CONNECTIONS, steps[0] ?? 0));
    await Promise.all(loads.map((load) => load.request('drop')));
    const baseline = await measure();
    /** @type {IdleStep[]} */
    const measured = [];
    for (const connections of steps.filter((n) => n <= capacity)) {
      progress(`${kind}: ${formatNumber(connections)} idle connections`);
      await holdOpen(connections);
      const open = await server.request('connections');
      if (open !== connections) throw new Error(`the ${kind} holds ${open} connections, not ${connections}`);
      const { rssKiB, heapKiB } = await measure();
      const before = measured.at(-1);
      measured.push({
        connections,
        rssKiB,
        rssPerConnectionKiB: (rssKiB - baseline.rssKiB) / connections,
        heapPerConnectionKiB: (heapKiB - baseline.heapKiB) / connections,
        marginalKiB: before === undefined ? null : (rssKiB - before.rssKiB) / (connections - before.connections),
      });
    }
    return {
      baselineRssKiB: baseline.rssKiB,
      steps: measured,
      serverFileLimit,
      loadFileLimit,
      skipped: steps.filter((n) => n > capacity),
      collected: baseline.collected,
    };
  });
}

/** @param {number} limit */
const formatLimit = (limit) => (Number.isFinite(limit) ? formatNumber(limit) : 'unlimited');

/**
 * @param {import('./run.js').SuiteContext} context
 * @returns {Promise<Omit<import('./lib/report.js').SuiteResult, 'id' | 'title' | 'load' | 'seconds'>>}
 */
export async function run({ options, progress }) {
  const settings = options.ws;
  const texts = sampleMessages({ count: MESSAGE_COUNT, withNumbers: MESSAGES_WITH_NUMBERS, hasNumber: (text) => countLeaks(text) > 0 });
  const traffic = await raceInRounds([DEMO, STUB, ...ECHOES], settings.rounds, (variant) => runTraffic(variant, texts, settings), progress);
  const idleGateway = await measureIdle('gateway', settings.idle, settings.idleProcesses, progress);
  const idleEcho = await measureIdle('echo', settings.idle, settings.idleProcesses, progress);

  /** @param {string} variant */
  const summarise = (variant) => {
    const runs = traffic.get(variant) ?? [];
    const throughput = medianOf(runs, (r) => r.messages / r.seconds);
    const cpuMsPerMessage = median(runs.map((r) => (r.watchedCpuMs[0] ?? NaN) / Math.max(1, r.messages)));
    const stubCpu = runs.flatMap((r) => (r.stubCpuMs === null ? [] : [r.stubCpuMs / Math.max(1, r.messages)]));
    const p50 = medianOf(runs, (r) => r.p50Ms);
    const p99 = medianOf(runs, (r) => r.p99Ms);
    return {
      ...throughput,
      cpuUsPerMessage: cpuMsPerMessage * 1000,
      cpuSamples: runs.map((r) => ((r.watchedCpuMs[0] ?? NaN) / Math.max(1, r.messages)) * 1000),
      cpuValue: Number.isFinite(cpuMsPerMessage) ? 1000 / cpuMsPerMessage : null,
      p50,
      p99,
      runs,
      details: [
        `p50 ${formatNumber(p50.value)} ms`,
        `p99 ${formatNumber(p99.value)} ms`,
        `${formatNumber(median(runs.map((r) => r.framesPerMessage)))} frames/message`,
        ...(Number.isFinite(cpuMsPerMessage) ? [`${formatNumber(cpuMsPerMessage * 1000)} µs server CPU/message`] : []),
        ...(stubCpu.length > 0 ? [`${formatNumber(median(stubCpu) * 1000)} µs stub CPU/message`] : []),
      ],
    };
  };
  const floor = summarise(FLOOR);
  const references = [ECHO2_TWO, ECHO].map((variant) => ({ variant, ...summarise(variant) }));
  const vendorFloor = { variant: ECHO2_VENDOR, ...summarise(ECHO2_VENDOR) };
  const gateways = [DEMO, STUB].map((variant) => ({ variant, ...summarise(variant) }));
  const roundTrip = `round trip, ${settings.clients} clients`;
  const rows = [];
  for (const gateway of gateways) {
    rows.push(makeRow({ benchmark: roundTrip, unit: 'messages/s', ...gateway, baseline: { variant: FLOOR, ...floor } }));
  }
  rows.push(makeRow({ benchmark: roundTrip, variant: FLOOR, unit: 'messages/s', ...floor, isBaseline: true }));
  for (const reference of references) rows.push(makeRow({ benchmark: roundTrip, unit: 'messages/s', ...reference, isBaseline: true }));
  const cpuBenchmark = `server CPU per message, ${settings.clients} clients`;
  for (const gateway of gateways) {
    rows.push(
      makeRow({
        benchmark: cpuBenchmark,
        variant: gateway.variant,
        unit: 'µs',
        value: gateway.cpuUsPerMessage,
        samples: gateway.cpuSamples,
        details: references.map((r) => `${formatNumber(gateway.cpuUsPerMessage / r.cpuUsPerMessage)}× the ${r.variant}`),
        baseline: { variant: FLOOR, value: floor.cpuUsPerMessage },
        target: { op: '<=', value: CPU_TARGETS[gateway.variant] ?? Infinity },
      }),
    );
  }
  for (const echo of [{ variant: FLOOR, ...floor }, ...references]) {
    rows.push(makeRow({ benchmark: cpuBenchmark, variant: echo.variant, unit: 'µs', value: echo.cpuUsPerMessage, samples: echo.cpuSamples, isBaseline: true }));
  }
  // The HTTP vendor row once more, against the least a gateway calling that vendor must do; a
  // benchmark of its own, so that the rows against the echoes stay as they were.
  const vendorBenchmark = `${cpuBenchmark}, against the vendor floor`;
  const stubGateway = gateways.find((gateway) => gateway.variant === STUB);
  if (stubGateway !== undefined) {
    rows.push(
      makeRow({
        benchmark: vendorBenchmark,
        variant: STUB,
        unit: 'µs',
        value: stubGateway.cpuUsPerMessage,
        samples: stubGateway.cpuSamples,
        details: [`${formatNumber(stubGateway.cpuUsPerMessage / floor.cpuUsPerMessage)}× the ${FLOOR}`],
        baseline: { variant: ECHO2_VENDOR, value: vendorFloor.cpuUsPerMessage },
      }),
    );
  }
  rows.push(
    makeRow({
      benchmark: vendorBenchmark,
      variant: ECHO2_VENDOR,
      unit: 'µs',
      value: vendorFloor.cpuUsPerMessage,
      samples: vendorFloor.cpuSamples,
      details: [`${formatNumber(vendorFloor.value)} messages/s`, ...vendorFloor.details.slice(0, 3), `${formatNumber(vendorFloor.cpuUsPerMessage / floor.cpuUsPerMessage)}× the ${FLOOR}`],
      isBaseline: true,
    }),
  );
  for (const key of /** @type {const} */ (['p50', 'p99'])) {
    for (const gateway of gateways) {
      rows.push(makeRow({ benchmark: `${roundTrip}, ${key}`, variant: gateway.variant, unit: 'ms', ...gateway[key], baseline: { variant: FLOOR, ...floor[key] } }));
    }
  }
  for (const [k, step] of idleGateway.steps.entries()) {
    const echoStep = idleEcho.steps[k];
    const benchmark = `RSS per idle connection, ${formatNumber(step.connections)} open`;
    /** @param {IdleStep} s @param {number} baselineKiB */
    const details = (s, baselineKiB) => [
      `heap + external ${formatNumber(s.heapPerConnectionKiB)} KiB`,
      ...(s.marginalKiB === null ? [] : [`${formatNumber(s.marginalKiB)} KiB each added since the step before`]),
      `RSS ${formatNumber(baselineKiB / 1024)} → ${formatNumber(s.rssKiB / 1024)} MiB`,
    ];
    rows.push(
      makeRow({
        benchmark,
        variant: GATEWAY,
        value: step.rssPerConnectionKiB,
        unit: 'KiB',
        details: details(step, idleGateway.baselineRssKiB),
        ...(echoStep && { baseline: { variant: ECHO, value: echoStep.rssPerConnectionKiB } }),
      }),
    );
    if (echoStep) {
      rows.push(makeRow({ benchmark, variant: ECHO, value: echoStep.rssPerConnectionKiB, unit: 'KiB', details: details(echoStep, idleEcho.baselineRssKiB), isBaseline: true }));
    }
  }

  const allRuns = [...traffic.values()].flat();
  const errorFrames = allRuns.reduce((sum, r) => sum + r.errors, 0);
  const unanswered = allRuns.reduce((sum, r) => sum + r.unanswered, 0);
  // The echoes send the messages back as they came, numbers and all: only the gateway is judged.
  const leakingReplies = [DEMO, STUB].flatMap((variant) => traffic.get(variant) ?? []).reduce((sum, r) => sum + r.leakingReplies, 0);
  const skipped = [...new Set([...idleGateway.skipped, ...idleEcho.skipped])];
  const ownLimit = readFileLimit();
  return {
    description: [
      `Messages: ${MESSAGE_COUNT} chat messages from the seeded corpus, ${MESSAGES_WITH_NUMBERS} of them (${formatNumber((MESSAGES_WITH_NUMBERS / MESSAGE_COUNT) * 100)}%) ` +
        'with a number to delete, sent as the widget sends them (`{"type":"message","id","text"}`, ids of 16 letters); each client starts elsewhere in the list.',
      `Round trip: ${settings.clients} clients in one load process (\`ws\`), each sending its next message as soon as the last is answered: ` +
        "by the gateway's reply frame with `final: true` (after its ack and the streamed reply frames), by the echo server's copy of the frame, by the two-frame echo's reply frame. " +
        `Timed from just before \`send\` to the answer's arrival, over a ${formatNumber(settings.seconds)} s window after a ${formatNumber(settings.warmupSeconds)} s warm-up; ` +
        `messages/s counts answers in the window. Fresh processes for every run, ${settings.rounds} rounds in alternating order, medians over rounds.`,
      `${DEMO}: \`startGateway\` from \`dist/\` with \`createDemoBot({ delayMs: 0 })\`, which streams its reply word by word. ` +
        `${STUB}: the gateway's HTTP vendor adapter (undici) to a \`node:http\` stub in a process of its own, which answers each message ` +
        'with one JSON reply quoting it and adding a made-up phone number, which the gateway deletes on the way out. ' +
        `Both: default settings, LOG_LEVEL=info (to /dev/null), RATE_LIMIT_PER_MINUTE=100000. ${ECHO}: \`new WebSocketServer()\`, each message sent back as one frame. ` +
        `${ECHO2_ONE} and ${ECHO2_TWO}: the same server answering each message as the protocol does, with an ack-sized frame and then a reply-sized frame ` +
        `with \`final: true\` (\`{"type":"ack","id","text","redactions","kinds"}\`, \`{"type":"reply","id","text","final"}\`), framed by ws and written to the socket ` +
        `in one write (as a server that coalesces its writes does) or sent as two \`ws.send\` calls. ${FLOOR} is the floor the gateway is held to. ` +
        `${ECHO2_VENDOR}: the least a gateway that calls an HTTP vendor must do, in the protocol's order — the ack frame, then the message POSTed ` +
        "to the same vendor stub with undici's `request()` over a keep-alive `Agent` (the generic contract's body and headers), its JSON answer read, " +
        `then the reply frame with the answer's text; nothing validated, redacted, counted or logged. The ${STUB} figure is also given against it, for a fair floor of the HTTP vendor path.`,
      `Idle memory: a fresh server (with \`--expose-gc\`), ${IDLE_WARMUP_CONNECTIONS} connections opened and closed first, then ` +
        `${settings.idle.map(formatNumber).join(' and then ')} connections held open by ${settings.idleProcesses} load processes, each chat open once the gateway's privacy ` +
        `notice has arrived (the echo server's handshake). After ${SETTLE_MS / 1000} s and a full GC, VmRSS from /proc/<pid>/status; the figure is its growth over ` +
        'the baseline, divided by the connections open.',
      'Server CPU is the server process\'s user + system time over the window, from /proc; the CPU ratio compares messages per second of server CPU time.',
    ],
    rows,
    notes: [
      `Open-file limits: this shell ${ownLimit === null ? 'unknown' : `${formatLimit(ownLimit.soft)} (hard ${formatLimit(ownLimit.hard)})`}; ` +
        `the idle servers got ${formatLimit(Math.min(idleGateway.serverFileLimit, idleEcho.serverFileLimit))}, their load processes ` +
        `${formatLimit(Math.min(idleGateway.loadFileLimit, idleEcho.loadFileLimit))} each` +
        (skipped.length > 0 ? `; **not measured: ${skipped.map(formatNumber).join(', ')} idle connections, beyond those limits (raise \`ulimit -n\`)**.` : '.'),
      `Replies in which a combination of 7 or more digits (by the tests' reference judge) reached a client through the gateway: ${leakingReplies}. Error frames: ${errorFrames}. Messages left unanswered at the end of a run: ${unanswered}.`,
      'RSS per connection at the smallest count also carries growth that does not scale with connections (V8 enlarging its heap ' +
        'spaces, allocator arenas), one way or the other; heap + external memory, and the figures at larger counts, are the steadier measures.',
      'Load client, gateway and vendor stub share the machine\'s cores: messages/s and round trips are those of the whole set-up; server CPU/message is the gateway alone.',
    ],
  };
}
