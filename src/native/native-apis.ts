/**
 * The vendor kinds whose own API the gateway can serve (`NATIVE_API=on`), each by its module.
 * A new one is one module beside these (a {@link NativeApiFactory}: its
 * routes, what is user text in its wire format, its error shape) and one line here; the core,
 * the configuration's check and the composition root take it from this table.
 *
 * @module
 */
import { createDirectLineNativeApi } from './directline-native.js';
import type { NativeApiFactory } from './native-api.js';
import { createBoostNativeApi } from './boost-native.js';
import { createOpenAiNativeApi } from './openai-native.js';
import { createRasaNativeApi } from './rasa-native.js';

/** Each vendor kind's native API. */
export const NATIVE_APIS = Object.freeze({
  directline: createDirectLineNativeApi,
  openai: createOpenAiNativeApi,
  rasa: createRasaNativeApi,
  boost: createBoostNativeApi,
} satisfies Record<string, NativeApiFactory>);

/** A vendor kind whose API can be served. */
export type NativeKind = keyof typeof NATIVE_APIS;

/** The kinds of {@link NATIVE_APIS}, for the configuration's check. */
export const NATIVE_KINDS: readonly string[] = Object.freeze(Object.keys(NATIVE_APIS));

/** Whether `kind`'s API can be served. */
export function isNativeKind(kind: string): kind is NativeKind {
  return Object.hasOwn(NATIVE_APIS, kind);
}
