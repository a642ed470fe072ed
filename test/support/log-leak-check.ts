/**
 * A vitest setup file (`vitest.config.ts`, `vitest.tools.config.ts`): after every test, and after
 * each file's last, no log line captured since (`log-capture.ts`) may hold a sensitive number
 * combination by the reference. One check, in one place, for every suite's log lines.
 */
import { afterAll, afterEach, expect } from 'vitest';
import { takeLogLeaks } from './log-capture.js';

function expectCleanLogs(): void {
  expect(takeLogLeaks(), 'log lines that hold a number combination of seven or more digits').toEqual([]);
}

afterEach(expectCleanLogs);
afterAll(expectCleanLogs);
