/**
 * The Redocly OpenAPI linter (`@redocly/cli`, recommended rules and `redocly.yaml`), run on a
 * document in a process of its own: the one way the tests lint what `/openapi.json` serves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What the linter reported, and how it exited. */
export interface LintReport {
  readonly problems: unknown[];
  readonly totals: { errors: number; warnings: number };
  readonly status: number | null;
}

/** Lint `doc` as the project's configuration says. */
export function lintOpenApi(doc: unknown): LintReport {
  const folder = mkdtempSync(join(tmpdir(), 'chat-redact-openapi-'));
  try {
    writeFileSync(join(folder, 'openapi.json'), JSON.stringify(doc));
    const cli = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
    const lint = spawnSync(process.execPath, [cli, 'lint', join(folder, 'openapi.json'), '--config', join(ROOT, 'redocly.yaml'), '--format=json'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{'))) as Omit<LintReport, 'status'>;
    return { problems: report.problems, totals: report.totals, status: lint.status };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
