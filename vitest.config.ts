import { defineConfig } from 'vitest/config';

// One run over every workspace; each may refine its settings in its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['apps/*', 'packages/*'],
  },
});
