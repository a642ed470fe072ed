import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReplyPart } from '../../src/chatbot/chatbot.js';
import { CodedError } from '../../src/errors.js';
import { normalizeLineBreaks } from '../../src/line-breaks.js';
import { ActionRegistry } from '../../src/gateway/action-registry.js';
import type { ReplyFrame } from '../../src/gateway/protocol.js';
import { relayReply, type RelayOptions } from '../../src/gateway/reply-relay.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { METRIC_LABELS } from '../../src/metric-labels.js';
import { createPolicy } from '../../src/redact/index.js';
import { cutAt, rawCuts } from '../support/arbitraries.js';
import { countLeaks } from '../support/leak-judge.js';
import { referenceRedact } from '../support/reference.js';

function relay(parts: AsyncIterable<ReplyPart> | readonly ReplyPart[], options: RelayOptions, maxReplyBytes = 1_048_576) {
  const frames: ReplyFrame[] = [];
  const metrics = createMetrics(METRIC_LABELS, { collectDefaults: false });
  const source = Symbol.asyncIterator in parts ? parts : (async function* replay() { yield* parts; })();
  const outcome = relayReply(source, options, { policy: createPolicy(), metrics, actions: new ActionRegistry(), maxReplyBytes, send: (frame) => frames.push(frame) });
  return { frames, metrics, outcome };
}

const text = (value: string): ReplyPart => ({ type: 'text', text: value });
const joined = (frames: ReplyFrame[]): string => frames.map((frame) => frame.text).join('');

async function messagesOut(metrics: ReturnType<typeof createMetrics>): Promise<number> {
  const { values } = await metrics.messages.get();
  return values.find((v) => v.labels.direction === 'outbound')?.value ?? 0;
}

describe('relayReply', () => {
  it('sends what is released within one turn as one frame, and ends with a final frame', async () => {
    const { frames, outcome } = relay(
      (async function* () {
        yield text('Hei ');
        yield text('der, ');
        await nextTurn();
        await nextTurn();
        yield text('ring 22 33');
        yield text(' 44 55.');
      })(),
      { id: 'm', stream: true },
    );
    expect(await outcome).toEqual({ ok: true, shown: undefined });
    expect(frames).toEqual([
      { type: 'reply', id: 'm', text: 'Hei der, ', final: false },
      // The end came in the same turn as the last parts: one final frame.
      { type: 'reply', id: 'm', text: 'ring .', final: true },
    ]);
  });

  it('property: a number split across parts anywhere never reaches the widget', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<string>('Ring 22 33 44 55 nå', 'fnr ０１０１９０ １２３４５.', 'konto 7694.05.20300 takk'), rawCuts(6), async (reply, cuts) => {
        const { frames, outcome } = relay(cutAt(reply, cuts).map(text), { id: 'm', stream: true });
        await outcome;
        expect(joined(frames)).toBe(referenceRedact(reply).text);
        for (const frame of frames) expect(countLeaks(frame.text)).toBe(0);
      }),
    );
  });

  it('puts actions on the next frame, with opaque ids and redacted labels', async () => {
    const { frames, outcome } = relay([text('Velg:'), { type: 'actions', actions: [{ label: 'Konto 7694.05.20300', payload: 'acct' }, { label: 'Mer', payload: 'more' }] }], {
      id: 'm',
      stream: true,
    });
    await outcome;
    expect(frames).toEqual([
      {
        type: 'reply',
        id: 'm',
        text: 'Velg:',
        final: true,
        actions: [
          { id: expect.stringMatching(/^[a-z]{12}$/), label: 'Konto ' },
          { id: expect.stringMatching(/^[a-z]{12}$/), label: 'Mer' },
        ],
      },
    ]);
  });

  it('sends the vendor’s own message whole, in one final frame without an id; nothing when it said nothing', async () => {
    const spoken = relay([text('Hei, '), text('jeg er Kari.')], { stream: false });
    await spoken.outcome;
    expect(spoken.frames).toEqual([{ type: 'reply', text: 'Hei, jeg er Kari.', final: true }]);
    expect(await messagesOut(spoken.metrics)).toBe(1);
    const silent = relay([], { stream: false });
    expect(await silent.outcome).toEqual({ ok: true, shown: undefined });
    expect(silent.frames).toEqual([]);
    expect(await messagesOut(silent.metrics)).toBe(0);
    // A reply to a message always ends with a final frame, even an empty one.
    const empty = relay([], { id: 'm', stream: true });
    await empty.outcome;
    expect(empty.frames).toEqual([{ type: 'reply', id: 'm', text: '', final: true }]);
  });

  it('cuts a reply past MAX_REPLY_BYTES: what fit, then vendor_error', async () => {
    let asked = 0;
    const { frames, outcome } = relay(
      (async function* () {
        for (;;) {
          asked += 1;
          yield text('x'.repeat(100));
        }
      })(),
      { id: 'm', stream: true },
      1_000,
    );
    expect(await outcome).toMatchObject({ ok: false, code: 'vendor_error' });
    expect(joined(frames)).toBe('x'.repeat(1_000));
    expect(frames.at(-1)?.final).toBe(false);
    expect(asked).toBe(11);
  });

  it('property: a reply is cut at the first piece past MAX_REPLY_BYTES, counted in UTF-8 bytes whatever the script; line breaks written \\n', async () => {
    // No digits: what is relayed is the text itself, so the cut is what is judged.
    const piece = fc.array(fc.constantFrom('a', ' ', 'æ', 'ø', '€', '😀', '\r', '\n', '\u2028', 'ﬀ'), { maxLength: 12 }).map((units) => units.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 0, max: 160 }), fc.boolean(), async (pieces, limit, turns) => {
        const { frames, metrics, outcome } = relay(
          (async function* () {
            for (const [k, value] of pieces.entries()) {
              if (turns && k % 3 === 2) await nextTurn();
              yield text(value);
            }
          })(),
          { id: 'm', stream: true },
          limit,
        );
        let fit = 0;
        let bytes = 0;
        while (fit < pieces.length && bytes + Buffer.byteLength(pieces[fit]!) <= limit) bytes += Buffer.byteLength(pieces[fit++]!);
        const result = await outcome;
        expect(result.ok).toBe(fit === pieces.length);
        expect(joined(frames)).toBe(normalizeLineBreaks(pieces.slice(0, fit).join('')));
        const { values } = await metrics.bytes.get();
        expect(values.find((v) => v.labels.direction === 'outbound')?.value).toBe(bytes);
      }),
    );
  });

  it('after a vendor failure, sends what was released and reports its code', async () => {
    const { frames, outcome } = relay(
      (async function* () {
        yield text('Halvt svar 22 33');
        throw new CodedError('vendor_timeout');
      })(),
      { id: 'm', stream: true },
    );
    expect(await outcome).toMatchObject({ ok: false, code: 'vendor_timeout' });
    expect(joined(frames)).toBe('Halvt svar 22 33');
    expect(frames.at(-1)?.final).toBe(false);
  });

  it('returns the whole reply as shown when asked, redacted', async () => {
    const { outcome } = relay([text('Ring 22 33'), text(' 44 55 i dag')], { id: 'm', stream: true, keepText: true });
    expect(await outcome).toEqual({ ok: true, shown: 'Ring  i dag' });
  });
});
