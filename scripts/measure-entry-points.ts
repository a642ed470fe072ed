/**
 * What each entry point of the package costs a team, measured as the README states it: the
 * package packed from a clean checkout and installed with npm into an empty project, then each
 * entry point imported in 15 fresh Node processes (the median of the time `import()` takes,
 * wall and CPU), and once more with a resolve hook recording every module file it loads.
 *
 *   npx tsx scripts/measure-entry-points.ts        # prints a Markdown table
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  ENTRY_POINTS,
  assertNoModulesAbove,
  bundleForBrowser,
  copyCleanTree,
  installTarball,
  installedPackages,
  measureEntry,
  packTree,
  sizeOf,
} from './packed-package.js';

const RUNS = 15;
/**
 * On a shared machine (root, with util-linux's chrt) each timed load runs at real-time priority:
 * the other work cannot preempt it, though it still shares caches and memory with it.
 */
const LAUNCHER = process.getuid?.() === 0 && existsSync('/usr/bin/chrt') ? ['chrt', '-f', '50'] : [];
const KB = 1000;
const MB = 1000 * 1000;

const work = mkdtempSync(join(tmpdir(), 'chat-redact-measure-'));
try {
  assertNoModulesAbove(work);
  copyCleanTree(join(work, 'checkout'));
  const packed = packTree(join(work, 'checkout'), work);
  const project = join(work, 'project');
  installTarball(project, packed.tarball);
  const modules = join(project, 'node_modules');
  const packages = installedPackages(modules);
  console.log(`Node ${process.version}${LAUNCHER.length > 0 ? ', timed loads at real-time priority (chrt -f 50)' : ''}; tarball ${(packed.size / KB).toFixed(1)} kB (${(packed.unpackedSize / KB).toFixed(1)} kB unpacked, ${packed.files.length} files)`);
  console.log(`npm install adds ${packages.length} packages, ${(sizeOf(modules) / MB).toFixed(1)} MB (chat-redact itself ${(sizeOf(join(modules, 'chat-redact')) / MB).toFixed(2)} MB)\n`);
  console.log('| entry point | load, median wall / CPU | modules loaded | packages loaded | bytes loaded |');
  console.log('|---|---|---|---|---|');
  for (const entry of ENTRY_POINTS) {
    const cost = measureEntry(project, entry, RUNS, LAUNCHER);
    console.log(
      `| \`${entry}\` | ${cost.wallMs.toFixed(1)} / ${cost.cpuMs.toFixed(1)} ms | ${cost.files.length} | ${cost.packages.join(', ')} | ${(cost.bytes / KB).toFixed(0)} kB |`,
    );
  }
  for (const entry of ['chat-redact/client', 'chat-redact/redact']) {
    const code = await bundleForBrowser(project, entry);
    console.log(`\n${entry} bundled for the browser (esbuild, minified, every export): ${(code.length / KB).toFixed(1)} kB, ${(gzipSync(code, { level: 9 }).length / KB).toFixed(1)} kB gzipped`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
