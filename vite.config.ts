import { defineConfig } from 'vitest/config';

// One config: the library build (vite build) and the test runner (vitest).
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    lib: {
      entry: {
        index: 'src/index.ts',
        node: 'src/adapters/node.ts',
        server: 'src/server/index.ts',
        cli: 'src/server/cli.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: [/^node:/, 'fast-xml-parser'],
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
