/**
 * Two builds raced A B A B … in fresh processes: a short streamed Markdown answer (a new
 * `MarkdownRedactor` per answer, as the native endpoints and the chat relay make one per reply),
 * CPU time and wall per answer, the median of each side. It measures what an answer pays before
 * and around its first token, where `RenderedView`'s set-up weighs.
 *
 * `node bench/micro/rendered-view.js <distA> <distB> [pairs]` — each dist an absolute path to a build.
 *
 * Figures (markup-view.ts's policy made once per policy, not per view; load ~8, 9 pairs), CPU per
 * answer: Node 20 11.13 → 8.02 µs, Node 26 13.69 → 9.27 µs (wall 15.4 → 11.8, 15.9 → 10.2 µs).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadDistModule } from '../lib/engine.js';

const ANSWERS = 20_000;
const TOKENS = ['Hei', '! Saldoen', ' din er', ' **1 234,50 kr**', '. Ring oss', ' gjerne', '.'];

async function child(distDir) {
  const { MarkdownRedactor } = await loadDistModule('redact/markdown-redactor.js', distDir);
  const answer = () => {
    const redactor = new MarkdownRedactor();
    let length = 0;
    for (const token of TOKENS) length += redactor.push(token).length;
    return length + redactor.end().length;
  };
  let sink = 0;
  for (let k = 0; k < 2_000; k++) sink += answer();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let k = 0; k < ANSWERS; k++) sink += answer();
  const wall = Number(process.hrtime.bigint() - start) / 1e3 / ANSWERS;
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ cpu: (used.user + used.system) / ANSWERS, wall, sink }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.argv[2] === '--child') await child(process.argv[3]);
else {
  const [a, b, pairs = '9'] = process.argv.slice(2);
  const self = fileURLToPath(import.meta.url);
  const runs = { A: [], B: [] };
  for (let k = 0; k < Number(pairs); k++) {
    for (const [side, dist] of [['A', a], ['B', b]]) runs[side].push(JSON.parse(execFileSync(process.execPath, [self, '--child', dist], { encoding: 'utf8' })));
  }
  const show = (side) => `cpu ${median(runs[side].map((r) => r.cpu)).toFixed(2)} µs, wall ${median(runs[side].map((r) => r.wall)).toFixed(2)} µs per answer`;
  console.log(`Node ${process.version}, ${pairs} pairs, ${ANSWERS} short streamed Markdown answers`);
  console.log(`A ${a}: ${show('A')}`);
  console.log(`B ${b}: ${show('B')}`);
}
