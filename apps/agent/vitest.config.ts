import { defineConfig } from 'vitest/config';

// Live tests (namespaces, tcpdump, real peers) take seconds; parsers' fuzz tests take a few.
export default defineConfig({
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
