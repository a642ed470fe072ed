/**
 * Only the engine mints `RedactedText`: a type test. The fixture program hands plain strings to
 * a chatbot, a frame and a variable typed `RedactedText`; strict `tsc` must refuse exactly the
 * lines marked `expect-error`, and accept what `redact()` returned.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/types/unredacted-to-vendor.ts');

describe('RedactedText', () => {
  it('does not let a plain string reach a vendor, a frame or a RedactedText variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redacted-text-'));
    try {
      const config = join(dir, 'tsconfig.json');
      writeFileSync(
        config,
        JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), compilerOptions: { noEmit: true, rootDir: ROOT }, include: [], files: [FIXTURE] }),
      );
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = spawnSync(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { encoding: 'utf8', timeout: 120_000 });
      const errorLines = [...result.stdout.matchAll(/unredacted-to-vendor\.ts\((\d+),\d+\): error TS\d+/g)].map((match) => Number(match[1]));
      const expected = readFileSync(FIXTURE, 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.endsWith('// expect-error') ? [index + 1] : []));
      expect(expected).toHaveLength(4);
      expect([...new Set(errorLines)].sort((a, b) => a - b)).toEqual(expected);
      expect(result.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
