import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // RDKit's wasm and tfjs in one process per file; two cores are shared, so files run one after another.
    fileParallelism: false,
  },
});
