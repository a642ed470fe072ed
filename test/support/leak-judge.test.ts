import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countJsonLeaks, countLeaks, countLogLineLeaks, countMetricsLeaks } from './leak-judge.js';

describe('the leak judge', () => {
  it('reads a JSON value as a client does: its strings parsed, not its escapes; skipped fields aside', () => {
    expect(countJsonLeaks({ say: '\u0000 000 ', other: '\ud835 12' })).toBe(0); // `\u0000 000` is digits only as JSON text
    expect(countLeaks(JSON.stringify({ say: '\u0000 000 ' }))).toBe(1);
    expect(countJsonLeaks({ a: ['ring 98 76'], b: { c: '54 32' } })).toBe(0); // fields never join
    expect(countJsonLeaks({ a: ['ring 98 76 54 32'], id: 'x-12345678' })).toBe(2);
    expect(countJsonLeaks({ a: 'ok', id: 'x-12345678' }, (key) => key === 'id')).toBe(0);
  });

  it('counts combinations of 7+ digits as the policy defines them, in any script and with separators', () => {
    expect(countLeaks('fnr 010190 12345, tlf +47 98 76 54 32')).toBe(2);
    expect(countLeaks('ring ٩١٢٣٤٥٦٧ nå')).toBe(1);
    expect(countLeaks('fnr 0101\u200b9012345')).toBe(1);
    expect(countLeaks('kort 4111-1111-1111-1111')).toBe(1);
    expect(countLeaks('Postboks 450 Alnabru, 0614 Oslo; 1 250 kr; 123\n4567')).toBe(0);
    expect(countLeaks('12 34 56 7')).toBe(1);
    expect(countLeaks('12    34 56 7')).toBe(0); // four separators: two combinations of 2 and 5
    expect(countLeaks('1234567', { minDigits: 8, maxGap: 3, replacement: '' })).toBe(0);
  });

  it("judges a log line without pino's own time, pid and hostname, and anything else in full", () => {
    const line = { level: 30, time: 1_764_590_400_000, pid: 1_234_567, hostname: 'host-12345678', msg: 'chat opened' };
    expect(countLogLineLeaks(line)).toBe(0);
    expect(countLogLineLeaks(JSON.stringify(line))).toBe(0);
    expect(countLogLineLeaks({ ...line, conversationId: 'c-98765432' })).toBe(1);
    expect(countLogLineLeaks({ ...line, durationMs: 12_345_678 })).toBe(1);
    expect(countLogLineLeaks('not json: tlf 98765432')).toBe(1);
  });

  it('judges a metrics exposition without its sample values, bucket bounds and comments', () => {
    const exposition = [
      '# HELP chat_redact_redaction_seconds Time 0.0000025 to 12345678',
      'chat_redact_redaction_seconds_bucket{le="0.0000025",direction="inbound"} 12345678',
      'chat_redact_redactions_total{direction="inbound",kind="phone"} 98765432',
    ].join('\n');
    expect(countMetricsLeaks(exposition)).toBe(0);
    expect(countMetricsLeaks(`${exposition}\nchat_redact_odd_total{label="98765432"} 1`)).toBe(1);
  });

  it('is written apart from the engine: neither it nor the reference imports anything from src/', () => {
    for (const file of ['leak-judge.ts', 'reference.ts']) {
      const text = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/from '[^']*src\//);
    }
  });
});
