import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources directly. GDAL-backed and real-data tests skip (and
// say so) where GDAL or ../shared are missing; see test/helpers/.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
