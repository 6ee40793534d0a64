import { configDefaults, defineConfig } from 'vitest/config';

// One config: the library build (vite build) and the test runner (vitest).

// `npx vitest run e2e` runs the Chromium suites of e2e/ (one file at a time); other runs leave them out.
const e2e = process.argv.some((arg) => /^e2e(\/|$)/.test(arg));

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
        'adapters/deno/index': 'src/adapters/deno/index.ts',
        'adapters/deno/server': 'src/adapters/deno/server.ts',
        'adapters/workers/index': 'src/adapters/workers/index.ts',
        server: 'src/server/index.ts',
        'server/web': 'src/server/web.ts',
        cli: 'src/server/cli.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      // Packages stay imports: sharp (optional peer), fast-xml-parser (the server's XML parser, a
      // dependency) and undici (oss-fetch/node's transport), none reachable from the client path.
      external: [/^node:/, 'sharp', 'fast-xml-parser', 'undici'],
      // dist/ mirrors src/: readable files, per-module tree-shaking in the user's bundler, and the
      // client path (dist/index.js → dist/client, dist/core) never touches dist/server.
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
  test: {
    include: e2e ? ['e2e/**/*.test.ts'] : ['test/**/*.test.ts'],
    fileParallelism: !e2e,
    // The conformance suite runs in every runtime through its own configs (scripts/test.mjs).
    exclude: [...configDefaults.exclude, 'test/conformance/**'],
    environment: 'node',
    testTimeout: e2e ? 180_000 : 20_000,
    hookTimeout: e2e ? 60_000 : 30_000,
    reporters: ['default'],
  },
});
