import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    name: '@zeroscope/web',
    include: ['app/**/*.test.ts', 'lib/**/*.test.ts', 'test/**/*.test.ts'],
    // the browser test starts the API and Next and drives Chromium
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
