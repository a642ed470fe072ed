import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // System-tool suites (a real Prometheus, jq) run with `npm run test:tools` (vitest.tools.config.ts).
    exclude: ['test/tools/**', '**/node_modules/**'],
    environment: 'node',
    // Every log line a suite captures is judged by the reference after each test.
    setupFiles: ['test/support/log-leak-check.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers; keep the 2-core machine responsive.
    maxWorkers: 2,
  },
});
