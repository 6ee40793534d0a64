// The Web entry of the server (`oss-fetch/server` under the worker/browser conditions, built as
// dist/server/web.js) must bundle for a browser or a Worker where the optional peer `sharp` is not
// installed: no module of it may name `sharp` in a form a bundler resolves.
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const webEntry = fileURLToPath(new URL('../../src/server/web.ts', import.meta.url));

/** Stands for a machine without sharp: resolving it fails the build, as a missing package would. */
const noSharp: Plugin = {
  name: 'no-sharp',
  setup(b) {
    b.onResolve({ filter: /^sharp(\/.*)?$/ }, (args) => ({ errors: [{ text: `Could not resolve "${args.path}" (sharp is not installed)` }] }));
  },
};

describe('server Web entry bundle', () => {
  it('bundles for browser/worker with nothing external and sharp unresolvable', async () => {
    const result = await build({
      stdin: { contents: `import { createHandler } from ${JSON.stringify(webEntry)};\nexport default createHandler;\n`, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      conditions: ['worker', 'browser'],
      external: [],
      logLevel: 'silent',
      plugins: [noSharp],
    }).catch((err: { errors?: Array<{ text: string }> }) => ({ errors: err.errors ?? [{ text: String(err) }], outputFiles: [] }));
    expect(result.errors.map((e) => e.text)).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).toContain('createHandler');
  });
});
