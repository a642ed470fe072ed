/**
 * The service's Prometheus metrics (prom-client), in a registry of their own: nothing here is
 * global, so tests and workers each get their own. Every label is a bounded set; no label or
 * value ever carries message content. The sets are not this module's: each part hands over its
 * own vocabulary (kinds, outcomes, reasons, close codes) in {@link MetricLabels}, and this
 * module only counts.
 *
 * @module
 */
import client from 'prom-client';
import { CounterTally, HistogramTally, type ObservedHistogram } from './metric-tallies.js';
import { countRedactedText, type CountsByKind, type RedactionReport } from './redaction-counts.js';

/** Metric name prefix. */
export const METRIC_PREFIX = 'chat_redact_';

/** `inbound`: widget → vendor; `outbound`: vendor → widget. */
export type Direction = 'inbound' | 'outbound';
export const DIRECTIONS: readonly Direction[] = ['inbound', 'outbound'];

/**
 * The label values the metrics are zeroed with and bounded to, each handed over by the part
 * whose vocabulary it is.
 */
export interface MetricLabels {
  /** The kinds of number combination (the engine's), the `kind` label. */
  readonly kinds: readonly string[];
  /** The classes of numbers a policy may keep (the engine's), the `class` label of `kept_total`. */
  readonly keptClasses: readonly string[];
  /** How a chat's session began (the session part's), the `outcome` label of `sessions_total`. */
  readonly sessionOutcomes: readonly string[];
  /** Why an upgrade was refused (the gateway's), the `reason` label of `ws_rejected_total`. */
  readonly upgradeRefusals: readonly string[];
  /** The close codes counted under a label of their own (the error registry's); any other is `other`. */
  readonly closeCodes: readonly number[];
}

/** The `code` label of every close code not in {@link MetricLabels.closeCodes}. */
export const OTHER_CLOSE_LABEL = 'other';

/**
 * The `code` label values of `ws_closes_total`: each of `closeCodes` in order, then `other` for
 * whatever else a peer sends — a client picks its close code freely (3000–4999), and a label
 * must stay a bounded set.
 */
export function closeCodeLabels(closeCodes: readonly number[]): readonly string[] {
  return Object.freeze([...new Set([...closeCodes].sort((a, b) => a - b).map(String)), OTHER_CLOSE_LABEL]);
}

/**
 * The `endpoint` label: which door of the service a series counts, named by the part that owns
 * the door (the native API's `native`). The chat path's series carry no `endpoint` label, so
 * that its series read as they always have; a sum by `direction` counts every door.
 */
export type Endpoint = string;

/** Redaction takes microseconds: buckets from 1 µs to 10 ms. */
const REDACTION_BUCKETS = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 1e-2];
const VENDOR_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The metrics of one process. */
export interface Metrics {
  readonly registry: client.Registry;
  readonly messages: client.Counter<'direction' | 'endpoint'>;
  readonly redactions: client.Counter<'direction' | 'kind' | 'endpoint'>;
  readonly bytes: client.Counter<'direction' | 'endpoint'>;
  readonly redactionDuration: ObservedHistogram;
  /** By `vendor` kind (the chatbot part's own vocabulary) and outcome; counted through {@link Metrics.vendorTurnCounter}. */
  readonly vendorRequests: client.Counter<'vendor' | 'outcome' | 'endpoint'>;
  readonly vendorDuration: ObservedHistogram;
  readonly wsConnections: client.Gauge<string>;
  readonly wsRejected: client.Counter<'reason'>;
  readonly wsCloses: client.Counter<'code'>;
  /** Allow-listed numbers kept, by direction; never labelled with the number. */
  readonly allowed: client.Counter<'direction' | 'endpoint'>;
  /** Numbers of a kept class (`keep`) kept, by direction and class (and `endpoint="native"` for the native API). */
  readonly kept: client.Counter<'direction' | 'class' | 'endpoint'>;
  /** What widgets report they removed in the browser before sending, by kind. */
  readonly widgetRedactions: client.Counter<'kind'>;
  readonly sessions: client.Counter<'outcome'>;
  /** Count deletions by kind outside a message (a button's label, a dropped link); `endpoint` for a door other than the chat. */
  countRedactions(direction: Direction, result: { kinds: CountsByKind }, endpoint?: Endpoint): void;
  /**
   * Count one redacted message or reply: its bytes, its deletions by kind, the allow-listed
   * numbers it kept (`allowed`, a count: never the numbers), the kept classes' counts, the time it
   * took; `endpoint` for a door other than the chat (the native API's requests and answers).
   */
  observeRedaction(
    direction: Direction,
    result: RedactionReport,
    bytes: number,
    seconds?: number,
    endpoint?: Endpoint,
  ): void;
  /** Count one closed WebSocket connection under its close code's bounded label. */
  observeClose(code: number): void;
  /**
   * The counter of one vendor's turns in `vendor_requests_total`, by outcome (`by` 1 unless
   * given; 0 shows the series at zero); `endpoint` for a door other than the chat.
   */
  vendorTurnCounter(vendor: string, endpoint?: Endpoint): (outcome: string, by?: number) => void;
}

/** Prometheus exposition text and its content type. */
export interface MetricsText {
  contentType: string;
  text: string;
}

/** Where `/metrics` gets its text: this process's registry, or (in a cluster) the sum of all. */
export type CollectMetrics = () => Promise<MetricsText>;

/** The collector of one process: its own registry. */
export function collectFrom(metrics: Metrics): CollectMetrics {
  return async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() });
}

