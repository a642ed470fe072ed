import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HtmlRedactor, redactHtml } from '../../src/redact/html-redactor.js';
import { createPolicy } from '../../src/redact/policy.js';
import { cutAt, policyArb, rawCuts, streamThrough } from '../support/arbitraries.js';
import { brokenHtml, htmlDocument } from '../support/markup-arbitraries.js';
import { countHtmlLeaks, renderedText, shapeOf } from '../support/markup-judge.js';

/** `MARKUP_RUNS`, `MARKUP_MS` (the time box) and `MARKUP_SEED` (to replay or vary a stress run) from the environment. */
const RUNS = {
  numRuns: Number(process.env.MARKUP_RUNS ?? 300),
  interruptAfterTimeLimit: Number(process.env.MARKUP_MS ?? 20_000),
  ...(process.env.MARKUP_SEED === undefined ? {} : { seed: Number(process.env.MARKUP_SEED) }),
};

describe('redactHtml', () => {
  it.each([
    ['21 <b>49</b> 60&#160;00', '<b></b>'],
    ['<p>Ring <b>98</b> 76 54 32 nå</p>', '<p>Ring <b></b> nå</p>'],
    ['fnr <i>0101</i>90&#x20;12345, takk', 'fnr <i></i>, takk'],
    ['1&#x32;3&#52;5&nbsp;6 7 kr', ' kr'],
    ['98\n76\n54\n32 ok', ' ok'], // HTML shows a line break in the source as a space
    ['<p>123</p><p>4567</p>', '<p>123</p><p>4567</p>'], // two paragraphs: two lines
    ['123<br>4567', '123<br>4567'],
    ['123<td>4567', '<td>'], // cells side by side read as one number: deleted
    ['Betal til 7694.05.20300 i dag', 'Betal til  i dag'],
    ['<span title="fnr 01019012345">hei</span>', '<span title="fnr ">hei</span>'],
    ['<img alt="tlf 98765432" src="a.png">', '<img alt="tlf " src="a.png">'],
    ['<a href="https://bank.example/faktura/12345678">faktura</a>', '<a >faktura</a>'],
    ['<a href="https://bank.example/hjelp">ring 98765432</a>', '<a href="https://bank.example/hjelp">ring </a>'],
    ['<!-- kunde 12345678 --> hei', '<!-- kunde   --> hei'],
    ['<script>var id = 12345678;</script> hei', '<script>var id =  ;</script> hei'],
    ['<style>a::after{content:"98765432"}</style>', '<style>a::after{content:" "}</style>'],
    ['&#0000055; og &#1234567;', '7 og \ufffd'], // a reference whose own digits make a number is written as its character
    ['<1234567b> x', '&lt;b> x'], // deleting must not turn `<` that is text into a tag
    ['123&nb1234567sp;4567', '123&amp;nbsp;4567'], // nor `&` that is text into a reference
    ['a &frac12; &amp; b &lt;1&gt;', 'a &frac12; &amp; b &lt;1&gt;'],
    ['x &#160 1234 y', 'x &#160; 1234 y'], // `;` added so the reference's digits end there
    ['<textarea>1234567</textarea>', '<textarea> </textarea>'],
    // RCDATA decodes references, a numeric one without `;` too; raw text decodes none.
    ['<textarea>12&#51 4567</textarea>', '<textarea> </textarea>'],
    ['<title>12&#x33 4567</title>', '<title> </title>'],
    ['<script>12&#51 4567</script>', '<script>12&#51 4567</script>'],
    // A value decodes `&#51` and `&nbsp` without `;`, but not `&nbsp` before `=` or an alphanumeric.
    ['<a title="12&#51 4567">x</a>', '<a title="">x</a>'],
    ['<a title=123&nbsp;4567>x</a>', '<a title=>x</a>'],
    ['<a title=123&nbsp4567>x</a>', '<a title=123&nbsp4567>x</a>'],
    ['<a title="123&nbsp=4567">x</a>', '<a title="123&nbsp=4567">x</a>'],
    // Past 72 digits a reference is read as text: U+FFFD, or a run of zeros that goes whole.
    [`x &#${'0'.repeat(70)}51; y`, 'x 3 y'], // 72 digits: a reference, written as its character
    [`x &#${'0'.repeat(71)}51; y`, 'x &amp;#; y'],
    [`x &#${'9'.repeat(80)} y`, 'x &amp;# y'],
    ['ring 98 76 54 32\ud800', 'ring \ufffd'],
  ])('%j → %j', (input, expected) => {
    expect(redactHtml(input).text).toBe(expected);
  });

  it('counts each deleted combination once, by kind, wherever it stands', () => {
    const result = redactHtml('<p title="98765432">ring <b>98</b> 76 54 32</p><!-- 01019012345 -->');
    expect(result.redactions).toBe(3);
    expect(result.kinds).toEqual({ phone: 2, other: 1 });
  });

  it('writes the replacement once per combination, escaped for where it stands', () => {
    const policy = { replacement: '<fjernet & "borte">' };
    expect(redactHtml('21 <b>49</b> 60 00', policy).text).toBe('&lt;fjernet &amp; "borte"&gt;<b></b>');
    expect(redactHtml('<b title="98765432">x</b>', policy).text).toBe('<b title="&lt;fjernet &amp; &quot;borte&quot;&gt;">x</b>');
  });

  it('keeps allowed numbers, however they are marked up', () => {
    expect(redactHtml('Ring <b>21 49</b> 60&nbsp;00', { allow: ['21 49 60 00'] }).text).toBe('Ring <b>21 49</b> 60&nbsp;00');
  });
});

