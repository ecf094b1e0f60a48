import { defineConfig } from 'vitest/config';

/** `npm run test:ui`: the Temporal UI in Debian's Chromium against `npm start` (needs /usr/bin/chromium). */
export default defineConfig({
  test: {
    include: ['test/ui/**/*.e2e.ts'],
    testTimeout: 300_000,
    hookTimeout: 400_000,
    pool: 'forks',
  },
});
