/**
 * Invariant 5 for one text, policy and set of cuts: the string stream and the byte stream, cut
 * anywhere, give the one-shot output and the same counts. Shared by the properties of the keep
 * mechanisms (allow-lists and date-times, kept classes).
 */
import { expect } from 'vitest';
import { ByteRedactor, StreamRedactor, redact, type Policy } from '../../src/redact/index.js';
import { cutAt, streamThrough } from './arbitraries.js';

/** The counts a redactor and a one-shot result both have. */
export interface Counted {
  readonly redactions: number;
  readonly allowed: number;
  readonly kept: number;
  readonly keptClasses: object;
}

/** Assert that `text` cut at `cuts` redacts as one-shot does, as a string and as UTF-8 bytes, with the counts `countsOf` picks. */
export function expectChunkingAgrees(text: string, policy: Policy, cuts: readonly number[], countsOf: (counted: Counted) => unknown[]): void {
  const expected = redact(text, policy);
  const stream = new StreamRedactor(policy);
  expect(streamThrough(stream, cutAt(text, cuts))).toBe(expected.text);
  expect(countsOf(stream)).toEqual(countsOf(expected));
  const wellFormed = text.toWellFormed();
  const whole = redact(wellFormed, policy);
  const bytes = new ByteRedactor(policy);
  const out = Buffer.concat([...cutAt(Buffer.from(wellFormed, 'utf8'), cuts).map((chunk) => bytes.push(chunk)), bytes.end()]);
  expect(out.toString('utf8')).toBe(whole.text);
  expect(countsOf(bytes)).toEqual(countsOf(whole));
}
