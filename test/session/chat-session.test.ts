import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SAVED_ACTIONS,
  MAX_SESSION_STATE_BYTES,
  composeChatSession,
  readChatSession,
  sessionStateBudget,
  type ActionEntry,
} from '../../src/session/chat-session.js';
import { createSessionSealer } from '../../src/session/session-sealer.js';

const CONVERSATION = 'qwertyuiopasdfghjklz';
const NO_IDS = { issued: 0, standIns: [] };

function action(n: number, labelLength = 10): ActionEntry {
  const id = 'abcdefghijkl'.slice(0, 11) + 'abcdefghijklmnopqrstuvwxyz'[n % 26]!;
  return [id, { label: 'x'.repeat(labelLength), payload: { n } }];
}

describe('sessionStateBudget', () => {
  it('keeps a resume frame with the whole token within the frame limit', () => {
    const sealer = createSessionSealer({ secrets: [], ttlSeconds: 60 });
    for (const frameBytes of [512, 1024, 4096, 16_384]) {
      const budget = sessionStateBudget(frameBytes);
      const wrapper = Buffer.byteLength(JSON.stringify({ c: CONVERSATION, v: '' }));
      const state = { c: CONVERSATION, v: 'y'.repeat(budget - wrapper) };
      expect(Buffer.byteLength(JSON.stringify(state))).toBe(budget);
      const frame = JSON.stringify({ type: 'resume', token: sealer.seal(state) });
      expect(Buffer.byteLength(frame), `${frameBytes}`).toBeLessThanOrEqual(frameBytes);
    }
  });

  it('is at most the fixed ceiling, and room for the conversation id at the smallest frame', () => {
    expect(sessionStateBudget(1_048_576)).toBe(MAX_SESSION_STATE_BYTES);
    expect(sessionStateBudget(512)).toBeGreaterThan(200);
  });
});

describe('composeChatSession', () => {
  it('carries the conversation, the vendor state, stand-in ids and actions, oldest actions first', () => {
    const state = composeChatSession(4096, {
      conversationId: CONVERSATION,
      ids: { issued: 2, standIns: [['fnr 12', '@a'], ['😀', '@b']] },
      actions: [action(0), action(1)],
      vendorState: () => ({ conversationId: 'boost-99' }),
    });
    expect(state).toEqual({
      c: CONVERSATION,
      v: { conversationId: 'boost-99' },
      ids: { issued: 2, standIns: [['fnr 12', '@a'], ['😀', '@b']] },
      a: [action(0), action(1)].map(([id, { label, payload }]) => [id, { l: label, p: payload }]),
    });
    expect(readChatSession(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('keeps the newest stand-in ids that fit in half the budget, so the vendor keeps its room', () => {
    const digest = (n: number) => `${'abcdefghijklmnopqrstu'}${'abcdefghijklmnopqrstuvwxyz'[n % 26]}`;
    const standIns = Array.from({ length: 64 }, (_, n) => [digest(n), `@${'abcdefghijklmnopqrstuvwxyz'[n % 26]}`] as [string, string]);
    for (const budget of [sessionStateBudget(512), 1024, sessionStateBudget(16_384)]) {
      let offered = 0;
      const state = composeChatSession(budget, {
        conversationId: CONVERSATION,
        ids: { issued: 64, standIns },
        actions: [],
        vendorState: (maxBytes) => {
          offered = maxBytes;
          return { fill: 'v'.repeat(Math.max(0, maxBytes - 12)) };
        },
      });
      const kept = state.ids?.standIns ?? [];
      expect(kept.length, `${budget}`).toBeGreaterThan(0);
      expect(kept).toEqual(standIns.slice(-kept.length));
      expect(Buffer.byteLength(JSON.stringify({ c: CONVERSATION, ids: state.ids }))).toBeLessThanOrEqual(budget / 2);
      expect(offered).toBeGreaterThanOrEqual(budget / 2 - ',"v":'.length);
      expect(Buffer.byteLength(JSON.stringify(state)), `${budget}`).toBeLessThanOrEqual(budget);
    }
  });

  it('leaves out what is empty', () => {
    expect(composeChatSession(4096, { conversationId: CONVERSATION, ids: NO_IDS, actions: [], vendorState: () => undefined })).toEqual({ c: CONVERSATION });
  });

  it('gives the vendor the room first, and fills what is left with the newest actions', () => {
    const budget = 2048;
    let offered = 0;
    const state = composeChatSession(budget, {
      conversationId: CONVERSATION,
      ids: NO_IDS,
      actions: Array.from({ length: 40 }, (_, n) => action(n, 40)),
      vendorState: (maxBytes) => {
        offered = maxBytes;
        return { history: 'h'.repeat(1500) };
      },
    });
    // The room left once the vendor's state has its key (`,"v":`) too.
    expect(offered).toBe(budget - Buffer.byteLength(JSON.stringify({ c: CONVERSATION })) - ',"v":'.length);
    expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThanOrEqual(budget);
    const kept = state.a ?? [];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(MAX_SAVED_ACTIONS);
    // The newest ones, in their order.
    expect(kept.map(([, a]) => (a.p as { n: number }).n)).toEqual(Array.from({ length: kept.length }, (_, k) => 40 - kept.length + k));
  });

  it('property: whatever the parts, the state fits its budget when the vendor keeps to its share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: MAX_SESSION_STATE_BYTES }),
        fc.array(fc.tuple(fc.string({ maxLength: 64 }), fc.nat({ max: 200 })), { maxLength: 60 }),
        fc.string({ maxLength: 9000 }),
        (budget, labels, history) => {
          const actions = labels.map(([label, n], k): ActionEntry => [action(k)[0], { label, payload: n }]);
          const state = composeChatSession(budget, {
            conversationId: CONVERSATION,
            ids: NO_IDS,
            actions,
            vendorState: (maxBytes) => {
              let text = history;
              while (text !== '' && Buffer.byteLength(JSON.stringify(text)) > maxBytes) text = text.slice(1);
              return text === '' ? undefined : text;
            },
          });
          expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThanOrEqual(budget);
          expect(readChatSession(JSON.parse(JSON.stringify(state)))).toEqual(state);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('readChatSession', () => {
  it('refuses states of another shape', () => {
    for (const state of [undefined, null, 'x', {}, { c: 'has digits 123' }, { c: CONVERSATION, a: [['short', { l: 'x' }]] }, { c: CONVERSATION, ids: { issued: -1, standIns: [] } }]) {
      expect(readChatSession(state)).toBeUndefined();
    }
  });
});
