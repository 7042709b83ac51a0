import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    // kernel programs are global: capture tests must not run side by side
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
