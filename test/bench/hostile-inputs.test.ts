/**
 * The inputs of the hostile suite (`bench/lib/hostile-inputs.js`): benign text and each family
 * of about the same size, so that a family is raced against benign text of its own size.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the benchmarks are plain JavaScript, typed by JSDoc
import { benignText, hostileJsonLines, hostileTexts } from '../../bench/lib/hostile-inputs.js';

const KiB = 1024;
const size = 64 * KiB;
const bytes = (text: string) => Buffer.byteLength(text);

describe('hostile inputs', () => {
  it('cuts benign text and every text family to the size asked, or a line more', () => {
    expect(bytes(benignText(size))).toBeGreaterThanOrEqual(size);
    expect(bytes(benignText(size))).toBeLessThan(size + 200);
    for (const { family, text } of hostileTexts(size)) {
      expect(bytes(text), family).toBeGreaterThanOrEqual(size);
      expect(bytes(text), family).toBeLessThan(size + 5 * KiB);
    }
  });

  it('makes benign JSON lines as large as a JSON family, not twice as large', () => {
    const { benign, families } = hostileJsonLines(size);
    expect(bytes(benign)).toBeGreaterThanOrEqual(size);
    expect(bytes(benign)).toBeLessThan(size + 400);
    for (const line of benign.trimEnd().split('\n')) expect(JSON.parse(line)).toMatchObject({ level: 30 });
    for (const { family, text } of families) expect(bytes(text) / bytes(benign), family).toBeGreaterThan(0.9);
  });
});