describe('HtmlRedactor (streaming)', () => {
  it('gives the one-shot output whatever the chunks, split inside tags, references and pairs', () => {
    const input = '<p class="a">Ring 21 <b>49</b> 60&#160;00 &#x1D7CF;&#x1d7d0; \ud835\udfce <a href="tel:98765432">x</a><!-- 12345678 --></p>';
    const whole = redactHtml(input).text;
    for (let cut = 0; cut <= input.length; cut++) {
      const redactor = new HtmlRedactor();
      expect(redactor.push(input.slice(0, cut)) + redactor.push(input.slice(cut)) + redactor.end()).toBe(whole);
    }
    const byUnit = new HtmlRedactor();
    expect([...input.split(''), ''].map((c) => byUnit.push(c)).join('') + byUnit.end()).toBe(whole);
  });

  it('holds back a bounded reference however many digits it has, in time linear in them', () => {
    const redactor = new HtmlRedactor();
    let out: string = redactor.push('x &#');
    const start = process.cpuUsage();
    for (let k = 0; k < 50_000; k++) out += redactor.push('0');
    out += redactor.push('51; y') + redactor.end();
    const used = process.cpuUsage(start);
    expect(out).toBe('x &amp;#; y');
    // One unit a chunk: held back whole, a reference of 50,000 digits took minutes (quadratic).
    expect((used.user + used.system) / 1000).toBeLessThan(5_000);
  });

  it('passes text on at once when no number is open', () => {
    const redactor = new HtmlRedactor();
    expect(redactor.push('<p>Hei <b>på</b> deg')).toBe('<p>Hei <b>på</b> deg');
    expect(redactor.push(' ring 98 76')).toBe(' ring ');
    expect(redactor.push(' 54 32</p>')).toBe('</p>');
  });
});

describe('HTML redaction properties', () => {
  const policies = fc.oneof(fc.constant(createPolicy()), policyArb.map((p) => createPolicy(p)));

  it('what a browser shows of the output, and everything else a client gets, holds no sensitive combination', () => {
    fc.assert(
      fc.property(fc.oneof(htmlDocument, brokenHtml), policies, (html, policy) => {
        expect(countHtmlLeaks(redactHtml(html, policy).text, policy)).toBe(0);
      }),
      RUNS,
    );
  });

  it('the output parses to the same element tree', () => {
    fc.assert(
      fc.property(htmlDocument, policies, (html, policy) => {
        expect(shapeOf(redactHtml(html, policy).text)).toBe(shapeOf(html));
      }),
      RUNS,
    );
  });

  it('splits anywhere in a stream give the one-shot output', () => {
    fc.assert(
      fc.property(fc.oneof(htmlDocument, brokenHtml), policies, rawCuts(8), (html, policy, cuts) => {
        expect(streamThrough(new HtmlRedactor(policy), cutAt(html, cuts))).toBe(redactHtml(html, policy).text);
      }),
      RUNS,
    );
  });

  it('is idempotent, and leaves markup without digits as it came', () => {
    fc.assert(
      fc.property(fc.oneof(htmlDocument, brokenHtml), (html) => {
        const once = redactHtml(html).text;
        expect(redactHtml(once).text).toBe(once);
        const digitFree = html.replace(/\p{Nd}|&#/gu, '');
        expect(redactHtml(digitFree).text).toBe(digitFree.replace(/[\ud800-\udfff]/g, (c, at: number) => (/[\ud800-\udbff][\udc00-\udfff]/.test(digitFree.slice(at - 1, at + 1)) || /[\ud800-\udbff][\udc00-\udfff]/.test(digitFree.slice(at, at + 2)) ? c : '\ufffd')));
      }),
      RUNS,
    );
  });

  it('the judge is no pushover: it finds the numbers the input shows', () => {
    expect(countHtmlLeaks('21 <b>49</b> 60&#160;00')).toBe(1);
    expect(renderedText('<p>a</p>98\n76<br>x')).toBe('\na\n98 76\nx');
  });
});
