/**
 * Every line `chat-redact redact --json` writes for a JSON line is read by Debian's `jq`, the
 * baseline a log pipeline (Loki, Elasticsearch, a shell script) holds its input to: real log
 * lines (pino's own output, access logs, syslog, Kubernetes) and generated JSON written every
 * way JSON can be written, with and without --keep-timestamps and --allow.
 *
 * Needs jq: `apt-get install jq` on Debian or Ubuntu (`.ci/run` installs it when it is missing).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { jsonLine } from '../support/json-arbitraries.js';
import { mixedLog } from '../support/log-lines.js';

const JQ = 'jq';
const found = spawnSync(JQ, ['--version'], { encoding: 'utf8' });
const HOW_TO_INSTALL = 'jq is not installed: run `apt-get update && apt-get install -y jq` (Debian, Ubuntu), then `npm run test:tools` again';

/** jq reads `text` as a stream of JSON texts; returns how many it read, or throws with jq's complaint. */
function countWithJq(text: string): number {
  const result = spawnSync(JQ, ['-c', '.'], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) throw new Error(HOW_TO_INSTALL);
  if (result.status !== 0) throw new Error(`jq refused the output (exit ${result.status}): ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '').length;
}

describe('jq reads every line --json writes for a JSON line', () => {
  it('jq is there', () => {
    expect(found.error === undefined && found.status === 0, HOW_TO_INSTALL).toBe(true);
  });

  it.each([
    [['--json']],
    [['--json', '--keep-timestamps']],
    [['--json', "--keep-field=", '--allow', '7694.05.20300', '--replacement', '"\\ ']],
  ])('real log lines, chat-redact redact %j', async (flags) => {
    const input = mixedLog(77, 400);
    const result = await runCli(['redact', ...flags], `${input.join('\n')}\n`);
    expect(result.status).toBe(0);
    const output = result.stdout.split('\n').slice(0, -1);
    expect(output).toHaveLength(input.length);
    const jsonOut = output.filter((_, k) => input[k]!.startsWith('{'));
    expect(jsonOut.length).toBeGreaterThan(100);
    expect(countWithJq(jsonOut.join('\n'))).toBe(jsonOut.length);
  });

  it('JSON written every way JSON can be written', async () => {
    const lines = fc.sample(jsonLine, { numRuns: 2000, seed: 12 });
    const result = await runCli(['redact', '--json', '--keep-timestamps', '--min-digits', '4'], `${lines.join('\n')}\n`);
    const output = result.stdout.split('\n').slice(0, -1);
    expect(output).toHaveLength(lines.length);
    expect(countWithJq(output.join('\n'))).toBe(lines.length);
  });
});
