// Bundle for runtimes that take no TypeScript and no npm resolution (Deno, Bun, workerd), each
// into one ES module with the SDK (src/, which has no runtime dependencies) inside:
//   conformance.mjs     the conformance suite (test/conformance/standalone.ts)
//   oss-fetch.mjs       the package entry, which examples/deno.ts imports through an import map
//   worker-example.mjs  examples/worker.ts as a Worker, "oss-fetch" resolved to src/index.ts
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The package's entries as a Worker or browser bundle sees them, resolved to src/. */
export const PACKAGE_ALIASES = [
  { find: /^oss-fetch$/, replacement: join(root, 'src/index.ts') },
  { find: /^oss-fetch\/workers$/, replacement: join(root, 'src/adapters/workers/index.ts') },
  { find: /^oss-fetch\/deno$/, replacement: join(root, 'src/adapters/deno/index.ts') },
  { find: /^oss-fetch\/server$/, replacement: join(root, 'src/server/web.ts') },
];

/** Bundle one entry (relative to the repository) into outDir/fileName, "oss-fetch" resolved to src/. */
export function bundleOne(outDir, entry, fileName) {
  return build({
    root,
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: PACKAGE_ALIASES },
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'es2022',
      minify: false,
      lib: { entry: resolve(root, entry), formats: ['es'], fileName: () => fileName },
      // One file: the lazily imported XML reader is inlined rather than split off.
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
}

/** Build the three bundles into outDir; returns their absolute paths. */
export async function bundleConformance(outDir) {
  mkdirSync(outDir, { recursive: true });
  await Promise.all([
    bundleOne(outDir, 'test/conformance/standalone.ts', 'conformance.mjs'),
    bundleOne(outDir, 'src/index.ts', 'oss-fetch.mjs'),
    bundleOne(outDir, 'examples/worker.ts', 'worker-example.mjs'),
  ]);
  return {
    suite: join(outDir, 'conformance.mjs'),
    sdk: join(outDir, 'oss-fetch.mjs'),
    workerExample: join(outDir, 'worker-example.mjs'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await bundleConformance(resolve(process.argv[2] ?? join(root, 'node_modules/.cache/oss-fetch-conformance'))));
}
