import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources directly. GDAL-backed and real-data tests skip (and
// say so) where GDAL or ../shared are missing; see test/helpers/.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One scratch folder per run, removed at the end (KEEP_TEST_TMP=1 keeps it for debugging).
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
