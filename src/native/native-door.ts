/**
 * The native API as the composition root opens it (`NATIVE_API=on`): the configured vendor's
 * module from the table, over a shared vendor core of its own — counted with
 * `endpoint="native"`, and holding `VENDOR_TOKEN` only when `NATIVE_TOKEN` stands for it, so that
 * without `NATIVE_TOKEN` no client can spend the gateway's key.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Router } from 'express';
import type { ClientOverrides, ConfiguredVendor } from '../chatbot/create-chatbot.js';
import { createVendorClientFor } from '../chatbot/create-chatbot.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Policy } from '../redact/index.js';
import { documentedRoutes, type DocumentedRoute } from './native-api.js';
import { NATIVE_APIS, isNativeKind } from './native-apis.js';
import { NATIVE_ENDPOINT, openNativeRoutes, type NativeFastRoute } from './native-core.js';
import { createNativeStreamBridge } from './native-stream.js';

/** A request body is accepted up to at least this size: an LLM request carries its whole conversation. */
export const NATIVE_BODY_FLOOR_BYTES = 1_048_576;

/** What the native API is built from. */
export interface NativeDoorOptions {
  readonly vendor: ConfiguredVendor;
  /** `NATIVE_TOKEN`. */
  readonly token: string | undefined;
  readonly policy: Policy;
  readonly allowedOrigins: readonly string[];
  /** `MAX_MESSAGE_BYTES`: a request may be this large, and at least {@link NATIVE_BODY_FLOOR_BYTES}. */
  readonly maxMessageBytes: number;
  /** `MAX_REPLY_BYTES`: the largest answer buffered whole. */
  readonly maxReplyBytes: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly overrides?: ClientOverrides;
  /** `true` while the process drains (see the core). */
  readonly isDraining?: () => boolean;
}

/** The open native API: its routes, and its vendor core to close. */
export interface NativeDoor {
  readonly router: Router;
  /** The same routes (not the preflights) to serve before express (`http/fast-routes.ts`), with the router's handlers. */
  readonly fastRoutes: readonly NativeFastRoute[];
  /** What is served, for the OpenAPI document: the routes, and the stream as a GET that upgrades. */
  readonly routes: readonly DocumentedRoute[];
  /** Take an `upgrade` for the vendor's stream (Direct Line's); `false`: not the stream's, for another endpoint. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

/**
 * Open the native API of `options.vendor`'s kind.
 *
 * @throws `RangeError` for a kind without a native module (the configuration refuses it first)
 * @example
 * ```ts
 * const door = openNativeDoor({ vendor: config.vendor, token: config.native.token, policy, allowedOrigins, maxMessageBytes, maxReplyBytes, metrics, logger });
 * app.use(door.router);
 * ```
 */
export function openNativeDoor(options: NativeDoorOptions): NativeDoor {
  const { vendor, token, metrics, logger } = options;
  if (!isNativeKind(vendor.kind)) throw new RangeError(`no native API for ${vendor.kind}`);
  const api = NATIVE_APIS[vendor.kind]({ baseUrl: vendor.url, answerLimitBytes: options.maxReplyBytes });
  const client = createVendorClientFor(vendor, metrics, logger, options.overrides, {
    endpoint: NATIVE_ENDPOINT,
    token: token === undefined ? undefined : vendor.token,
  });
  const { router, fastRoutes } = openNativeRoutes({
    api,
    client,
    policy: options.policy,
    allowedOrigins: options.allowedOrigins,
    nativeToken: token,
    requestLimitBytes: Math.max(options.maxMessageBytes, NATIVE_BODY_FLOOR_BYTES),
    ...(options.isDraining !== undefined && { isDraining: options.isDraining }),
    metrics,
    logger,
  });
  const bridge =
    api.stream === undefined
      ? undefined
      : createNativeStreamBridge({ stream: api.stream, client, policy: options.policy, allowedOrigins: options.allowedOrigins, metrics, logger, endpoint: NATIVE_ENDPOINT });
  return {
    router,
    fastRoutes,
    routes: documentedRoutes(api),
    handleUpgrade: (request, socket, head) => bridge?.handleUpgrade(request, socket, head) ?? false,
    close: () => {
      bridge?.close();
      return client.close();
    },
  };
}
