/**
 * Two builds of the Markdown redactor raced A B A B … in fresh processes (CPU time and wall, the
 * median of each side): the benign Markdown of `markup.js` one-shot and in 64-unit chunks, a
 * Markdown full of HTML-block lines and autolinks (the lines `markdown-html-block.ts` tracks), and
 * one of raw HTML with references — tags with values, HTML blocks (`markdown-raw-html.ts`).
 *
 * `node bench/micro/markdown-ab.js <distA> <distB> [pairs]` — each dist an absolute path to a build.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from '../corpus.js';
import { loadDistModule } from '../lib/engine.js';

const SIZE = 64 * 1024;
const CHUNK = 64;
const ITERATIONS = 8;

async function child(distDir) {
  const { redactMarkdown, MarkdownRedactor } = await loadDistModule('redact/markdown-redactor.js', distDir);
  const messages = generateCorpus({ bytes: 4 * SIZE }).messages;
  const fill = (shape) => {
    let out = '';
    for (let k = 0; out.length < SIZE; k++) out += shape(messages[k % messages.length], k);
    return out.slice(0, SIZE);
  };
  const markdown = fill((m, k) => `${k % 3 === 0 ? '- ' : ''}${m.replace(/ (\S+) /, ' **$1** ')}${k % 5 === 0 ? ' [hjelp](https://bank.example/hjelp)' : ''}\n\n`);
  const htmlish = fill((m, k) => `${k % 4 === 0 ? '<br>\n' : ''}${k % 3 === 0 ? '> ' : ''}${m} <https://bank.example/sak/${k}a>\n${k % 6 === 5 ? '\n' : ''}`);
  const rawHtml = fill((m, k) =>
    k % 3 === 0
      ? `<div title="Sak&nbsp;${k}">\n${m} &amp; mer&#160;tekst\n</div>\n\n`
      : `${m} <span class="n">${k}</span> <a title="Sak &#35;${k}">her</a>\n\n`,
  );
  const streamed = (text) => {
    const redactor = new MarkdownRedactor();
    let length = 0;
    for (let i = 0; i < text.length; i += CHUNK) length += redactor.push(text.slice(i, i + CHUNK)).length;
    return length + redactor.end().length;
  };
  let sink = 0;
  for (let k = 0; k < 2; k++) sink += redactMarkdown(markdown).text.length + streamed(htmlish) + redactMarkdown(rawHtml).text.length;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let k = 0; k < ITERATIONS; k++) {
    sink += redactMarkdown(markdown).text.length + streamed(markdown) + redactMarkdown(htmlish).text.length + redactMarkdown(rawHtml).text.length;
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ cpu: (used.user + used.system) / 1000, wall, sink }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.argv[2] === '--child') await child(process.argv[3]);
else {
  const [a, b, pairs = '7'] = process.argv.slice(2);
  const self = fileURLToPath(import.meta.url);
  const runs = { A: [], B: [] };
  for (let k = 0; k < Number(pairs); k++) {
    for (const [side, dist] of [['A', a], ['B', b]]) runs[side].push(JSON.parse(execFileSync(process.execPath, [self, '--child', dist], { encoding: 'utf8' })));
  }
  const show = (side) => `cpu ${median(runs[side].map((r) => r.cpu)).toFixed(1)} ms, wall ${median(runs[side].map((r) => r.wall)).toFixed(1)} ms`;
  console.log(`Node ${process.version}, ${pairs} pairs, ${ITERATIONS} × (one-shot + 64-unit chunks + HTML-block lines + raw HTML) of ${SIZE / 1024} Ki units`);
  console.log(`A ${a}: ${show('A')}`);
  console.log(`B ${b}: ${show('B')}`);
}
