/**
 * A process of this Node whose stdout goes to /dev/null and whose last line on stderr is a JSON
 * report of what it used: how the CLI micro-benchmarks (`micro/cli-reads.js`,
 * `micro/cli-builds.js`) run each variant.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/**
 * Run `node ...args` with stdout to /dev/null; resolves to the JSON of its last stderr line.
 * @param {string[]} args
 * @returns {Promise<any>}
 */
export function runReportingChild(args) {
  const devNull = openSync('/dev/null', 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', devNull, 'pipe'] });
    let report = '';
    child.stderr.setEncoding('utf8').on('data', (text) => (report += text));
    child.on('error', reject);
    child.on('exit', (code) => {
      closeSync(devNull);
      if (code === 0) resolve(JSON.parse(report.trim().split('\n').at(-1) ?? '{}'));
      else reject(new Error(`${args.join(' ')} exited with ${code}: ${report}`));
    });
  });
}
