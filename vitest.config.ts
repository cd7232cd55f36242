// Test configuration: one suite, run by `npm test` (scripts/test.mjs builds and installs the
// system packages first). Kernel and Docker tests create their own network namespaces.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two cores: the Docker and kernel tests are heavy; more workers only make them race.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
