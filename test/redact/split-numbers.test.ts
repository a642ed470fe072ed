/**
 * A number sent in pieces: the leading run of a message that completes the last message's
 * trailing digits is deleted, within two minutes and `maxGap` separators, and only counts are
 * remembered. The property: whatever a text and however it is cut into messages, the messages as
 * they go on, joined, hold no sensitive combination — judged by the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACROSS_MESSAGES_WINDOW_MS, SplitNumbers, createPolicy, redact } from '../../src/redact/index.js';
import { chatText, cutAt, formattedNumber, policyArb, rawCuts } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';

const T0 = Date.UTC(2026, 11, 7, 12);

/** Each message as it goes on: redacted, then its leading run judged against the last message. */
function send(messages: readonly string[], policy = createPolicy(), step = 1_000): string[] {
  const guard = new SplitNumbers(policy);
  return messages.map((message, k) => guard.next(redact(message, policy).text, T0 + k * step).text);
}

describe('a number sent in pieces', () => {
  it('deletes the second half of a national id sent in two messages', () => {
    expect(send(['fnr 010190', '12345 takk'])).toEqual(['fnr 010190', ' takk']);
    expect(send(['010190', ' 12345'])).toEqual(['010190', ' ']);
  });

  it('keeps what could not join: too few digits, too long apart, a word or a line break between, too many separators', () => {
    expect(send(['0101', '90'])).toEqual(['0101', '90']);
    expect(send(['010190', '12345'], createPolicy(), ACROSS_MESSAGES_WINDOW_MS + 1)).toEqual(['010190', '12345']);
    expect(send(['010190 og', '12345'])).toEqual(['010190 og', '12345']);
    expect(send(['010190\n', '12345'])).toEqual(['010190\n', '12345']);
    expect(send(['010190  ', '  12345'])).toEqual(['010190  ', '  12345']);
    expect(send(['010190 ', '  12345'])).toEqual(['010190 ', '  ']);
  });

  it('counts on through messages that are nothing but digits or separators', () => {
    expect(send(['01', '01', '90', '1'])).toEqual(['01', '01', '90', '']);
    expect(send(['0101', ' ', '901'])).toEqual(['0101', ' ', '']);
    expect(send(['0101', ' ', '  ', '901'])).toEqual(['0101', ' ', '  ', '']);
    expect(send(['0101', ' ', '   ', '901'])).toEqual(['0101', ' ', '   ', '901']);
  });

  it('remembers counts only, and takes them up again (a resume elsewhere)', () => {
    const first = new SplitNumbers(createPolicy());
    first.next('fnr 010190', T0);
    expect(first.tail).toEqual({ digits: 6, gap: 0, at: T0 });
    const elsewhere = new SplitNumbers(createPolicy(), first.tail);
    expect(elsewhere.peek('12345 takk', T0 + 5_000)).toEqual({ text: ' takk', split: true });
    expect(elsewhere.tail).toEqual(first.tail);
    expect(elsewhere.next('12345', T0 + 5_000)).toEqual({ text: '', split: true });
    // Nothing went on of that message: the vendor's last digits are still the six before it.
    expect(elsewhere.tail).toEqual({ digits: 6, gap: 0, at: T0 + 5_000 });
    expect(elsewhere.next('takk', T0 + 6_000)).toEqual({ text: 'takk', split: false });
    expect(elsewhere.tail.digits).toBe(0);
  });

  it('puts the replacement where the run was', () => {
    expect(send(['010190', '12345 takk'], createPolicy({ replacement: '[fjernet]' }))).toEqual(['010190', '[fjernet] takk']);
  });

  it('never lets a sensitive combination reach the vendor across messages, however a text is cut (property)', () => {
    const text = fc.array(fc.oneof(formattedNumber, chatText), { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, rawCuts(8), policyArb, (whole, cuts, options) => {
        const policy = createPolicy(options);
        // Cut between code points: every door makes a message's text well-formed before it is read.
        const sent = send(cutAt(Array.from(whole), cuts).map((points) => points.join('')), policy);
        expect(countLeaks(sent.join(''), policy)).toBe(0);
      }),
      { numRuns: 1500, interruptAfterTimeLimit: 8_000 },
    );
  });
});
