/**
 * Checks for JSON read from outside — frames from the gateway, what storage gives back — written
 * out by hand rather than with a schema library: the browser client and the widget carry no
 * validation library (zod was most of the 209 KB chunk the widget and `/redact.js` shared; the
 * client with the engine stays under 25 KB gzipped). Each reader builds a new object of the known fields only, so nothing
 * unchecked rides along.
 *
 * @module
 */

/** A JSON object: not `null`, not an array. */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string of at least one character (and at most `maxLength`). */
export function isNonEmptyString(value: unknown, maxLength = Number.POSITIVE_INFINITY): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

/** A whole number from 0 up, as a count is. */
export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** `check(value)`, or `value` absent. */
export function isAbsentOr<T>(value: unknown, check: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || check(value);
}

/** Each item of `value` as `read` gives it back, or `undefined` when `value` is no array or one item fails. */
export function readEvery<T>(value: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: T[] = [];
  for (const item of value) {
    const checked = read(item);
    if (checked === undefined) return undefined;
    items.push(checked);
  }
  return items;
}
