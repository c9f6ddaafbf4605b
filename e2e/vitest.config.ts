import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end journeys in a real Chromium against the real server (`npm run e2e`). Kept apart from the
 * unit and integration projects: it needs `web/dist` (built beforehand, as CI does) and starts its own
 * server once for all files, which therefore run one after the other.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
