/**
 * The alert rules under promtool, Debian's `prometheus` package: they load, their unit tests
 * pass, and those tests fail when a rule stops firing or fires on a healthy cluster.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROMETHEUS_URL, RULES_FILE, RULES_TEST_FILE, readAlertRules, readRuleGroups } from '../deploy/deploy-files.js';
import { withTempDir } from '../support/temp-dir.js';
import { findTool, runPromtool } from './prometheus-tools.js';

const RULES_DIR = fileURLToPath(PROMETHEUS_URL);
const NEVER = 'vector(0) > 1';
const ALWAYS = 'vector(1)';

/** The rules file with every alert's expression replaced by `expr`. */
function rulesWithEveryExpr(expr: string): string {
  const document = parseDocument(readFileSync(join(RULES_DIR, RULES_FILE), 'utf8'));
  readRuleGroups().forEach((group, g) => group.rules.forEach((_, r) => document.setIn(['groups', g, 'rules', r, 'expr'], expr)));
  return document.toString();
}

/** promtool's unit tests run against a changed copy of the rules. */
function testMutatedRules(rulesText: string) {
  return withTempDir('chat-redact-rules-', async (dir) => {
    copyFileSync(join(RULES_DIR, RULES_TEST_FILE), join(dir, RULES_TEST_FILE));
    writeFileSync(join(dir, RULES_FILE), rulesText);
    return runPromtool(['test', 'rules', RULES_TEST_FILE], { cwd: dir });
  });
}

describe(`promtool on deploy/prometheus`, () => {
  const alertNames = readAlertRules().map((rule) => rule.alert);

  it('is installed (or the suite says how to install it)', () => {
    expect(findTool('promtool')).toMatch(/\/promtool$/);
  });

  it('loads every rule of the rules file', async () => {
    const result = await runPromtool(['check', 'rules', RULES_FILE], { cwd: RULES_DIR });
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${alertNames.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('accepts the example configuration and the rule file it loads', async () => {
    const result = await runPromtool(['check', 'config', 'prometheus.example.yml'], { cwd: RULES_DIR });
    expect(result.stdout + result.stderr).toContain('is valid prometheus config file syntax');
    expect(result.code).toBe(0);
  });

  it('passes the unit tests: each alert fires when it should, with its text, and is quiet otherwise', async () => {
    const result = await runPromtool(['test', 'rules', RULES_TEST_FILE], { cwd: RULES_DIR });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('fails the unit tests, naming every alert, when no rule can fire', async () => {
    const result = await testMutatedRules(rulesWithEveryExpr(NEVER));
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(alertNames.filter((name) => !output.includes(`alertname: ${name},`))).toEqual([]);
  });

  it('fails the unit tests, naming every alert, when every rule fires all the time', async () => {
    const result = await testMutatedRules(rulesWithEveryExpr(ALWAYS));
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(alertNames.filter((name) => !output.includes(`alertname: ${name},`))).toEqual([]);
  });
});
