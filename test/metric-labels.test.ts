import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, UNCHOSEN_CLOSE_CODES } from '../src/errors.js';
import { UPGRADE_REFUSALS } from '../src/gateway/upgrade-policy.js';
import { METRIC_LABELS, WS_CLOSE_LABELS } from '../src/metric-labels.js';
import { COUNTED_KINDS } from '../src/redact/index.js';
import { SESSION_OUTCOMES } from '../src/session/chat-session.js';
import { OPEN_FAILURES } from '../src/session/session-sealer.js';

describe('METRIC_LABELS', () => {
  it('hands on each part’s own vocabulary, not a copy of it', () => {
    expect(METRIC_LABELS.kinds).toBe(COUNTED_KINDS);
    expect(METRIC_LABELS.sessionOutcomes).toBe(SESSION_OUTCOMES);
    expect(METRIC_LABELS.upgradeRefusals).toBe(UPGRADE_REFUSALS);
  });

  it('derives the session outcomes from why a token does not open', () => {
    expect(SESSION_OUTCOMES).toEqual(['new', 'resumed', ...OPEN_FAILURES]);
  });

  it('counts closes by the gateway’s codes and the two reported locally; 1002 of ws counts as other', () => {
    expect(METRIC_LABELS.closeCodes).toEqual([...Object.values(CLOSE_CODES), 1005, 1006]);
    expect(WS_CLOSE_LABELS).not.toContain(String(UNCHOSEN_CLOSE_CODES.protocolError));
    expect(WS_CLOSE_LABELS.at(-1)).toBe('other');
  });
});
