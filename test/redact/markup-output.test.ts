import { describe, expect, it } from 'vitest';
import { HtmlRedactor, redactHtml } from '../../src/redact/html-redactor.js';
import { MarkdownRedactor, redactMarkdown } from '../../src/redact/markdown-redactor.js';
import { MAX_MARKUP_RUN } from '../../src/redact/markup-output.js';
import { countLeaks } from '../support/leak-judge.js';

/** Stream `text` in `size`-unit chunks; the output and the most source ever held back. */
function stream(redactor: HtmlRedactor | MarkdownRedactor, text: string, size: number): { out: string; held: number } {
  let out = '';
  let held = 0;
  for (let i = 0; i < text.length; i += size) {
    out += redactor.push(text.slice(i, i + size));
    held = Math.max(held, redactor.heldLength);
  }
  return { out: out + redactor.end(), held };
}

describe('markup output', () => {
  it('holds back a bounded amount however much markup stands between two digits', () => {
    for (const [redactor, hostile, whole] of [
      [new HtmlRedactor(), `12 3${'<b></b>'.repeat(20_000)}4567 x`, redactHtml],
      [new MarkdownRedactor(), `12 3${'**'.repeat(40_000)}4567 x`, redactMarkdown],
    ] as const) {
      const { out, held } = stream(redactor, hostile, 1000);
      expect(held).toBeLessThan(MAX_MARKUP_RUN + 2000);
      expect(out).toBe(whole(hostile).text);
      expect(countLeaks(out)).toBe(0);
      expect(out.endsWith(' x')).toBe(true);
    }
  });

  it('writes text out as soon as it is decided, in order, markup included', () => {
    const redactor = new HtmlRedactor();
    expect(redactor.push('<p>a 12 3')).toBe('<p>a ');
    expect(redactor.heldLength).toBe(4);
    expect(redactor.push('<i>x</i>')).toBe('12 3<i>x</i>');
    expect(redactor.end()).toBe('');
  });

  it('costs time linear in the input, benign or hostile', () => {
    // CPU time, the least of three runs: what other work on a shared machine adds is not the code's.
    const time = (text: string): number => {
      let least = Infinity;
      for (let k = 0; k < 3; k++) {
        const start = process.cpuUsage();
        redactHtml(text);
        redactMarkdown(text);
        const used = process.cpuUsage(start);
        least = Math.min(least, used.user + used.system);
      }
      return least;
    };
    for (const unit of ['9<b>8</b>7<i>6</i> ', '<span title="98 76 54 32">', '1&#x32;&nbsp;3&#52;', '9*8*_7_ \n- 1. ', '<b 1 <p 2 < 3 </', '[a](b(c](x ']) {
      time(unit.repeat(4_000));
      const small = time(unit.repeat(500));
      const large = time(unit.repeat(4_000));
      // Eight times the input: linear is 8×; a quadratic cost would be 64×. Generous for a busy machine.
      expect(large / small, unit).toBeLessThan(8 * 3);
    }
  }, 90_000);
});