/** Names of every metric this module registers (without Node's default metrics). */
export const METRIC_NAMES = [
  'messages_total',
  'redactions_total',
  'bytes_total',
  'redaction_duration_seconds',
  'vendor_requests_total',
  'vendor_duration_seconds',
  'ws_connections',
  'ws_rejected_total',
  'ws_closes_total',
  'allowed_total',
  'kept_total',
  'widget_redactions_total',
  'sessions_total',
].map((name) => METRIC_PREFIX + name);

/**
 * Create the metrics in a new registry, every series of `labels` at zero.
 *
 * @param options.collectDefaults - also collect Node's default process metrics (default true)
 * @example
 * ```ts
 * const metrics = createMetrics(METRIC_LABELS); // src/metric-labels.ts gathers each part's vocabulary
 * ```
 */
export function createMetrics(labels: MetricLabels, options: { collectDefaults?: boolean } = {}): Metrics {
  const closeLabels = closeCodeLabels(labels.closeCodes);
  const registry = new client.Registry();
  if (options.collectDefaults ?? true) client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const messages = new CounterTally({
    name: `${METRIC_PREFIX}messages_total`,
    help: 'Messages redacted, by direction (inbound: widget to vendor; outbound: vendor replies).',
    labelNames: ['direction', 'endpoint'] as const,
    registers,
  });
  const redactions = new CounterTally({
    name: `${METRIC_PREFIX}redactions_total`,
    help: 'Number combinations deleted, by direction and kind.',
    labelNames: ['direction', 'kind', 'endpoint'] as const,
    registers,
  });
  const bytes = new CounterTally({
    name: `${METRIC_PREFIX}bytes_total`,
    help: 'UTF-8 bytes of text passed through redaction, by direction.',
    labelNames: ['direction', 'endpoint'] as const,
    registers,
  });
  const redactionDuration = new HistogramTally({
    name: `${METRIC_PREFIX}redaction_duration_seconds`,
    help: 'Time to redact one message.',
    buckets: REDACTION_BUCKETS,
    registers,
  });
  const vendorRequests = new CounterTally({
    name: `${METRIC_PREFIX}vendor_requests_total`,
    help: 'Requests to the chatbot vendor, by vendor kind and outcome.',
    labelNames: ['vendor', 'outcome', 'endpoint'] as const,
    registers,
  });
  const vendorDuration = new HistogramTally({
    name: `${METRIC_PREFIX}vendor_duration_seconds`,
    help: 'Time from sending a message to the vendor until its reply ended.',
    buckets: VENDOR_BUCKETS,
    registers,
  });
  const wsConnections = new client.Gauge({
    name: `${METRIC_PREFIX}ws_connections`,
    help: 'Open WebSocket chat connections.',
    registers,
  });
  const wsRejected = new client.Counter({
    name: `${METRIC_PREFIX}ws_rejected_total`,
    help: 'WebSocket upgrades refused, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const wsCloses = new client.Counter({
    name: `${METRIC_PREFIX}ws_closes_total`,
    help: 'WebSocket connections closed, by close code.',
    labelNames: ['code'] as const,
    registers,
  });
  const allowed = new CounterTally({
    name: `${METRIC_PREFIX}allowed_total`,
    help: 'Allow-listed public numbers kept, by direction.',
    labelNames: ['direction', 'endpoint'] as const,
    registers,
  });
  const kept = new CounterTally({
    name: `${METRIC_PREFIX}kept_total`,
    help: 'Numbers of a kept class (amounts, future dates, org numbers) kept, by direction and class.',
    labelNames: ['direction', 'class', 'endpoint'] as const,
    registers,
  });
  const widgetRedactions = new client.Counter({
    name: `${METRIC_PREFIX}widget_redactions_total`,
    help: 'Number combinations widgets report they removed in the browser before sending, by kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const sessions = new client.Counter({
    name: `${METRIC_PREFIX}sessions_total`,
    help: 'Chats by how their session began: new, resumed, or why a resume was refused.',
    labelNames: ['outcome'] as const,
    registers,
  });
  // Zero every label combination up front so dashboards show 0 rather than no data. Counted in
  // plain numbers, handed to prom-client at each counter's `collect` (metric-tallies.ts).
  const counting = countRedactedText(
    { messages, bytes, allowed, redactions, kept, duration: redactionDuration },
    DIRECTIONS,
    labels.kinds,
    labels.keptClasses,
  );
  for (const kind of labels.kinds) widgetRedactions.inc({ kind }, 0);
  for (const outcome of labels.sessionOutcomes) sessions.inc({ outcome }, 0);
  for (const reason of labels.upgradeRefusals) wsRejected.inc({ reason }, 0);
  for (const code of closeLabels) wsCloses.inc({ code }, 0);

  return {
    registry,
    messages: messages.counter,
    redactions: redactions.counter,
    bytes: bytes.counter,
    redactionDuration,
    vendorRequests: vendorRequests.counter,
    vendorDuration,
    wsConnections,
    wsRejected,
    wsCloses,
    allowed: allowed.counter,
    kept: kept.counter,
    widgetRedactions,
    sessions,
    countRedactions: counting.countRedactions,
    observeRedaction: counting.observeRedaction,
    observeClose(code) {
      const label = String(code);
      wsCloses.inc({ code: closeLabels.includes(label) ? label : OTHER_CLOSE_LABEL });
    },
    vendorTurnCounter(vendor, endpoint) {
      const seriesOf = new Map<string, number>();
      return (outcome, by = 1) => {
        let series = seriesOf.get(outcome);
        if (series === undefined) {
          series = vendorRequests.seriesByKey(endpoint === undefined ? `${vendor}\0${outcome}` : `${vendor}\0${outcome}\0${endpoint}`, () =>
            endpoint === undefined ? { vendor, outcome } : { vendor, outcome, endpoint },
          );
          seriesOf.set(outcome, series);
        }
        vendorRequests.add(series, by);
      };
    },
  };
}
