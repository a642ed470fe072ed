import { defineConfig } from 'vitest/config';

/**
 * The suite for system tools (`npm run test:tools`): tests that need a real peer from Debian's
 * packages — Prometheus and promtool, jq, tinyproxy. `npm test` never runs them, so it passes on a machine
 * with Node and npm alone; `.ci/run` installs the packages and runs this suite after it.
 */
export default defineConfig({
  test: {
    include: ['test/tools/**/*.test.ts'],
    environment: 'node',
    // Every log line a suite captures is judged by the reference after each test.
    setupFiles: ['test/support/log-leak-check.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
