import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: fault injection (kills, restarts, outages); separate from `npm test`. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-runtime.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // One fault at a time: they stop and start shared processes and measure recovery.
    fileParallelism: false,
  },
});
